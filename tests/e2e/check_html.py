#!/usr/bin/env python3
"""--html and --chrome-trace (docs/reports.md), in headless Chromium: for a
correct provider, and for a run of it beside one whose Done comes twice, the
page's DOM once its script ran (chromium --dump-dom) has a summary row per
scenario with the JSON report's name and status, a section per scenario
with its timeline drawn (every event that has a mark, a lane per thread)
and a violation mark on each event a violation points at, none for the
correct provider. Hovering a violation's event shows it, clicking selects
its row, the rule and status filters hide the rows they should. A page
carrying a 10,000-event trace draws it whole, its event list only the rows
in view. The Chrome trace: a process per scenario, a named track per
thread, the host's call as a complete event. Exits 0 when all holds, 1
with the reasons, 77 without Chromium outside CI (in CI, CI=true, a missing
tool fails: needs.py)."""
import html.parser
import json
import os
import sys
import tempfile
import time

from needs import Checker, finish, options, parser, run_shown, write_scenario

BROWSER = "chromium"


class Dom(html.parser.HTMLParser):
    """The elements of a dumped DOM, each as (tag, attributes, enclosing
    section id), in document order."""

    def __init__(self):
        super().__init__()
        self.elements = []
        self.stack = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        section = next((s for t, s in reversed(self.stack) if s), None)
        if tag == "details" and (a.get("id") or "").startswith("scenario-"):
            section = a["id"]
        self.elements.append((tag, a, section))
        if tag not in ("br", "img", "input", "meta", "link", "hr", "wbr"):
            self.stack.append((tag, a.get("id") if tag == "details" else None))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def having(self, tag, cls=None, section=None):
        return [a for t, a, s in self.elements
                if t == tag and (cls is None or cls in (a.get("class") or "").split())
                and (section is None or s == section)]


run = run_shown


def dump_dom(path, fragment):
    """The page's DOM after its script ran, and the seconds it took. The
    browser's profile is a folder of its own beside the page, so that no
    other browser's lock or state is shared."""
    start = time.monotonic()
    profile = os.path.join(os.path.dirname(os.path.abspath(path)), "chromium-profile")
    proc = run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + profile,
                "--window-size=1400,1000", "--virtual-time-budget=10000", "--dump-dom",
                "file://" + os.path.abspath(path) + fragment])
    if proc.returncode != 0 or "<html" not in proc.stdout:
        raise RuntimeError("chromium could not render %s:\n%s" % (path, proc.stderr[-2000:]))
    dom = Dom()
    dom.feed(proc.stdout)
    return dom, time.monotonic() - start


def marked_events(sc):
    """The events the timeline draws a mark for: all but frames (listed
    apart) and the call and return (drawn as the call's bar)."""
    return sum(1 for e in sc["events"] if e["kind"] not in ("frame", "call", "return"))


def lanes(sc):
    return len({e["thread"] for e in sc["events"] if e["kind"] != "frame"})


def check_page(c, where, path, doc):
    dom, _ = dump_dom(path, "#all")
    rows = dom.having("tr", "scenario-row")
    c.expect(len(rows) == len(doc["scenarios"]), where,
             "%d summary rows for %d scenarios" % (len(rows), len(doc["scenarios"])))
    for i, sc in enumerate(doc["scenarios"]):
        at = "%s: scenario %d (%s)" % (where, i, sc["name"])
        row = next((r for r in rows if r.get("id") == "row-%d" % i), None)
        if not c.expect(row is not None, at, "no summary row"):
            continue
        c.expect(row.get("data-status") == sc["status"], at, "row status %s, report %s"
                 % (row.get("data-status"), sc["status"]))
        rules = sorted(v["rule"] for v in sc["violations"])
        c.expect(sorted((row.get("data-rules") or "").split()) == rules, at,
                 "row rules %r, report %r" % (row.get("data-rules"), rules))
        section = "scenario-%d" % i
        canvas = dom.having("canvas", section=section)
        if c.expect(len(canvas) == 1, at, "%d timelines" % len(canvas)):
            drawn = canvas[0].get("data-events-drawn")
            c.expect(drawn == str(marked_events(sc)), at, "timeline drew %s events of %d"
                     % (drawn, marked_events(sc)))
            c.expect(canvas[0].get("data-lanes") == str(lanes(sc)), at, "%s lanes for %d threads"
                     % (canvas[0].get("data-lanes"), lanes(sc)))
        marks = {(m.get("data-seq"), r) for m in dom.having("div", "vmark", section)
                 for r in (m.get("data-rules") or "").split()}
        want = {(str(v["event"]), v["rule"]) for v in sc["violations"] if v["event"] is not None}
        c.expect(marks == want, at, "violation marks %s, report %s"
                 % (sorted(marks), sorted(want)))
    return dom


def flood_page(path, doc, out):
    """path's page with its first scenario's events replaced by 10,000
    Progress calls on four threads, one a violation points at."""
    with open(path, encoding="utf-8") as f:
        page = f.read()
    sc = doc["scenarios"][0]
    host = next(e["thread"] for e in sc["events"] if e["kind"] == "call")
    events = [{"seq": 0, "t_us": 0, "thread": host, "kind": "call", "flags": "0x0",
               "flag_names": "0"}]
    for i in range(1, 10000):
        events.append({"seq": i, "t_us": i * 37, "thread": 1000 + i % 4, "kind": "progress",
                       "index": i, "index_max": 10000, "answered": "S_OK", "text": "step %d" % i})
    sc["events"] = events
    sc["violations"] = [{"rule": "progress-monotonic", "level": "recommended",
                         "message": "flood", "event": 5000, "repeats": 0}]
    data = json.dumps(doc).replace("<", "\\u003c")
    start = page.index('id="synchost-data">') + len('id="synchost-data">')
    end = page.index("</script>", start)
    with open(out, "w", encoding="utf-8") as f:
        f.write(page[:start] + data + page[end:])


def check_flood(c, path, doc, tmp):
    out = os.path.join(tmp, "flood.html")
    flood_page(path, doc, out)
    dom, took = dump_dom(out, "#scenario-0")
    print("10,000-event page rendered in %.1f s (browser start included)" % took)
    canvas = dom.having("canvas", section="scenario-0")
    c.expect(canvas and canvas[0].get("data-events-drawn") == "9999", "flood",
             "timeline drew %s of 9999 marks" % (canvas and canvas[0].get("data-events-drawn")))
    rows = dom.having("div", "row", "scenario-0")
    c.expect(0 < len(rows) < 100, "flood", "%d event rows in the DOM" % len(rows))
    marks = dom.having("div", "vmark", "scenario-0")
    c.expect([m.get("data-seq") for m in marks] == ["5000"], "flood",
             "violation marks %r" % [m.get("data-seq") for m in marks])


# Run in the page once it has loaded: hover the first violation's event,
# click it, then filter by rule and by status; what each did, as JSON in
# the body's data-probe attribute.
PROBE = """<script>
window.addEventListener('load', () => {
  const out = {};
  try {
    const m = document.querySelector('details.scenario .vmark'), sec = m.closest('details');
    const c = sec.querySelector('canvas'), r = c.getBoundingClientRect();
    const x = r.left + parseFloat(m.style.left), tip = sec.querySelector('.tip');
    for (let y = r.top + 37; y < r.bottom - 22 && !out.tip; y += 30) {
      c.dispatchEvent(new MouseEvent('mousemove', {clientX: x, clientY: y}));
      if (!tip.classList.contains('hidden')) {
        out.tip = tip.textContent;
        c.dispatchEvent(new MouseEvent('click', {clientX: x, clientY: y}));
      }
    }
    out.selected = [...sec.querySelectorAll('.events .row.sel')].map(e => +e.dataset.seq);
    const rule = document.getElementById('rule-filter');
    rule.value = rule.options[rule.options.length - 1].value;
    rule.dispatchEvent(new Event('change'));
    out.rule = rule.value;
    out.rows_for_rule = document.querySelectorAll('#summary tr.scenario-row:not(.hidden)').length;
    rule.value = '';
    rule.dispatchEvent(new Event('change'));
    document.querySelector('#filters button[data-status]').click();
    out.rows_unfiltered = document.querySelectorAll('#summary tr.scenario-row:not(.hidden)').length;
  } catch (e) { out.error = String(e.stack); }
  document.body.dataset.probe = JSON.stringify(out);
});
</script>"""


def check_interaction(c, path, doc, tmp):
    out = os.path.join(tmp, "probe.html")
    with open(path, encoding="utf-8") as f:
        page = f.read()
    with open(out, "w", encoding="utf-8") as f:
        f.write(page.replace("</body>", PROBE + "</body>"))
    dom, _ = dump_dom(out, "#all")
    body = next(a for t, a, s in dom.elements if t == "body")
    probe = json.loads(body.get("data-probe") or '{"error": "the probe did not run"}')
    print("probe: %r" % probe)
    if not c.expect("error" not in probe, "interaction", probe.get("error")):
        return
    v = next(v for s in doc["scenarios"] for v in s["violations"] if v["event"] is not None)
    c.expect(v["rule"] in probe.get("tip", ""), "interaction",
             "hovering event #%d shows %r, not its violation" % (v["event"], probe.get("tip")))
    c.expect(probe["selected"] == [v["event"]], "interaction",
             "clicking event #%d selects rows %r" % (v["event"], probe["selected"]))
    want = sum(1 for s in doc["scenarios"] if any(x["rule"] == probe["rule"]
                                                   for x in s["violations"]))
    c.expect(probe["rows_for_rule"] == want, "interaction", "rule %s shows %d rows, not %d"
             % (probe["rule"], probe["rows_for_rule"], want))
    first = doc["scenarios"][0]["status"]
    want = sum(1 for s in doc["scenarios"] if s["status"] != first)
    c.expect(probe["rows_unfiltered"] == want, "interaction", "hiding %s leaves %d rows, not %d"
             % (first, probe["rows_unfiltered"], want))


def check_chrome(c, path, doc):
    with open(path, encoding="utf-8") as f:
        trace = json.load(f)
    events = trace["traceEvents"]
    names = {e["pid"]: e["args"]["name"] for e in events
             if e["ph"] == "M" and e["name"] == "process_name"}
    c.expect(len(names) == len(doc["scenarios"]), "chrome trace",
             "%d processes for %d scenarios" % (len(names), len(doc["scenarios"])))
    for i, sc in enumerate(doc["scenarios"]):
        pid = i + 1
        at = "chrome trace: %s" % sc["name"]
        c.expect(names.get(pid) == "%s: %s" % (sc["name"], sc["status"]), at,
                 "process named %r" % names.get(pid))
        tracks = {e["tid"] for e in events if e["pid"] == pid and e["ph"] == "M"
                  and e["name"] == "thread_name"}
        c.expect(tracks >= {e["thread"] for e in sc["events"]}, at, "tracks %s" % sorted(tracks))
        calls = [e for e in events if e["pid"] == pid and e["ph"] == "X"
                 and e["name"] == "SynchronizeInBackground"]
        # One complete event per call the host made (sync.overlap and
        # sync.repeat make several; a failed Logon makes none).
        made = sum(1 for e in sc["events"] if e["kind"] == "call")
        c.expect(len(calls) == made, at, "%d calls made, %r" % (made, calls))
        # A call that fails at once (E_INVALIDARG) may return within the
        # microsecond it began: a slice of 0 is right, one without a length,
        # with a negative one or before the scenario began is not.
        for x in calls:
            c.expect(isinstance(x.get("dur"), (int, float)) and x["dur"] >= 0
                     and isinstance(x.get("ts"), (int, float)) and x["ts"] >= 0
                     and x["args"]["call"]["kind"] == "call" and "return" in x["args"],
                     at, "slice %r" % x)


def synchost(args, want, tmp, name):
    paths = {k: os.path.join(tmp, name + ext) for k, ext in
             (("json", ".json"), ("html", ".html"), ("trace", ".trace.json"))}
    proc = run(args + ["--report-json", paths["json"], "--html", paths["html"],
                       "--chrome-trace", paths["trace"]])
    if proc.returncode != want:
        raise RuntimeError("%s: exit %d, not %d:\n%s%s" % (name, proc.returncode, want,
                                                           proc.stdout, proc.stderr))
    with open(paths["json"], encoding="utf-8") as f:
        return paths, json.load(f)


def main():
    a = options(parser(reference=None, defect="a provider that calls Done twice"), BROWSER,
                "wine")
    c = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        good, good_doc = synchost([a.synchost, "conform", a.reference], 0, tmp, "good")
        # A run mixing a correct provider and a defect, each in its own scenario.
        files = [write_scenario(os.path.join(tmp, name + ".yaml"), name, dll, 3000)
                 for name, dll in (("correct", a.reference), ("twice", a.defect))]
        bad, bad_doc = synchost([a.synchost, "run"] + files, 1, tmp, "bad")
        c.expect(all(not s["violations"] for s in good_doc["scenarios"]), "good",
                 "the correct provider has violations")
        c.expect(sorted(s["status"] for s in bad_doc["scenarios"]) == ["failed", "passed"],
                 "bad", "statuses %r" % [s["status"] for s in bad_doc["scenarios"]])
        dom = check_page(c, "good", good["html"], good_doc)
        c.expect(not dom.having("div", "vmark"), "good", "violation marks on a passing run")
        check_page(c, "bad", bad["html"], bad_doc)
        check_chrome(c, good["trace"], good_doc)
        check_chrome(c, bad["trace"], bad_doc)
        check_interaction(c, bad["html"], bad_doc, tmp)
        check_flood(c, bad["html"], bad_doc, tmp)
    return finish(c.problems)


if __name__ == "__main__":
    sys.exit(main())
