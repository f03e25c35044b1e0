#!/usr/bin/env python3
"""Runs one provider in a pool (-j 1, so that every scenario follows
another in the same worker) and with --isolate process, and checks that
each scenario is flagged with the same rules either way: a call the provider
makes late, on an earlier scenario's callback or thread, is judged in that
scenario and never in the one the worker runs next. Exits 0 when that
holds and the expected rule was flagged at all, 1 otherwise, 77 (skip) when
Wine is missing (needs.py).

    check_blame.py SYNCHOST DLL RULE [SYNCHOST ARGS...]
"""
import json
import os
import subprocess
import sys
import tempfile

from needs import missing


def run(synchost, dll, extra, mode, tmp):
    report = os.path.join(tmp, mode + ".json")
    cmd = [synchost, "conform", dll, "--report-json", report] + extra
    cmd += ["-j", "1"] if mode == "pool" else ["--isolate", "process"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=900)
    print("$ " + " ".join(cmd) + "\n" + proc.stdout)
    with open(report, encoding="utf-8") as f:
        doc = json.load(f)
    return proc.returncode, {sc["name"]: sorted({v["rule"] for v in sc["violations"]})
                             for sc in doc["scenarios"]}


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    rc = missing("wine")
    if rc is not None:
        return rc
    synchost, dll, rule, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        pool_rc, pool = run(synchost, dll, extra, "pool", tmp)
        proc_rc, proc = run(synchost, dll, extra, "process", tmp)
    for name, rc in (("pool", pool_rc), ("process", proc_rc)):
        if rc != 1:
            problems.append("the %s run exited %d, expected 1" % (name, rc))
    flagged = sorted(n for n, rules in proc.items() if rule in rules)
    if not flagged:
        problems.append("no scenario was flagged %s under --isolate process" % rule)
    for name in sorted(set(pool) | set(proc)):
        if pool.get(name) != proc.get(name):
            problems.append("%s: %s in the pool, %s under --isolate process"
                            % (name, pool.get(name), proc.get(name)))
    for p in problems:
        print("FAIL: " + p)
    if not problems:
        print("ok: %d scenario(s) flagged %s, the same in the pool and alone"
              % (len(flagged), rule))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
