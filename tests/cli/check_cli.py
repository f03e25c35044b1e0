#!/usr/bin/env python3
"""The command line's contract without running a provider: usage errors and
bad input exit 2 with a message naming the file (and line:column for
scenarios); --help, --version and list work."""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")
failures = []
counts = {"run": 0}


def run(args, expect_exit, expect_out=None):
    proc = subprocess.run([SYNCHOST] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=60)
    shown = "synchost " + " ".join(args)
    counts["run"] += 1
    before = len(failures)
    if proc.returncode != expect_exit:
        failures.append("%s: exit %d, expected %d\n%s" % (shown, proc.returncode, expect_exit,
                                                          proc.stdout))
    if expect_out is not None and not re.search(expect_out, proc.stdout, re.M):
        failures.append("%s: output does not match %r:\n%s" % (shown, expect_out, proc.stdout))
    counts["failed"] = counts.get("failed", 0) + (1 if len(failures) > before else 0)
    return proc.stdout


def main():
    global SYNCHOST
    SYNCHOST, dll, contract = sys.argv[1], sys.argv[2], sys.argv[3]
    run([], 2, r"usage:")
    run(["--help"], 0, r"synchost conform PROVIDER\.dll")
    run(["--version"], 0, r"^synchost \d+\.\d+\.\d+$")
    out = run(["list", "rules"], 0, r"^no-crash\s+required\s+enforced")
    for rule in ("load-dll", "load-entry-point", "load-logon", "load-qi-imapisync",
                 "sib-returns-s-ok", "sib-returns-promptly", "sib-writes-done-event",
                 "event-signaled", "no-exit", "no-hang", "sib-background-thread",
                 "done-handle-matches", "progress-monotonic", "progress-text-valid",
                 "error-hresult-failure", "error-text-valid", "callback-via-qi",
                 "callback-refcount", "callback-after-release", "event-owned-by-host",
                 "cancel-honored",
                 "done-called-once", "done-last", "progress-index-bounded", "no-crash"):
        if not re.search(r"^%s\s+\w+\s+enforced" % re.escape(rule), out, re.M):
            failures.append("list rules: %s is not listed as enforced" % rule)
    # CONTRACT.md's table says what list rules says: same ids, levels, status.
    listed = {m.group(1): (m.group(2), m.group(3))
              for m in re.finditer(r"^(\S+)\s+(required|recommended|pedantic)\s+(enforced|planned)",
                                   out, re.M)}
    with open(contract, encoding="utf-8") as f:
        documented = {m.group(1): (m.group(2), m.group(3))
                      for m in re.finditer(r"^\| `([a-z0-9-]+)` \| (\w+) \| (enforced|planned) \|",
                                           f.read(), re.M)}
    counts["run"] += 1
    if listed != documented:
        counts["failed"] = counts.get("failed", 0) + 1
        diff = sorted(set(listed.items()) ^ set(documented.items()))
        failures.append("CONTRACT.md's rule table and 'list rules' differ: %s" % diff)
    run(["list", "scenarios"], 0, r"^download-contents\s+SYNC_DOWNLOAD_CONTENTS")
    run(["frobnicate"], 2, r"unknown command 'frobnicate'")
    run(["probe"], 2, r"probe takes one provider DLL")
    run(["trace", "--provider", dll], 2, r"trace takes a scenario file")
    run(["trace", "--provider", dll, os.path.join(HERE, "..", "..", "scripts", "suites",
                                                   "regression")], 2,
        r"trace runs one scenario; 3 are selected")
    run(["conform"], 2, r"conform takes one provider DLL")
    run(["conform", dll, "--level", "strict"], 2, r"--level takes required, recommended or "
        r"pedantic, not 'strict'")
    run(["conform", dll, "-j", "0"], 2, r"-j takes a number")
    run(["conform", dll, "--skip-rule", "no-such-rule"], 2, r"no rule 'no-such-rule'")
    run(["conform", dll, "--shard", "3/2"], 2, r"--shard takes K/N")
    run(["conform", dll, "--filter", "("], 2, r"--filter '\('")
    run(["conform", "/nonexistent/provider.dll"], 2, r"/nonexistent/provider\.dll: cannot open")
    with tempfile.NamedTemporaryFile(suffix=".dll") as f:
        f.write(b"this is not a DLL")
        f.flush()
        run(["conform", f.name], 2, re.escape(f.name) + r": not a PE file")
    path = os.path.join(FIX, "unknown-key.yaml")
    run(["run", "--provider", dll, path], 2, re.escape(path) + r":4:3: .*unknown key 'flagz'")
    path = os.path.join(FIX, "bad-flag.yaml")
    run(["run", "--provider", dll, path], 2, re.escape(path) + r":3:35: .*SYNC_NOT_A_FLAG")
    path = os.path.join(FIX, "syntax-error.yaml")
    run(["run", "--provider", dll, path], 2, re.escape(path) + r":\d+:\d+: ")
    path = os.path.join(FIX, "skip-unknown-rule.yaml")
    run(["run", "--provider", dll, path], 2, r"rules\.skip names no rule 'done-called-twice'")
    run(["run", "--provider", dll, "/nonexistent/dir"], 2, r"/nonexistent/dir: No such file")
    path = os.path.join(FIX, "missing-provider.yaml")
    run(["run", path], 2, re.escape(os.path.join(FIX, "no-such-provider.dll")) +
        r": cannot open")
    path = os.path.join(FIX, "no-provider.yaml")
    run(["run", path], 2, re.escape(path) + r":1: scenario 'names-no-provider' names no provider")
    for f in failures:
        print("FAIL: " + f)
    failed = counts.get("failed", 0)
    print("%d passed, %d failed" % (counts["run"] - failed, failed))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
