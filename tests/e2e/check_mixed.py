#!/usr/bin/env python3
"""One run mixing providers that crash, hang, exit and behave: scenario files
that name each its own provider (provider.path), run together in the pool.
Every scenario gets its own verdict, the run finishes, and the crash's
console lines explain it (exception, module+offset, its faulting frame, a
rerun command). With --machine, each case's DLL ran as the architecture
given (the worker of its own machine). Exits 0 when all holds, 1 with the
reasons, 77 without Wine outside CI (needs.py)."""
import json
import os
import re
import subprocess
import sys
import tempfile

from needs import finish, options, parser, write_scenario


def main():
    ap = parser()
    ap.add_argument("--case", nargs=4, action="append", required=True,
                    metavar=("NAME", "DLL", "STATUS", "RULE"))
    ap.add_argument("--machine", action="append", default=[], metavar="NAME=ARCH",
                    help="the case ran as ARCH (x64, x86): the report's machine")
    a = options(ap, "wine")
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, dll, _, _ in a.case:
            write_scenario(os.path.join(tmp, name + ".yaml"), name, dll, 1500)
        report = os.path.join(tmp, "report.json")
        cmd = [a.synchost, "run", tmp, "-j", "2", "--report-json", report]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=600)
        print("$ " + " ".join(cmd))
        print(proc.stdout)
        if proc.returncode != 1:
            problems.append("exit status %d, expected 1" % proc.returncode)
        with open(report, encoding="utf-8") as f:
            doc = json.load(f)
    got = {s["name"]: s for s in doc["scenarios"]}
    for name, _, status, rule in a.case:
        sc = got.get(name)
        if sc is None:
            problems.append("%s: not in the report" % name)
            continue
        rules = {v["rule"] for v in sc["violations"]}
        if sc["status"] != status:
            problems.append("%s: status %s, expected %s" % (name, sc["status"], status))
        if (rule == "-" and rules) or (rule != "-" and rule not in rules):
            problems.append("%s: rules %s, expected %s" % (name, sorted(rules), rule))
    for item in a.machine:
        name, arch = item.split("=", 1)
        ran = got.get(name, {}).get("machine")
        if ran != arch:
            problems.append("%s: ran as %s, expected %s" % (name, ran, arch))
    for pattern in [r"access violation \(0xC0000005\) at \S+\.dll\+0x[0-9a-f]+",
                    r"^        at frame #0 of thread \d+: \S+\.dll\+0x[0-9a-f]+",
                    r"^rerun one alone: .* trace --provider "]:
        if not re.search(pattern, proc.stdout, re.M):
            problems.append("the console lacks /%s/" % pattern)
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
