#!/usr/bin/env python3
"""The soak of issue 5: `synchost conform --repeat N` on correct providers (the
reference one and every correct-but-unusual one), at least --min-runs scenario
runs in all. Any scenario that does not pass, or any run that does not exit 0,
fails the soak. Prints the counts per provider and, for each scenario that did
not pass, its status and violations.

usage: soak.py --synchost SYNCHOST [--min-runs N] --provider NAME DLL REPEAT ...

Exits 0 when every run passed, 1 otherwise, 77 (skip) when Wine is missing, outside CI (needs.py)."""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

from needs import missing

# One conform run's own bound: the slowest provider (slow-logon, ~8.5 s a
# scenario) at the highest repeat used, on two CPUs, with room to spare.
RUN_TIMEOUT_S = 900


def soak_one(synchost, name, dll, repeat, tmp):
    """Runs conform on one provider; returns (counts, problems, seconds)."""
    report = os.path.join(tmp, name + ".json")
    cmd = [synchost, "conform", dll, "--repeat", str(repeat), "--quiet",
           "--report-json", report]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return collections.Counter(), ["%s: no answer within %d s" % (name, RUN_TIMEOUT_S)], \
            time.monotonic() - start
    took = time.monotonic() - start
    problems = []
    if proc.returncode != 0:
        problems.append("%s: exit status %d, expected 0\n$ %s\n%s"
                        % (name, proc.returncode, " ".join(cmd), proc.stdout.strip()))
    try:
        with open(report, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        problems.append("%s: no readable JSON report: %s" % (name, e))
        return collections.Counter(), problems, took
    counts = collections.Counter(sc.get("status") for sc in doc.get("scenarios", []))
    for sc in doc.get("scenarios", []):
        if sc.get("status") == "passed":
            continue
        rules = ["%s: %s" % (v.get("rule"), v.get("message")) for v in sc.get("violations", [])]
        problems.append("%s: scenario %s %s%s" % (name, sc.get("name"), sc.get("status"),
                                                  "".join("\n    " + r for r in rules)))
    return counts, problems, took


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--synchost", required=True)
    ap.add_argument("--min-runs", type=int, default=1000,
                    help="fail unless at least this many scenario runs were made in all")
    ap.add_argument("--provider", nargs=3, action="append", default=[],
                    metavar=("NAME", "DLL", "REPEAT"))
    a = ap.parse_args()
    rc = missing("wine")
    if rc is not None:
        return rc
    if not a.provider:
        print("FAIL: no --provider given")
        return 1
    problems = []
    total = collections.Counter()
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for name, dll, repeat in a.provider:
            counts, found, took = soak_one(a.synchost, name, dll, int(repeat), tmp)
            runs = sum(counts.values())
            print("%-24s %5d runs  %5d passed  %s  %6.1f s"
                  % (name, runs, counts["passed"],
                     " ".join("%s=%d" % kv for kv in sorted(counts.items())
                              if kv[0] != "passed") or "-", took), flush=True)
            total += counts
            problems += found
    runs = sum(total.values())
    print("%-24s %5d runs  %5d passed  (%.1f s)" % ("total", runs, total["passed"],
                                                  time.monotonic() - start))
    if runs < a.min_runs:
        problems.append("only %d scenario runs, at least %d were asked for" % (runs, a.min_runs))
    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
