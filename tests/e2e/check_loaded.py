#!/usr/bin/env python3
"""Verdicts on a loaded machine (docs/deadlines.md).

synchost and its workers are pinned to one CPU, beside a real-time busy loop
that takes that CPU for 1.2 s of every 1.5 s: the host gets a CPU for a few
per cent of the time. Then, with 500 ms deadlines:

- the reference provider must get no verdict: exit 0, or exit 3 saying the
  machine was overloaded; never exit 1 (before deadlines counted only the
  time the host could run, this load gave 3 to 5 false `event-signaled` and
  `sib-returns-promptly` verdicts a run);
- a provider that never signals its event is still flagged `event-signaled`
  (exit 1), or the run says the machine was overloaded (exit 3);
- the load must have been felt: some `starved_ms` above 0 in the two
  reports (the never-signalling provider's 500 ms wait cannot fit in the
  busy loop's 300 ms pauses).

Needs taskset and chrt, and the right to use a real-time policy: without
it the test is skipped (77) with the reason, since no load this strong can
be made otherwise. Alone (is_parallel: false): the busy loop takes a CPU."""
import json
import os
import subprocess
import sys
import tempfile
import time

from needs import finish, options, parser

HOG = ("import time\n"
       "end = time.monotonic() + %f\n"
       "while time.monotonic() < end:\n"
       "    burst = time.monotonic() + 1.2\n"
       "    while time.monotonic() < burst:\n"
       "        pass\n"
       "    time.sleep(0.3)\n")


def start_hog(seconds):
    cmd = ["taskset", "-c", "0", "chrt", "-f", "50", sys.executable, "-c", HOG % seconds]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run_loaded(synchost, dll, extra, report):
    cmd = (["taskset", "-c", "0", synchost, "conform", dll, "--timeout-ms", "500", "-j", "2",
            "--report-json", report] + extra)
    hog = start_hog(240)
    time.sleep(0.2)
    if hog.poll() is not None:
        return None, hog.stderr.read().decode(errors="replace")
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    finally:
        hog.kill()
        hog.wait()
    print("$ " + " ".join(cmd))
    print(proc.stdout.decode(errors="replace")[-3000:])
    return proc.returncode, proc.stdout.decode(errors="replace")


def starved(doc):
    return [e.get("starved_ms", 0) for s in doc["scenarios"] for e in s["events"]
            if e["kind"] in ("return", "event_timeout")]


def main():
    a = options(parser(reference=None, never_signals=None), "taskset", "chrt")
    probe = subprocess.run(["chrt", "-f", "50", "true"], stderr=subprocess.PIPE)
    if probe.returncode != 0:
        print("SKIP: no right to a real-time policy here (%s)" %
              probe.stderr.decode(errors="replace").strip())
        return 77
    problems = []
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "reference.json")
        rc, out = run_loaded(a.synchost, a.reference, [], report)
        if rc is None:
            print("SKIP: the busy loop did not start: " + out)
            return 77
        if rc == 3 and "overloaded" not in out:
            problems.append("reference: exit 3 without saying the machine was overloaded")
        elif rc not in (0, 3):
            problems.append("reference: exit %d under load: a false verdict" % rc)
        if rc in (0, 1, 3):
            doc = json.load(open(report))
            for sc in doc["scenarios"]:
                if sc["status"] != "passed":
                    print("not passed: %s %s %s" % (sc["name"], sc["status"], sc.get("note", "")))
                    for v in sc["violations"]:
                        print("  %s: %s" % (v["rule"], v["message"]))
            figures += starved(doc)
            print("starved_ms at return and timeout: %s" % starved(doc))
        report = os.path.join(tmp, "never-signals.json")
        rc, out = run_loaded(a.synchost, a.never_signals, ["--filter", "^on-demand$"], report)
        if rc in (1, 3):
            figures += starved(json.load(open(report)))
        if rc == 1:
            rules = {v["rule"] for s in json.load(open(report))["scenarios"]
                     for v in s["violations"]}
            if "event-signaled" not in rules:
                problems.append("never-signals: exit 1 without event-signaled: %s" % rules)
        elif not (rc == 3 and "overloaded" in out):
            problems.append("never-signals: exit %s under load, expected 1 (event-signaled)"
                            % rc)
    print("starved_ms of both runs: %s" % figures)
    if not any(f > 0 for f in figures):
        problems.append("no starved_ms above 0: the load was not measured")
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
