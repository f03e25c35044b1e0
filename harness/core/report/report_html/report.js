/* The HTML report's page (report_html.c inlines it after timeline.js): the
 * filters over the summary table, and a section per scenario whose body
 * (facts, violations, timeline, event list) is built when it is opened. */
(function () {
    'use strict';
    const doc = JSON.parse(document.getElementById('synchost-data').textContent);
    const runs = doc.scenarios;
    const main = document.getElementById('scenarios');
    const views = [];
    const hidden = new Set();
    let rule = '';

    function el(tag, cls, text) {
        const e = document.createElement(tag);
        if (cls) e.className = cls;
        if (text !== undefined) e.textContent = text;
        return e;
    }

    function quoted(e) {
        if (e.text_state && e.text_state !== 'ok') return ' [text ' + e.text_state + ']';
        return e.text !== undefined ? ' "' + e.text + '"' : '';
    }

    /* An event as a person reads it. */
    function describe(e) {
        const d = e.detail || '';
        switch (e.kind) {
        case 'call': return 'SynchronizeInBackground(' + e.flag_names + ')';
        case 'return': return 'SynchronizeInBackground returned ' + e.hresult + ', done event ' +
            e.done_event + (e.waitable ? '' : ' (not waitable)') + (d ? ' ' + d : '');
        case 'progress': return 'Progress(' + e.index + '/' + e.index_max + ')' + quoted(e) +
            ' -> ' + e.answered;
        case 'error': return 'Error(' + e.hresult + ')' + quoted(e);
        case 'done': return 'Done(' + e.hresult + '), event ' + e.handle;
        case 'event_signaled': return 'done event ' + e.handle + ' signaled';
        case 'event_timeout': return 'done event ' + e.handle + ' not signaled by the deadline';
        case 'addref': return d + '.AddRef -> ' + e.count;
        case 'release': return d + '.Release -> ' + e.count;
        case 'qi': return 'QueryInterface(' + d + ') -> ' + e.hresult;
        case 'session_call': return 'session.' + d + ' -> ' + e.hresult;
        case 'support_call': return 'support.' + d + ' -> ' + e.hresult;
        case 'alloc': return (d || 'MAPIAllocateBuffer') + '(' + e.size + ') = ' + e.address;
        case 'free': return 'MAPIFreeBuffer(' + e.address + ')';
        case 'debug_output': return 'OutputDebugString' + quoted(e);
        case 'crash': return 'CRASH ' + e.code + ' at ' + (e.where || e.address);
        case 'frame': return '#' + e.frame + ' ' + (e.where || e.address);
        case 'load': return e.step + ' -> ' + e.hresult + (d ? ' ' + d : '');
        case 'hello': return 'worker started: ' + d + ', pid ' + e.pid;
        case 'phase': return 'host enters the ' + d + ' phase';
        case 'settled': return 'settled; host closed the done event: ' + e.host_closed_event;
        case 'logoff': return 'Logoff -> ' + e.hresult;
        case 'unloaded': return 'provider unloaded; threads still running: ' + e.threads_running;
        case 'end': return 'worker finished the scenario (status ' + e.status + ')';
        case 'exit': return 'worker ended: ' + d + ' (status ' + e.status + ')';
        case 'stacks': return 'stacks of ' + e.threads + ' threads: ' + d;
        case 'integrity': return 'event stream broken: ' + d;
        default: return d;
        }
    }

    /* The filters: status chips (written by report_html.c) and the rules. */
    function filters() {
        const nav = document.getElementById('filters');
        nav.querySelectorAll('button[data-status]').forEach(b => b.addEventListener('click', () => {
            const on = b.getAttribute('aria-pressed') !== 'true';
            b.setAttribute('aria-pressed', String(on));
            if (on) hidden.delete(b.dataset.status); else hidden.add(b.dataset.status);
            apply();
        }));
        const rules = new Set();
        runs.forEach(s => s.violations.forEach(v => rules.add(v.rule)));
        if (rules.size) {
            nav.append(el('span', 'label rules', 'rule'));
            const sel = el('select');
            sel.id = 'rule-filter';
            sel.append(new Option('any, or none', ''));
            [...rules].sort().forEach(r => sel.append(new Option(r, r)));
            sel.addEventListener('change', () => { rule = sel.value; apply(); });
            nav.append(sel);
        }
        nav.append(el('span', 'shown'));
    }

    function apply() {
        let shown = 0;
        runs.forEach((s, i) => {
            const ok = !hidden.has(s.status) && (!rule || s.violations.some(v => v.rule === rule));
            document.getElementById('row-' + i).classList.toggle('hidden', !ok);
            views[i].section.classList.toggle('hidden', !ok);
            shown += ok;
        });
        document.querySelector('#filters .shown').textContent =
            'showing ' + shown + ' of ' + runs.length;
    }

    function fact(dl, name, value) {
        if (value === undefined || value === null || value === '') return;
        dl.append(el('dt', '', name), el('dd', '', String(value)));
    }

    function facts(s) {
        const dl = el('dl', 'facts');
        fact(dl, 'file', s.file);
        fact(dl, 'provider', s.provider);
        fact(dl, 'returned', s.returned);
        fact(dl, 'Done hResult', s.done_hresult);
        fact(dl, 'note', s.note);
        if (s.last_host_call) {
            fact(dl, 'last host call', s.last_host_call.call + ' (event #' +
                 s.last_host_call.event + ', thread ' + s.last_host_call.thread + ')');
        }
        if (s.worker_ordinal > 1) fact(dl, 'worker', 'the ' + s.worker_ordinal +
                                       'th scenario its worker ran');
        fact(dl, 'run alone', s.rerun_alone);
        if (s.events_dropped) fact(dl, 'events dropped', s.events_dropped +
                                   ' (a flood: the first and last events are kept)');
        if (s.baseline) fact(dl, 'baseline', s.baseline + (s.baseline_detail ?
                                                           ': ' + s.baseline_detail : ''));
        return dl;
    }

    function violationList(s, view) {
        const ol = el('ol', 'violations');
        for (const v of s.violations) {
            const li = el('li');
            li.dataset.rule = v.rule;
            li.append(el('span', 'rule' + (v.level === 'expect' ? ' expect' : ''), v.rule),
                      ' [' + v.level + '] ' + v.message +
                      (v.repeats ? ' (+' + v.repeats + ' more)' : '') + ' ');
            if (v.event !== null) {
                li.append(el('span', 'evlink', 'event #' + v.event));
                li.addEventListener('click', () => view.select(v.event));
            }
            ol.append(li);
        }
        return ol;
    }

    /* The event list: only the rows in view are elements. */
    function EventList(box, s, onPick) {
        const ROW = 20;
        const evs = s.events;
        const bad = new Map();
        s.violations.forEach(v => { if (v.event !== null) bad.set(v.event, v.rule); });
        const t0 = evs.length ? evs[0].t_us : 0;
        let rows = evs.map((e, i) => i), sel = -1;
        const inner = el('div');
        box.append(inner);
        function render() {
            inner.style.height = rows.length * ROW + 'px';
            inner.textContent = '';
            const first = Math.max(0, Math.floor(box.scrollTop / ROW) - 5);
            const last = Math.min(rows.length, first + Math.ceil(box.clientHeight / ROW) + 10);
            for (let r = first; r < last; r++) {
                const e = evs[rows[r]];
                const row = el('div', 'row' + (bad.has(e.seq) ? ' bad' : '') +
                               (e.seq === sel ? ' sel' : ''));
                row.style.top = r * ROW + 'px';
                row.dataset.seq = e.seq;
                row.append(el('span', 'seq', '#' + e.seq),
                           el('span', 't', '+' + ((e.t_us - t0) / 1000).toFixed(3)),
                           el('span', 'th', e.thread === 0 ? 'synchost' : 'thread ' + e.thread),
                           el('span', 'k', e.kind),
                           el('span', 'd', describe(e) + (bad.has(e.seq) ? '  \u2190 ' +
                                                          bad.get(e.seq) : '')));
                row.addEventListener('click', () => onPick(e.seq));
                inner.append(row);
            }
        }
        box.addEventListener('scroll', render);
        this.filter = q => {
            q = q.toLowerCase();
            rows = evs.map((e, i) => i).filter(i => !q ||
                (evs[i].kind + ' ' + describe(evs[i])).toLowerCase().includes(q));
            render();
        };
        this.show = seq => {
            sel = seq;
            const r = rows.findIndex(i => evs[i].seq === seq);
            if (r >= 0) box.scrollTop = Math.max(0, r * ROW - box.clientHeight / 2);
            render();
        };
        render();
    }

    function tools(view) {
        const bar = el('div', 'tools');
        const modes = [['order', 'event order'], ['time', 'time']].map(([m, label]) => {
            const b = el('button', '', label);
            b.type = 'button';
            b.setAttribute('aria-pressed', String(m === 'order'));
            b.addEventListener('click', () => {
                modes.forEach(o => o.setAttribute('aria-pressed', String(o === b)));
                view.timeline.setMode(m);
            });
            return b;
        });
        const fit = el('button', '', 'fit');
        fit.type = 'button';
        fit.addEventListener('click', () => view.timeline.fit());
        const legend = el('div', 'legend');
        for (const [name, color] of SynchostTimeline.legend) {
            const i = el('i');
            i.style.background = color;
            const sp = el('span');
            sp.append(i, name);
            legend.append(sp);
        }
        bar.append('spacing', ...modes, fit, 'wheel: zoom, drag: pan, double-click: fit', legend);
        return bar;
    }

    function extras(body, s) {
        const frames = s.events.filter(e => e.kind === 'frame');
        if (frames.length) {
            body.append(el('h3', '', 'stacks'));
            let text = '', thread = null;
            for (const f of frames) {
                if (f.thread !== thread) {
                    text += 'thread ' + f.thread + ':\n';
                    thread = f.thread;
                }
                text += '  ' + describe(f) + '\n';
            }
            body.append(el('pre', 'block', text));
        }
        if (s.rerun) {
            body.append(el('h3', '', 'rerun'));
            body.append(el('pre', 'block', [s.rerun.synchost, s.rerun.winedbg]
                .filter(Boolean).join('\n')));
        }
        if (s.worker_stderr) {
            body.append(el('h3', '', 'worker stderr'), el('pre', 'block', s.worker_stderr));
        }
    }

    /* A scenario's body, built the first time it is opened. */
    function render(view) {
        const s = view.run, body = el('div', 'sbody');
        view.section.append(body);
        body.append(facts(s));
        if (s.violations.length) body.append(violationList(s, view));
        if (s.events.length) {
            const box = el('div', 'timeline');
            body.append(tools(view), box);
            view.timeline = new SynchostTimeline(box, s, {
                describe: describe,
                onSelect: seq => view.list.show(seq),
            });
            const evtools = el('div', 'evtools', s.events.length + ' events' +
                               (s.events_dropped ? ' kept, ' + s.events_dropped + ' dropped' : ''));
            const q = el('input');
            q.type = 'search';
            q.placeholder = 'filter events (kind or text)';
            evtools.append(q);
            const lbox = el('div', 'events');
            body.append(evtools, lbox);
            view.list = new EventList(lbox, s, seq => view.select(seq));
            q.addEventListener('input', () => view.list.filter(q.value));
            /* The first event a violation points at, shown at once. */
            const first = s.violations.find(v => v.event !== null);
            if (first) view.select(first.event);
        } else {
            body.append(el('p', '', 'No events were recorded.'));
        }
        extras(body, s);
    }

    function section(s, i) {
        const sec = el('details', 'scenario st-' + s.status);
        sec.id = 'scenario-' + i;
        const sum = el('summary');
        sum.append(el('span', 'badge st-' + s.status, s.status.replace('_', ' ')),
                   el('span', 'name', s.name), el('span', 'file', s.file),
                   el('span', 'dur', s.duration_ms + ' ms'));
        if (s.violations.length) {
            sum.append(el('span', 'vcount', s.violations.length + ' violation' +
                          (s.violations.length > 1 ? 's' : '')));
        }
        sec.append(sum);
        const view = { run: s, section: sec, built: false, timeline: null, list: null };
        view.select = seq => {
            if (view.timeline) view.timeline.selectSeq(seq);
            if (view.list) view.list.show(seq);
        };
        sec.addEventListener('toggle', () => {
            if (sec.open && !view.built) { view.built = true; render(view); }
        });
        views.push(view);
        return sec;
    }

    function open(i, scroll) {
        const v = views[i];
        if (!v) return;
        v.section.open = true;
        if (!v.built) { v.built = true; render(v); }
        if (scroll) v.section.scrollIntoView();
    }

    runs.forEach((s, i) => main.append(section(s, i)));
    filters();
    apply();
    document.querySelectorAll('#summary tr.scenario-row').forEach(tr => tr.addEventListener(
        'click', ev => { ev.preventDefault(); open(+tr.dataset.index, true); }));
    window.addEventListener('hashchange', () => {
        const m = /^#scenario-(\d+)$/.exec(location.hash);
        if (m) open(+m[1], true);
    });
    window.addEventListener('resize', () => views.forEach(v => v.timeline && v.timeline.draw()));
    /* Opened at once: the one the address names, every one with "#all",
     * else the first that did not pass. */
    const m = /^#scenario-(\d+)$/.exec(location.hash);
    if (m) open(+m[1], true);
    else if (location.hash === '#all') views.forEach((v, i) => open(i, false));
    else {
        const bad = runs.findIndex(s => s.status !== 'passed' && s.status !== 'skipped');
        if (bad >= 0) open(bad, false);
    }
})();
