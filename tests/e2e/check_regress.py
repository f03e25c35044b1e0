#!/usr/bin/env python3
"""The regression workflow end to end (docs/regression.md):
--baseline with an expectations file or a previous report, --rerun-failed,
--repeat's pass rates, --seed's order, and a SIGINT under a baseline.

usage: check_regress.py CASE --synchost S --reference DLL --defect DLL [--hang DLL]
                        [--at-random DLL]
CASE: baseline, fixed-skip, rerun-failed, repeat-seed, interrupt, changed-rules. Exits 0
when every check of the case holds, 1 with the reasons, 77 without Wine outside CI (needs.py)."""
import json
import os
import signal
import subprocess
import sys
import time

# The scenarios whose host services fail end the sync before the defect
# strikes, and in those that hand the provider bad arguments (or no
# callback) it rightly refuses the call or never calls back: the runs that
# expect every scenario to fail leave them out.
NOT_FAULTS = ["--exclude", "^fault-|^(null-psib|null-done-event-ptr|size-too-small|null-callback|"
              "unknown-only-callback)$"]

from needs import Checker, options, parser, run_case

FAILED = ("failed", "crashed", "timed_out", "errored", "interrupted")


class Case(Checker):
    def __init__(self, a, tmp):
        super().__init__(tmp)
        self.a = a
        self.n = 0

    def write(self, name, text):
        with open(self.path(name), "w", encoding="utf-8") as f:
            f.write(text)
        return self.path(name)

    def run(self, args, expect_exit, what):
        """Runs synchost with a JSON report; returns (report or None, output)."""
        self.n += 1
        report = self.path("report-%d.json" % self.n)
        cmd = [self.a.synchost] + args + ["--report-json", report]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=600)
        print("$ " + " ".join(cmd))
        print(proc.stdout)
        if proc.returncode != expect_exit:
            self.fail(what, "exit status %d, expected %d" % (proc.returncode, expect_exit))
        try:
            with open(report, encoding="utf-8") as f:
                return json.load(f), proc.stdout, report
        except (OSError, ValueError) as e:
            if expect_exit in (0, 1, 130):
                self.fail(what, "no readable report: %s" % e)
            return None, proc.stdout, report

    def verdicts(self, doc):
        return {s["name"]: s.get("baseline") for s in doc["scenarios"]} if doc else {}


def expectations(entries):
    lines = ["known:"]
    for e in entries:
        lines.append("  - { " + ", ".join("%s: %s" % (k, json.dumps(v)) for k, v in e.items())
                     + " }")
    return "\n".join(lines) + "\n"


def case_baseline(c):
    """A defective provider: without a baseline exit 1; with one listing its
    failures exit 0; with one listing another rule exit 1; its own old report
    as the baseline exit 0."""
    dll = c.a.defect
    first, _, first_path = c.run(["conform", dll] + NOT_FAULTS, 1, "no baseline")
    if first is None:
        return
    failing = [s for s in first["scenarios"] if s["status"] == "failed"]
    c.expect(failing and len(failing) == len(first["scenarios"]), "no baseline",
             "expected every scenario to fail: %s" % [s["status"] for s in first["scenarios"]])
    known = [{"scenario": s["name"], "status": "failed", "rule": v["rule"], "reason": "bug 1234"}
             for s in failing for v in s["violations"]]
    path = c.write("known.yaml", expectations(known))
    doc, out, _ = c.run(["conform", dll, "--baseline", path] + NOT_FAULTS, 0, "known failures")
    if doc:
        c.expect(set(c.verdicts(doc).values()) == {"known-failure"}, "known failures",
                 "verdicts %s" % c.verdicts(doc))
        c.expect(all(s.get("baseline_reason") == "bug 1234" for s in doc["scenarios"]),
                 "known failures", "the reason is not in the report")
        c.expect(doc["summary"].get("baseline", {}).get("known-failure") == len(failing),
                 "known failures", "summary.baseline %s" % doc["summary"].get("baseline"))
        c.expect(doc.get("baseline_file") == path, "known failures", "no baseline_file")
    # Another rule than the one listed: by default still known (matched by
    # scenario and status), its change told; exactly matched, new.
    other = [dict(e, rule="done-last") for e in known]
    path = c.write("other.yaml", expectations(other))
    doc, out, _ = c.run(["conform", dll, "--baseline", path] + NOT_FAULTS, 0, "another rule")
    if doc:
        c.expect(set(c.verdicts(doc).values()) == {"known-failure"}, "another rule",
                 "verdicts %s" % c.verdicts(doc))
        c.expect(all(s.get("baseline_changed") == {"now_breaks": ["done-called-once"],
                                                   "no_longer_breaks": ["done-last"]}
                     for s in doc["scenarios"]), "another rule",
                 "baseline_changed %s" % [s.get("baseline_changed") for s in doc["scenarios"]])
        c.expect(doc["summary"].get("baseline_changed") == len(failing), "another rule",
                 "summary.baseline_changed %s" % doc["summary"].get("baseline_changed"))
        c.expect("CHANGED: now breaks done-called-once, no longer done-last" in out,
                 "another rule", "the console does not tell the change")
    for extra, name in ((["--baseline-strict"], "--baseline-strict"), ([], "rules: exact")):
        if not extra:
            path = c.write("exact.yaml", expectations([dict(e, rules="exact") for e in other]))
        doc, out, _ = c.run(["conform", dll, "--baseline", path] + extra + NOT_FAULTS, 1, name)
        if doc:
            c.expect(set(c.verdicts(doc).values()) == {"new-failure"}, name,
                     "verdicts %s" % c.verdicts(doc))
            c.expect("NEW FAILURE" in out and "done-called-once" in out, name,
                     "the console does not name the new failure and its rule")
    doc, out, _ = c.run(["conform", dll, "--baseline", first_path] + NOT_FAULTS, 0,
                        "a report as baseline")
    if doc:
        c.expect(set(c.verdicts(doc).values()) == {"known-failure"}, "a report as baseline",
                 "verdicts %s" % c.verdicts(doc))


def case_fixed_skip(c):
    """A known failure that passes is fixed (and fails the run); a skip entry
    is not run and says why; a flaky one passes."""
    dll = c.a.reference
    sel = ["--filter", "^(on-demand|download-contents|headers-only)$"]
    path = c.write("fixed.yaml", expectations([
        {"scenario": "on-demand", "status": "failed", "rule": "done-called-once",
         "reason": "bug 1234"},
        {"scenario": "headers-only", "status": "flaky", "reason": "timing under load"},
    ]))
    doc, out, _ = c.run(["conform", dll, "--baseline", path] + sel, 1, "fixed")
    if doc:
        v = c.verdicts(doc)
        c.expect(v == {"on-demand": "fixed", "download-contents": "passed",
                       "headers-only": "flaky"}, "fixed", "verdicts %s" % v)
        c.expect("FIXED" in out and "update the baseline" in out, "fixed",
                 "the console does not say the baseline needs updating")
        c.expect(doc["summary"]["baseline"]["fixed"] == 1, "fixed", "summary.baseline.fixed")
    path = c.write("skip.yaml", expectations([
        {"scenario": "on-demand", "status": "skip", "reason": "not supported by this provider"},
    ]))
    doc, out, _ = c.run(["conform", dll, "--baseline", path] + sel, 0, "skip")
    if doc:
        sk = [s for s in doc["scenarios"] if s["name"] == "on-demand"]
        c.expect(len(sk) == 1 and sk[0]["status"] == "skipped" and not sk[0]["events"] and
                 sk[0].get("baseline") == "skipped" and
                 sk[0].get("baseline_reason") == "not supported by this provider",
                 "skip", "on-demand: %s" % [{k: s.get(k) for k in ("status", "baseline",
                                                                  "baseline_reason")}
                                            for s in sk])
        c.expect(doc["summary"]["skipped"] == 1 and doc["summary"]["passed"] == 2, "skip",
                 "summary %s" % doc["summary"])
        c.expect("not supported by this provider" in out, "skip", "the console lacks the reason")
    bad = c.write("bad.yaml", "known:\n  - { scenario: on-demand, status: failed, why: x }\n")
    _, out, _ = c.run(["conform", dll, "--baseline", bad], 2, "a bad expectations file")
    c.expect("bad.yaml:2:44: unknown key 'why'" in out, "a bad expectations file",
             "no file:line:col in the message")


def case_rerun_failed(c):
    """--rerun-failed runs only what did not pass in the report, by name and
    file; an unreadable report is exit 2 with the reason."""
    dll = c.a.reference
    runs = [("on-demand", "failed"), ("download-contents", "passed"),
            ("headers-only", "interrupted"), ("upload-contents", "skipped"),
            ("full-background", "crashed")]
    report = {"tool": "synchost", "version": "0.1.0",
              "scenarios": [{"name": n, "file": "<builtin>/%s.yaml" % n, "status": s,
                             "violations": []} for n, s in runs]}
    path = c.write("old.json", json.dumps(report))
    doc, _, _ = c.run(["conform", dll, "--rerun-failed", path], 0, "rerun")
    if doc:
        names = sorted(s["name"] for s in doc["scenarios"])
        c.expect(names == ["full-background", "headers-only", "on-demand"], "rerun",
                 "ran %s" % names)
    # A real report: a failing provider's, filtered, then rerun with run.
    first, _, first_path = c.run(["conform", c.a.defect, "--filter", "^(on-demand|headers-only)$"],
                                 1, "a report to rerun")
    suite = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts",
                         "suites", "conformance")
    doc, _, _ = c.run(["run", "--provider", c.a.defect, "--rerun-failed", first_path, suite], 1,
                      "rerun with run")
    if doc:
        names = sorted(s["name"] for s in doc["scenarios"])
        c.expect(names == ["headers-only", "on-demand"], "rerun with run", "ran %s" % names)
    _, out, _ = c.run(["conform", dll, "--rerun-failed", c.write("bad.json", "{\"tool\": ")], 2,
                      "an unreadable report")
    c.expect("bad.json:1:" in out and "not valid JSON" in out, "an unreadable report",
             "the message does not say where and why")
    _, out, _ = c.run(["conform", dll, "--rerun-failed", c.path("missing.json")], 2,
                      "a missing report")
    c.expect("missing.json" in out, "a missing report", "the message does not name the file")


def case_repeat_seed(c):
    """--repeat N gives per-scenario pass rates; --seed N gives one order,
    the same for the same seed; without it, the files' order."""
    dll = c.a.reference
    doc, out, _ = c.run(["conform", dll, "--repeat", "3", "--filter", "^(on-demand|headers-only)$"],
                        0, "repeat")
    if doc:
        rates = {p["name"]: (p["runs"], p["passed"]) for p in doc.get("pass_rates", [])}
        c.expect(rates == {"on-demand": (3, 3), "headers-only": (3, 3)}, "repeat",
                 "pass_rates %s" % doc.get("pass_rates"))
        c.expect("every scenario passed every run" in out, "repeat", "no pass-rate line")
    doc, out, _ = c.run(["conform", c.a.defect, "--repeat", "2", "--filter", "^on-demand$"], 1,
                        "repeat of a failure")
    if doc:
        c.expect("on-demand: 0/2 passed" in out, "repeat of a failure", "no 'on-demand: 0/2'")
    orders = []
    for seed in ("7", "7", "8", None):
        args = ["conform", dll, "-j", "1"] + (["--seed", seed] if seed else [])
        doc, _, _ = c.run(args, 0, "seed %s" % seed)
        orders.append(([s["name"] for s in doc["scenarios"]], doc.get("order"))
                      if doc else (None, None))
    c.expect(orders[0] == orders[1], "seed", "seed 7 gave two orders: %s" % orders[:2])
    c.expect(orders[0][0] != orders[2][0], "seed", "seeds 7 and 8 gave the same order")
    c.expect(orders[0][1] == "shuffled" and orders[3][1] == "files", "seed",
             "order fields %s" % [o[1] for o in orders])
    c.expect(orders[3][0] == sorted(orders[3][0] or [], key=lambda n: n + ".yaml"), "seed",
             "without --seed the order is not the files' order: %s" % orders[3][0])
    c.expect(sorted(orders[0][0] or []) == sorted(orders[3][0] or []), "seed",
             "the shuffle lost or added scenarios")


def case_interrupt(c):
    """SIGINT under a baseline still writes the whole report."""
    path = c.write("skip.yaml", expectations([
        {"scenario": "upload-contents", "status": "skip", "reason": "not today"}]))
    report = c.path("interrupted.json")
    # The scenarios whose sync hangs on this provider (the argument ones end at once).
    hangs = ("^(cancel-on-second-progress|download-contents|download-hierarchy|full-background|"
             "headers-only|on-demand|upload-contents|upload-hierarchy)$")
    proc = subprocess.Popen([c.a.synchost, "conform", c.a.hang, "-j", "1", "--timeout-ms",
                             "30000", "--filter", hangs, "--baseline", path,
                             "--report-json", report],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(5)
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    print(out)
    c.expect(proc.returncode == 130, "interrupt", "exit status %d" % proc.returncode)
    try:
        with open(report, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        c.fail("interrupt", "no readable report: %s" % e)
        return
    s = doc["summary"]
    # The built-in suite: one skipped, every other one interrupted.
    c.expect(s["total"] >= 8 and s["skipped"] == 1 and s["interrupted"] == s["total"] - 1,
             "interrupt", "summary %s" % s)
    c.expect(s.get("baseline", {}).get("skipped") == 1 and
             s.get("baseline", {}).get("not-judged") == s["total"] - 1, "interrupt",
             "summary.baseline %s" % s.get("baseline"))
    c.expect(all("baseline" in x for x in doc["scenarios"]), "interrupt",
             "a scenario lacks its baseline verdict")


RACE = ["--filter", "^logoff-mid-sync$"]
RACE_RULES = {"done-called-once", "shutdown-during-sync"}
RACE_RUNS = 20


def rules_of(doc):
    return {v["rule"] for s in doc["scenarios"] for v in s["violations"]}


def case_changed_rules(c):
    """A defect whose broken rule varies with timing, run against its own
    report as the baseline RACE_RUNS times: every run exits 0, a run whose
    rules differ says so as a change. A scenario that passed in the
    baseline and fails now still exits 1."""
    dll = c.a.at_random
    first, _, first_path = c.run(["conform", dll] + RACE, 1, "the baseline's run")
    if first is None:
        return
    known = rules_of(first)
    c.expect(known and known <= RACE_RULES, "the baseline's run", "rules %s" % known)
    seen = set(known)
    changed = 0
    for i in range(RACE_RUNS):
        what = "run %d against the baseline" % (i + 1)
        doc, out, _ = c.run(["conform", dll, "--baseline", first_path] + RACE, 0, what)
        if doc is None:
            continue
        sc = doc["scenarios"][0]
        rules = rules_of(doc)
        seen |= rules
        c.expect(sc["status"] == "failed" and sc.get("baseline") == "known-failure", what,
                 "status %s, baseline %s" % (sc["status"], sc.get("baseline")))
        if rules != known:
            changed += 1
            want = {"now_breaks": sorted(rules - known), "no_longer_breaks": sorted(known - rules)}
            got = {k: sorted(v) for k, v in sc.get("baseline_changed", {}).items()}
            c.expect(got == want, what, "baseline_changed %s, expected %s" % (got, want))
            c.expect("CHANGED: now breaks" in out and "1 with changed rules" in out, what,
                     "the console does not tell the change")
        else:
            c.expect("baseline_changed" not in sc, what, "a change where there is none")
    print("rules seen: %s; %d of %d runs changed" % (sorted(seen), changed, RACE_RUNS))
    # The defect must have raced, or this case proved nothing.
    c.expect(seen == RACE_RULES, "the race", "only %s seen in %d runs" % (sorted(seen),
                                                                       RACE_RUNS + 1))
    # The reference passes logoff-mid-sync: failing it now is new.
    _, _, passed_path = c.run(["conform", c.a.reference] + RACE, 0, "a passing baseline")
    doc, out, _ = c.run(["conform", dll, "--baseline", passed_path] + RACE, 1,
                        "failing where the baseline passed")
    if doc:
        c.expect(c.verdicts(doc) == {"logoff-mid-sync": "new-failure"},
                 "failing where the baseline passed", "verdicts %s" % c.verdicts(doc))
        c.expect("NEW FAILURE" in out, "failing where the baseline passed", "no NEW FAILURE")


CASES = {"baseline": case_baseline, "fixed-skip": case_fixed_skip,
         "rerun-failed": case_rerun_failed, "repeat-seed": case_repeat_seed,
         "interrupt": case_interrupt, "changed-rules": case_changed_rules}


def main():
    ap = parser(reference=None, defect="a provider failing every scenario")
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("--hang", help="a provider whose scenarios wait (interrupt)")
    ap.add_argument("--at-random", help="a provider breaking one rule or another at random "
                    "in logoff-mid-sync (changed-rules)")
    a = options(ap, "wine")
    return run_case(CASES, a.case, lambda tmp: Case(a, tmp))


if __name__ == "__main__":
    sys.exit(main())
