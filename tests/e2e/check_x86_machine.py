#!/usr/bin/env python3
"""An x86 DLL given to the x64 build's synchost, which hosts it in the x86
build's 32-bit worker. Where this machine runs 32-bit programs, the DLL (the
reference) passes. Where it cannot (a kernel without IA-32 emulation), the
run is the harness's failure, never a verdict on the provider: exit 3, with
the system's refusal and what to do, promptly (no retries, no deadline
waited out). Exits 0 when all holds, 1 with the reasons, 77 without Wine
outside CI (needs.py)."""
import json
import os
import sys
import tempfile

from needs import finish, options, parser, run_expect, runs_x86


def main():
    a = options(parser(x86_dll="the reference built for x86"), "wine")
    runs, why = runs_x86()
    print("this machine %s" % ("runs 32-bit programs" if runs else "cannot run 32-bit programs: " + why))
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        cmd = [a.synchost, "conform", a.x86_dll, "--filter", "^(headers-only|repeat)$",
               "--report-json", report]
        if runs:
            run_expect(problems, cmd, " ".join(cmd), 0, [r"^synchost: PASS"], timeout=300)
        else:
            run_expect(problems, cmd, " ".join(cmd), 3,
                       [r"no verdict on the provider",
                        r"Exec format error",
                        r"This machine cannot run 32-bit programs .*no x86 DLL can be hosted here\. Run x86 providers on a machine that runs 32-bit programs"],
                       [r"^synchost: (PASS|FAIL)"], timeout=60)
        with open(report, encoding="utf-8") as f:
            doc = json.load(f)
        for sc in doc["scenarios"]:
            if sc.get("machine") != "x86":
                problems.append("%s: machine %r, expected x86" % (sc["name"], sc.get("machine")))
            want = "passed" if runs else "errored"
            if sc["status"] != want:
                problems.append("%s: %s, expected %s" % (sc["name"], sc["status"], want))
        if len(doc["scenarios"]) != 2:
            problems.append("%d scenarios in the report, expected 2" % len(doc["scenarios"]))
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
