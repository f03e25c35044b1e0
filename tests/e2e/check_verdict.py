#!/usr/bin/env python3
"""Runs synchost and checks its verdict: exit status, the rules flagged, and
the JSON report's shape (docs/reports.md). Exits 0 when everything holds, 1 with
the reasons otherwise, 77 (skip) when Wine is missing, outside CI (needs.py)."""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

from needs import missing

SCENARIO_KEYS = {"name", "file", "status", "duration_ms", "returned", "done_hresult", "calls",
                 "violations", "events", "events_dropped"}
CALL_KEYS = {"call", "returned", "done_hresult", "done_calls", "event"}
SUMMARY_KEYS = {"total", "passed", "failed", "crashed", "timed_out", "errored", "skipped",
                "interrupted"}
STATUSES = {"passed", "failed", "crashed", "timed_out", "errored", "skipped", "interrupted"}


def check_shape(doc, problems):
    for key in ("tool", "version", "seed", "provider", "level", "summary", "duration_ms",
                "scenarios"):
        if key not in doc:
            problems.append("report lacks '%s'" % key)
    if doc.get("tool") != "synchost":
        problems.append("report tool is %r" % doc.get("tool"))
    missing = SUMMARY_KEYS - set(doc.get("summary", {}))
    if missing:
        problems.append("summary lacks %s" % sorted(missing))
    if doc.get("summary", {}).get("total") != len(doc.get("scenarios", [])):
        problems.append("summary.total does not count the scenarios")
    for sc in doc.get("scenarios", []):
        missing = SCENARIO_KEYS - set(sc)
        if missing:
            problems.append("scenario %s lacks %s" % (sc.get("name"), sorted(missing)))
        if sc.get("status") not in STATUSES:
            problems.append("scenario %s has status %r" % (sc.get("name"), sc.get("status")))
        for c in sc.get("calls", []):
            if set(c) != CALL_KEYS or c["event"] not in ("signaled", "timed_out", "none"):
                problems.append("scenario %s has a call outcome %r" % (sc.get("name"), c))
        calls = [c.get("call") for c in sc.get("calls", [])]
        if calls != sorted(set(calls)):
            problems.append("scenario %s calls are not in order: %s" % (sc.get("name"), calls))
        seqs = [e.get("seq") for e in sc.get("events", [])]
        if seqs != sorted(seqs):
            problems.append("scenario %s events are not in sequence order" % sc.get("name"))
        for v in sc.get("violations", []):
            for key in ("rule", "level", "message", "event"):
                if key not in v:
                    problems.append("a violation in %s lacks '%s'" % (sc.get("name"), key))
            if v.get("event") is not None and v["event"] not in seqs:
                problems.append("violation %s points at event %s, which the trace does not keep"
                                % (v.get("rule"), v.get("event")))


def processes_matching(pattern):
    """The pids and command lines of this machine's processes that match."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                line = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        except OSError:
            continue
        if re.search(pattern, line):
            found.append("%s %s" % (pid, line))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--synchost", required=True)
    ap.add_argument("--expect-exit", type=int, required=True)
    ap.add_argument("--expect-rule", action="append", default=[],
                    help="a rule id that must be flagged (in at least one scenario: a "
                         "defect may not be reached in every one, e.g. after a cancel)")
    ap.add_argument("--expect-status", help="the status every scenario must have")
    ap.add_argument("--kinds-optional", action="append", default=[],
                    help="KIND:SCENARIO: the scenario's trace may lack that kind (a host that "
                         "logs off 10 ms after the call may come before the first Progress)")
    ap.add_argument("--expect-kinds", default="",
                    help="comma-separated event kinds every scenario's trace must hold")
    ap.add_argument("--expect-output", action="append", default=[],
                    help="a regular expression the console output must match (re.M)")
    ap.add_argument("--expect-event", action="append", default=[],
                    help="KIND,KEY,VALUE: an event some scenario must have, with KEY's value "
                         "(as a string) VALUE")
    ap.add_argument("--expect-field", action="append", default=[],
                    help="KEY,REGEX: a scenario some field KEY of which (as a string) matches "
                         "REGEX (re.S)")
    ap.add_argument("--rule-with-field", action="append", default=[],
                    help="RULE:KEY,REGEX: the scenarios flagged with RULE are exactly those "
                         "whose field KEY (as a string) matches REGEX: a violation that must "
                         "stay with the scenarios that committed it, never pass in one of them "
                         "nor be blamed on another")
    ap.add_argument("--only-rules", action="store_true",
                    help="no violations other than the expected rules")
    ap.add_argument("--rule-if-event", action="append", default=[],
                    help="RULE:KIND,KEY,REGEX: with --only-rules, RULE may be flagged too, "
                         "but only in a scenario whose own trace has an event of KIND whose "
                         "KEY matches REGEX (a late call the defect makes breaks a second "
                         "rule when the load lets it land in the scenario that is watched)")
    ap.add_argument("--max-cpu-per-scenario", type=float,
                    help="seconds of user CPU time the run (synchost and its workers) may "
                         "take per scenario of the report")
    ap.add_argument("--overload-skips", action="store_true",
                    help="a run that says the machine was overloaded (exit 3) is skipped (77) "
                         "outside CI, where other work may truly load the machine; in CI "
                         "(CI=true), where the test runs alone, it fails")
    ap.add_argument("--no-process-left", metavar="REGEX",
                    help="within 10 s of synchost's exit, no process of this machine has a "
                         "command line matching REGEX (what the provider started is ended)")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    rc = missing("wine")
    if rc is not None:
        return rc
    args = [x for x in a.args if x != "--"]
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        cmd = [a.synchost] + args + ["--report-json", report]
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=600)
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - cpu0
        print("$ " + " ".join(cmd))
        print(proc.stdout)
        if (a.overload_skips and proc.returncode == 3 and "overloaded" in proc.stdout and
                os.environ.get("CI") != "true"):
            print("SKIP: the machine was overloaded by other work; no verdict to check")
            return 77
        problems = []
        for pattern in a.expect_output:
            if not re.search(pattern, proc.stdout, re.M):
                problems.append("the output does not match %r" % pattern)
        if proc.returncode != a.expect_exit:
            problems.append("exit status %d, expected %d" % (proc.returncode, a.expect_exit))
        try:
            with open(report, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            problems.append("no readable JSON report: %s" % e)
            doc = None
    if doc is not None:
        check_shape(doc, problems)
        if not doc.get("scenarios"):
            problems.append("the report has no scenarios")
        kinds = [k for k in a.expect_kinds.split(",") if k]
        flagged = set()
        for sc in doc.get("scenarios", []):
            rules = {v["rule"] for v in sc.get("violations", [])}
            flagged |= rules
            allowed = set(a.expect_rule)
            for cond in a.rule_if_event:
                rule, spec = cond.split(":", 1)
                kind, key, pattern = spec.split(",", 2)
                if any(e.get("kind") == kind and re.search(pattern, str(e.get(key))) is not None
                       for e in sc.get("events", [])):
                    allowed.add(rule)
            if a.only_rules and rules - allowed:
                problems.append("scenario %s: unexpected rules %s"
                                % (sc["name"], sorted(rules - allowed)))
            if a.expect_status and sc.get("status") != a.expect_status:
                problems.append("scenario %s: status %s, expected %s"
                                % (sc["name"], sc.get("status"), a.expect_status))
            seen = {e["kind"] for e in sc.get("events", [])}
            for want in a.rule_with_field:
                rule, field = want.split(":", 1)
                key, pattern = field.split(",", 1)
                matches = re.search(pattern, str(sc.get(key)), re.S) is not None
                if (rule in rules) != matches:
                    problems.append("scenario %s: %s %s, yet its %s %r %s %r"
                                    % (sc["name"], rule,
                                       "flagged" if rule in rules else "not flagged", key,
                                       sc.get(key), "matches" if matches else "does not match",
                                       pattern))
            for k in kinds:
                if k not in seen and "%s:%s" % (k, sc["name"]) not in a.kinds_optional:
                    problems.append("scenario %s: no '%s' event in the trace" % (sc["name"], k))
    if doc is not None and a.max_cpu_per_scenario is not None:
        bound = a.max_cpu_per_scenario * max(1, len(doc.get("scenarios", [])))
        print("user CPU time of the run: %.2f s (bound %.2f s)" % (cpu, bound))
        if cpu > bound:
            problems.append("the run took %.2f s of user CPU time, more than %.2f s"
                            % (cpu, bound))
    if doc is not None:
        events = [e for sc in doc.get("scenarios", []) for e in sc.get("events", [])]
        for want in a.expect_event:
            kind, key, value = want.split(",", 2)
            if not any(e["kind"] == kind and str(e.get(key)) == value for e in events):
                problems.append("no '%s' event with %s %s (those seen: %s)"
                                % (kind, key, value,
                                   [{k: v for k, v in e.items() if k != "text"}
                                    for e in events if e["kind"] == kind][:4]))
        for want in a.expect_field:
            key, pattern = want.split(",", 1)
            if not any(key in sc and re.search(pattern, str(sc[key]), re.S)
                       for sc in doc.get("scenarios", [])):
                problems.append("no scenario's %s matches %r (the first: %r)"
                                % (key, pattern,
                                   [str(sc.get(key))[:80] for sc in doc["scenarios"]][:1]))
        for rule in a.expect_rule:
            if rule not in flagged:
                problems.append("rule %s flagged in no scenario (flagged: %s)"
                                % (rule, sorted(flagged) or "none"))
    if a.no_process_left:
        deadline = time.time() + 10
        while processes_matching(a.no_process_left) and time.time() < deadline:
            time.sleep(0.2)
        left = processes_matching(a.no_process_left)
        if left:
            problems.append("still running 10 s after synchost ended: %s" % left)
    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
