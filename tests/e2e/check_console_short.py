#!/usr/bin/env python3
"""The console tells, the reports keep (docs/console.md).

conform of a provider that calls Done twice (most scenarios fail, one
violation each): by default at most one line per scenario that did not pass
plus a fixed few (header, summary, one rerun command, where the rest is, the
report, the verdict); no pass line, no per-scenario rerun or winedbg command,
no note, no end list of failures. With --verbose every scenario's line, the
notes' place, each failure's rerun and winedbg commands and the end list are
back. The JSON report of both runs holds each failure's rerun commands.
Exit 0 pass, 1 fail, 77 skip (no Wine)."""
import json
import os
import re
import subprocess
import sys
import tempfile

from needs import finish, options, parser

# Header (3: version, provider, config), summary, rerun, where, report, verdict.
FIXED_LINES = 8
# A few more: a note where a failure run again alone ended otherwise. The
# console before it was shortened printed 4 to 6 lines per failure.
SLACK_LINES = 3
VERBOSE_ONLY = [r"^PASS ", r"^        rerun alone: ", r"^        under winedbg: ", r"^failures:$"]


def run(synchost, dll, report, extra):
    cmd = [synchost, "conform", dll, "--report-json", report] + extra
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=300)
    print("$ " + " ".join(cmd))
    print(p.stdout)
    with open(report, encoding="utf-8") as f:
        return p.returncode, p.stdout, json.load(f)


def main():
    a = options(parser(__doc__, dll=None), "wine")
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "r.json")
        rc, out, doc = run(a.synchost, a.dll, report, [])
        failed = [s for s in doc["scenarios"] if s["status"] != "passed"]
        lines = out.splitlines()
        if rc != 1 or len(failed) < 10:
            problems.append("default: exit %d and %d failures, wanted 1 and 10 or more"
                            % (rc, len(failed)))
        bound = len(failed) + FIXED_LINES + SLACK_LINES
        if len(lines) > bound:
            problems.append("default: %d lines for %d failures, wanted at most %d"
                            % (len(lines), len(failed), bound))
        for pattern in VERBOSE_ONLY:
            if re.search(pattern, out, re.M):
                problems.append("default: /%s/ without --verbose" % pattern)
        for pattern in [r"^FAIL +\S+ +\d+ ms .* \| done-called-once \[required\] ",
                        r"^rerun one alone: .* trace --provider ",
                        r"^more: .* are in %s \(or use --verbose\)$" % re.escape(report),
                        r"^report: %s\nsynchost: FAIL, \d+ of \d+ failed\n\Z" % re.escape(report)]:
            if not re.search(pattern, out, re.M):
                problems.append("default: the console lacks /%s/" % pattern)
        if not all("synchost" in s["rerun"] and "winedbg" in s["rerun"] for s in failed):
            problems.append("default: a failure without its rerun commands in the report")
        rc, out, doc = run(a.synchost, a.dll, report, ["-v"])
        for pattern in VERBOSE_ONLY:
            if not re.search(pattern, out, re.M):
                problems.append("--verbose: the console lacks /%s/" % pattern)
        shown = len(re.findall(r"^(PASS|FAIL) ", out, re.M))
        if shown != len(doc["scenarios"]):
            problems.append("--verbose: %d scenario lines for %d scenarios"
                            % (shown, len(doc["scenarios"])))
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
