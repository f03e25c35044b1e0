#!/usr/bin/env python3
"""A run stopped by SIGINT or SIGTERM still writes its whole report: the
scenario that was running is `interrupted` with the events it had recorded,
the ones not started are `interrupted` too, and the exit status is 130."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time


def check(synchost, dll, sig):
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        proc = subprocess.Popen([synchost, "conform", dll, "-j", "1", "--timeout-ms", "30000",
                                 "--report-json", report], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        time.sleep(5)  # the first scenario is waiting on an event that never comes
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=60)
        problems = []
        if proc.returncode != 130:
            problems.append("exit status %d, expected 130" % proc.returncode)
        try:
            with open(report, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            return ["%s: no readable report (%s)\n%s" % (sig.name, e, out)]
        s = doc["summary"]
        if s["interrupted"] != s["total"] or s["total"] < 2:
            problems.append("summary %s: expected every scenario interrupted" % s)
        first = doc["scenarios"][0]
        kinds = {e["kind"] for e in first["events"]}
        if not {"call", "return", "done"} <= kinds:
            problems.append("the interrupted scenario lost its events: %s" % sorted(kinds))
        return ["%s: %s" % (sig.name, p) for p in problems]


def main():
    synchost, dll = sys.argv[1], sys.argv[2]
    problems = check(synchost, dll, signal.SIGINT) + check(synchost, dll, signal.SIGTERM)
    for p in problems:
        print("FAIL: " + p)
    print("%d passed, %d failed" % (2 - min(2, len(problems)), min(2, len(problems))))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
