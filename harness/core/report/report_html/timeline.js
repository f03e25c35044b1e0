/* The HTML report's timeline of one scenario (report.js opens it): a lane
 * per thread on one canvas, however many events, with the violations marked
 * over it as elements. Wheel to zoom, drag to pan, double-click to fit;
 * hover for an event, click to select it. */
const SynchostTimeline = (function () {
    'use strict';
    const LANE = 30, TOP = 22, AXIS = 22, LABEL = 178, PAD = 14;
    const KIND_STYLE = {
        progress: '#4c7bd9', error: '#e8590c', done: '#2b8a3e', event_signaled: '#2b8a3e',
        event_timeout: '#c92a2a', addref: '#868e96', release: '#868e96', qi: '#868e96',
        session_call: '#0c8599', support_call: '#0c8599', alloc: '#ced4da', free: '#ced4da',
        debug_output: '#f59f00', crash: '#c92a2a', exit: '#212529', integrity: '#c92a2a',
    };
    const PHASE_FILL = { load: '#f1f3f5', sync: '#e7f5ff', shutdown: '#fff9db',
                         unload: '#f8f0fc' };
    const LEGEND = [
        ['SynchronizeInBackground', '#3b5bdb'], ['Progress', KIND_STYLE.progress],
        ['Error', KIND_STYLE.error], ['Done / event signaled', KIND_STYLE.done],
        ['AddRef / Release / QI', KIND_STYLE.addref],
        ['session / support', KIND_STYLE.session_call],
        ['debug output', KIND_STYLE.debug_output], ['crash / timeout', KIND_STYLE.crash],
        ['violation', '#e03131'],
    ];

    /* The lanes: the thread that called SynchronizeInBackground first, the
     * provider's threads as they appear, synchost's own events (thread 0) last. */
    function lanes(evs) {
        const call = evs.find(e => e.kind === 'call');
        const host = call ? call.thread : (evs.length ? evs[0].thread : 0);
        const order = [host];
        for (const e of evs) {
            if (e.thread !== 0 && !order.includes(e.thread)) order.push(e.thread);
        }
        if (evs.some(e => e.thread === 0)) order.push(0);
        return order.map(t => ({
            thread: t,
            name: t === 0 ? 'synchost' : (t === host ? 'host thread ' : 'provider thread ') + t,
        }));
    }

    function Timeline(box, sc, hooks) {
        this.box = box;
        this.hooks = hooks;
        /* Stack frames are listed under the timeline, not drawn on it; a
         * flood's dropped events leave a gap in the sequence numbers. */
        this.evs = [];
        sc.events.forEach((e, k) => {
            if (k > 0 && e.seq - sc.events[k - 1].seq > 1) {
                this.gapAt = this.gapAt || new Map();
                this.gapAt.set(e.seq, e.seq - sc.events[k - 1].seq - 1);
            }
            if (e.kind !== 'frame') this.evs.push(e);
        });
        this.lanes = lanes(this.evs);
        this.laneOf = new Map(this.lanes.map((l, i) => [l.thread, i]));
        this.bad = new Map();
        for (const v of sc.violations) {
            if (v.event === null) continue;
            if (!this.bad.has(v.event)) this.bad.set(v.event, []);
            this.bad.get(v.event).push(v);
        }
        /* Milliseconds since the first event, never going backwards (the
         * events synchost adds come from its own clock). */
        let t = 0;
        const t0 = this.evs.length ? this.evs[0].t_us : 0;
        this.ms = this.evs.map(e => (t = Math.max(t, (e.t_us - t0) / 1000)));
        this.spans = this.hostSpans();
        this.mode = 'order';
        this.sel = -1;
        this.build();
        this.fit();
    }

    /* SynchronizeInBackground from call to return (or to the end). */
    Timeline.prototype.hostSpans = function () {
        const spans = [];
        for (let i = 0; i < this.evs.length; i++) {
            if (this.evs[i].kind !== 'call') continue;
            let r = i + 1;
            while (r < this.evs.length && this.evs[r].kind !== 'return') r++;
            spans.push({ from: i, to: Math.min(r, this.evs.length - 1), open: r >= this.evs.length,
                         lane: this.laneOf.get(this.evs[i].thread) });
        }
        return spans;
    };

    Timeline.prototype.pos = function (i) {
        return this.mode === 'time' ? this.ms[i] : i;
    };

    Timeline.prototype.fit = function () {
        const n = this.evs.length;
        const end = n ? this.pos(n - 1) : 1;
        const pad = Math.max(end * 0.02, this.mode === 'time' ? 0.05 : 1);
        this.d0 = -pad;
        this.d1 = end + pad;
        this.draw();
    };

    Timeline.prototype.build = function () {
        const h = TOP + this.lanes.length * LANE + AXIS;
        this.canvas = document.createElement('canvas');
        this.canvas.style.height = h + 'px';
        this.canvas.setAttribute('role', 'img');
        this.canvas.setAttribute('aria-label', 'timeline of ' + this.evs.length + ' events');
        this.marks = document.createElement('div');
        this.tip = document.createElement('div');
        this.tip.className = 'tip hidden';
        this.box.append(this.canvas, this.marks, this.tip);
        this.height = h;
        this.listen();
    };

    Timeline.prototype.x = function (d) {
        return LABEL + (d - this.d0) / (this.d1 - this.d0) * (this.width - LABEL - PAD);
    };

    Timeline.prototype.domainAt = function (px) {
        return this.d0 + (px - LABEL) / (this.width - LABEL - PAD) * (this.d1 - this.d0);
    };

    Timeline.prototype.draw = function () {
        const dpr = window.devicePixelRatio || 1;
        this.width = this.box.clientWidth || 1000;
        this.canvas.width = Math.round(this.width * dpr);
        this.canvas.height = Math.round(this.height * dpr);
        const g = this.canvas.getContext('2d');
        g.setTransform(dpr, 0, 0, dpr, 0, 0);
        g.clearRect(0, 0, this.width, this.height);
        this.drawPhases(g);
        this.drawLanes(g);
        g.save();
        g.beginPath();
        g.rect(LABEL, 0, this.width - LABEL, this.height);
        g.clip();
        this.drawSpans(g);
        const drawn = this.drawEvents(g);
        this.drawGaps(g);
        if (this.mode === 'order') this.drawWaits(g);
        g.restore();
        this.drawAxis(g);
        this.placeMarks();
        this.canvas.dataset.eventsDrawn = String(drawn);
        this.canvas.dataset.lanes = String(this.lanes.length);
    };

    Timeline.prototype.drawPhases = function (g) {
        const bottom = TOP + this.lanes.length * LANE;
        g.font = '11px system-ui, sans-serif';
        for (let i = 0; i < this.evs.length; i++) {
            const e = this.evs[i];
            if (e.kind !== 'phase') continue;
            let j = i + 1;
            while (j < this.evs.length && this.evs[j].kind !== 'phase') j++;
            const a = Math.max(LABEL, this.x(this.pos(i)));
            const end = this.pos(Math.min(j, this.evs.length - 1));
            const b = Math.min(this.width - PAD, this.x(end));
            if (b <= a) continue;
            g.fillStyle = PHASE_FILL[e.detail] || '#f8f9fa';
            g.fillRect(a, 0, b - a, bottom);
            g.fillStyle = '#868e96';
            if (b - a > 40) g.fillText(e.detail + ' phase', a + 4, 14);
        }
    };

    Timeline.prototype.drawLanes = function (g) {
        g.font = '12px ui-monospace, Menlo, Consolas, monospace';
        g.textBaseline = 'middle';
        this.lanes.forEach((l, i) => {
            const y = TOP + i * LANE;
            g.strokeStyle = '#e9ecef';
            g.beginPath();
            g.moveTo(LABEL, y + LANE / 2 + 0.5);
            g.lineTo(this.width - PAD, y + LANE / 2 + 0.5);
            g.stroke();
            g.fillStyle = '#fff';
            g.fillRect(0, y, LABEL - 6, LANE);
            g.fillStyle = l.thread === 0 ? '#868e96' : '#1f2328';
            g.fillText(l.name, 8, y + LANE / 2);
        });
        g.textBaseline = 'alphabetic';
    };

    Timeline.prototype.drawSpans = function (g) {
        for (const s of this.spans) {
            const y = TOP + s.lane * LANE + LANE / 2;
            const a = this.x(this.pos(s.from)), b = Math.max(a + 3, this.x(this.pos(s.to)));
            g.fillStyle = s.open ? '#e03131' : '#3b5bdb';
            g.globalAlpha = 0.85;
            g.fillRect(a, y - 6, b - a, 12);
            g.globalAlpha = 1;
            /* Named above the bar, clear of the marks on it. */
            const name = s.open ? 'SynchronizeInBackground, never returned'
                                : 'SynchronizeInBackground';
            g.font = '10px system-ui, sans-serif';
            if (b - a > g.measureText(name).width) {
                g.fillStyle = s.open ? '#c92a2a' : '#364fc7';
                g.fillText(name, a, y - 8);
            }
        }
    };

    /* One event's mark; returns 1 when it was drawn. */
    Timeline.prototype.mark = function (g, e, x, y) {
        const c = KIND_STYLE[e.kind];
        switch (e.kind) {
        case 'call': case 'return': return 0;
        case 'progress':
            g.fillStyle = /^S_/.test(e.answered || 'S_OK') ? c : '#e67700';
            g.fillRect(x - 1, y - 9, 2, 18);
            return 1;
        case 'error':
            g.fillStyle = c;
            g.beginPath(); g.moveTo(x, y - 8); g.lineTo(x + 7, y + 6); g.lineTo(x - 7, y + 6);
            g.fill();
            return 1;
        case 'done':
            g.fillStyle = c;
            g.beginPath(); g.moveTo(x, y - 8); g.lineTo(x + 7, y); g.lineTo(x, y + 8);
            g.lineTo(x - 7, y); g.fill();
            return 1;
        case 'event_signaled': case 'event_timeout':
            g.strokeStyle = c; g.lineWidth = 2.5;
            g.beginPath(); g.arc(x, y, 6, 0, 7); g.stroke(); g.lineWidth = 1;
            return 1;
        case 'crash': case 'integrity':
            g.strokeStyle = c; g.lineWidth = 3;
            g.beginPath(); g.moveTo(x - 7, y - 7); g.lineTo(x + 7, y + 7);
            g.moveTo(x + 7, y - 7); g.lineTo(x - 7, y + 7); g.stroke(); g.lineWidth = 1;
            return 1;
        case 'exit':
            g.fillStyle = c; g.fillRect(x - 2, y - 11, 4, 22);
            return 1;
        case 'addref': case 'release':
            g.fillStyle = c;
            g.beginPath();
            const up = e.kind === 'addref' ? 1 : -1;
            g.moveTo(x, y - 5 * up); g.lineTo(x + 4, y + 2 * up); g.lineTo(x - 4, y + 2 * up);
            g.fill();
            return 1;
        case 'qi': case 'session_call': case 'support_call':
            g.fillStyle = c; g.fillRect(x - 3.5, y - 3.5, 7, 7);
            return 1;
        case 'alloc': case 'free':
            g.fillStyle = c; g.fillRect(x - 1.5, y + 4, 3, 3);
            return 1;
        case 'debug_output':
            g.fillStyle = c; g.fillRect(x - 4, y - 10, 8, 6);
            return 1;
        default:
            g.fillStyle = '#adb5bd'; g.fillRect(x - 0.5, y - 5, 1, 10);
            return 1;
        }
    };

    Timeline.prototype.drawEvents = function (g) {
        let drawn = 0;
        const on = [];
        for (let i = 0; i < this.evs.length; i++) {
            const x = this.x(this.pos(i));
            if (x < LABEL - 10 || x > this.width + 10) continue;
            const e = this.evs[i];
            drawn += this.mark(g, e, x, this.laneY(e));
            if (this.bad.has(e.seq) || i === this.sel) on.push(i);
        }
        /* Over every mark: the violations and the selection. */
        const bottom = TOP + this.lanes.length * LANE;
        for (const i of on) {
            const x = this.x(this.pos(i)), y = this.laneY(this.evs[i]);
            if (this.bad.has(this.evs[i].seq)) {
                g.strokeStyle = '#e03131'; g.lineWidth = 1.5;
                g.setLineDash([4, 3]);
                g.beginPath(); g.moveTo(x, 0); g.lineTo(x, bottom); g.stroke();
                g.setLineDash([]);
                g.lineWidth = 2.5;
                g.beginPath(); g.arc(x, y, 10, 0, 7); g.stroke();
            }
            if (i === this.sel) {
                g.strokeStyle = '#1c7ed6'; g.lineWidth = 2;
                g.strokeRect(x - 9, y - 12, 18, 24);
            }
            g.lineWidth = 1;
        }
        return drawn;
    };

    Timeline.prototype.laneY = function (e) {
        return TOP + this.laneOf.get(e.thread) * LANE + LANE / 2;
    };

    /* Where the trace dropped events of a flood: a hatched band. */
    Timeline.prototype.drawGaps = function (g) {
        const bottom = TOP + this.lanes.length * LANE;
        for (let i = 1; i < this.evs.length && this.gapAt; i++) {
            const n = this.gapAt.get(this.evs[i].seq);
            if (!n) continue;
            const a = this.x(this.pos(i - 1)), b = this.x(this.pos(i));
            g.fillStyle = 'rgba(134,142,150,.18)';
            g.fillRect(a + 2, TOP, Math.max(2, b - a - 4), bottom - TOP);
            g.fillStyle = '#868e96';
            g.font = '10px system-ui, sans-serif';
            if (b - a > 70) g.fillText(n + ' dropped', a + 6, bottom - 4);
        }
    };

    /* In event order, where time passed: 100 ms or more between two events. */
    Timeline.prototype.drawWaits = function (g) {
        const y = TOP + this.lanes.length * LANE - 4;
        g.font = '10px system-ui, sans-serif';
        g.fillStyle = '#868e96';
        let free = -Infinity;
        for (let i = 1; i < this.evs.length; i++) {
            const dt = this.ms[i] - this.ms[i - 1];
            if (dt < 100) continue;
            const a = this.x(i - 1), b = this.x(i);
            const label = dt >= 1000 ? (dt / 1000).toFixed(2) + ' s' : Math.round(dt) + ' ms';
            const w = g.measureText(label).width, at = (a + b - w) / 2;
            if (b - a > Math.min(w + 6, 24) && at > free) {
                g.fillText(label, at, y);
                free = at + w + 6;
            }
        }
    };

    Timeline.prototype.drawAxis = function (g) {
        const y = TOP + this.lanes.length * LANE;
        g.fillStyle = '#fff';
        g.fillRect(0, y, this.width, AXIS);
        g.strokeStyle = '#adb5bd';
        g.beginPath(); g.moveTo(LABEL, y + 0.5); g.lineTo(this.width - PAD, y + 0.5); g.stroke();
        const span = this.d1 - this.d0, target = span / 8;
        const p = Math.pow(10, Math.floor(Math.log10(target)));
        const step = [1, 2, 5, 10].map(m => m * p).find(s => s >= target) || p * 10;
        g.fillStyle = '#656d76';
        g.font = '11px system-ui, sans-serif';
        g.fillText(this.mode === 'time' ? 'ms' : 'event', 8, y + 15);
        for (let d = Math.ceil(this.d0 / step) * step; d <= this.d1; d += step) {
            if (this.mode === 'order' && d < 0) continue;
            const x = this.x(d);
            g.beginPath(); g.moveTo(x + 0.5, y); g.lineTo(x + 0.5, y + 4); g.stroke();
            const label = this.mode === 'time' ? +d.toFixed(3) + '' :
                '#' + (this.evs[Math.min(Math.round(d), this.evs.length - 1)] || {seq: d}).seq;
            g.fillText(label, x - g.measureText(label).width / 2, y + 15);
        }
    };

    /* The violations as elements over the canvas, one per event they point at. */
    Timeline.prototype.placeMarks = function () {
        this.marks.textContent = '';
        this.evs.forEach((e, i) => {
            const vs = this.bad.get(e.seq);
            if (!vs) return;
            const x = this.x(this.pos(i));
            const m = document.createElement('div');
            m.className = 'vmark';
            m.dataset.seq = e.seq;
            m.dataset.rules = vs.map(v => v.rule).join(' ');
            m.textContent = vs.map(v => v.rule).join(', ');
            m.title = vs.map(v => v.rule + ': ' + v.message).join('\n');
            m.style.left = x + 'px';
            if (x < LABEL || x > this.width) m.classList.add('hidden');
            m.addEventListener('click', () => this.select(i, true));
            this.marks.append(m);
        });
    };

    /* The event under the pointer: the nearest in its lane within 8 px. */
    Timeline.prototype.hit = function (px, py) {
        const lane = Math.floor((py - TOP) / LANE);
        if (lane < 0 || lane >= this.lanes.length || px < LABEL) return -1;
        const t = this.lanes[lane].thread;
        let best = -1, dist = 9;
        const lo = this.domainAt(px - 9), hi = this.domainAt(px + 9);
        let a = 0, b = this.evs.length;
        while (a < b) { const m = (a + b) >> 1; if (this.pos(m) < lo) a = m + 1; else b = m; }
        for (let i = a; i < this.evs.length && this.pos(i) <= hi; i++) {
            if (this.evs[i].thread !== t) continue;
            const d = Math.abs(this.x(this.pos(i)) - px);
            if (d < dist) { dist = d; best = i; }
        }
        if (best < 0) {
            const s = this.spans.find(s => s.lane === lane && px >= this.x(this.pos(s.from)) &&
                                           px <= this.x(this.pos(s.to)));
            if (s) best = s.from;
        }
        return best;
    };

    Timeline.prototype.select = function (i, fromTimeline) {
        this.sel = i;
        if (i >= 0) {
            const d = this.pos(i), span = this.d1 - this.d0;
            if (d < this.d0 || d > this.d1) { this.d0 = d - span / 2; this.d1 = d + span / 2; }
        }
        this.draw();
        if (fromTimeline && this.hooks.onSelect) this.hooks.onSelect(this.evs[i].seq);
    };

    Timeline.prototype.selectSeq = function (seq) {
        const i = this.evs.findIndex(e => e.seq === seq);
        if (i >= 0) this.select(i, false);
    };

    Timeline.prototype.setMode = function (mode) {
        this.mode = mode;
        this.fit();
    };

    Timeline.prototype.showTip = function (i, px, py) {
        if (i < 0) { this.tip.classList.add('hidden'); return; }
        const e = this.evs[i];
        const vs = this.bad.get(e.seq) || [];
        this.tip.textContent = '';
        const head = document.createElement('div');
        head.textContent = '#' + e.seq + '  +' + this.ms[i].toFixed(3) + ' ms  thread ' + e.thread;
        const body = document.createElement('div');
        body.textContent = this.hooks.describe(e);
        this.tip.append(head, body);
        for (const v of vs) {
            const b = document.createElement('b');
            b.textContent = '\n' + v.rule + ': ' + v.message;
            this.tip.append(b);
        }
        this.tip.classList.remove('hidden');
        const left = Math.min(px + 14, this.width - this.tip.offsetWidth - 4);
        this.tip.style.left = Math.max(4, left) + 'px';
        this.tip.style.top = (py + 16) + 'px';
    };

    Timeline.prototype.listen = function () {
        const c = this.canvas;
        let drag = null;
        const at = ev => {
            const r = c.getBoundingClientRect();
            return [ev.clientX - r.left, ev.clientY - r.top];
        };
        c.addEventListener('wheel', ev => {
            ev.preventDefault();
            const [px] = at(ev);
            const d = this.domainAt(Math.max(LABEL, px));
            const f = Math.pow(1.0015, ev.deltaY);
            const minSpan = this.mode === 'time' ? 0.005 : 4;
            const span = Math.max(minSpan, (this.d1 - this.d0) * f);
            const k = (d - this.d0) / (this.d1 - this.d0);
            this.d0 = d - k * span;
            this.d1 = this.d0 + span;
            this.draw();
        }, { passive: false });
        c.addEventListener('mousedown', ev => {
            drag = { x: at(ev)[0], d0: this.d0, d1: this.d1, moved: false };
        });
        window.addEventListener('mouseup', () => { setTimeout(() => { drag = null; }, 0); });
        c.addEventListener('mousemove', ev => {
            const [px, py] = at(ev);
            if (drag && ev.buttons === 1) {
                const dd = (drag.x - px) / (this.width - LABEL - PAD) * (drag.d1 - drag.d0);
                if (Math.abs(drag.x - px) > 2) drag.moved = true;
                this.d0 = drag.d0 + dd; this.d1 = drag.d1 + dd;
                this.draw();
                this.showTip(-1);
                return;
            }
            this.showTip(this.hit(px, py), px, py);
        });
        c.addEventListener('mouseleave', () => this.showTip(-1));
        c.addEventListener('click', ev => {
            if (drag && drag.moved) return;
            const [px, py] = at(ev);
            const i = this.hit(px, py);
            if (i >= 0) this.select(i, true);
        });
        c.addEventListener('dblclick', () => this.fit());
    };

    Timeline.legend = LEGEND;
    return Timeline;
})();
