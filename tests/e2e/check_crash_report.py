#!/usr/bin/env python3
"""A crash or a timeout explains itself (issue 6, item 5).

crash:   conform of a provider that crashes on its sync thread prints, under
         the CRASH line, its faulting frame in the provider DLL and, at the
         end, a command that reruns it alone; with --verbose, the last host
         call, a stack whose frame 0 is in the provider DLL and both rerun
         commands; the JSON report holds the same; running the rerun command
         gives the crash verdict again.
timeout: conform of a provider that hangs gives a report with the stacks of
         the worker's threads (frame events of at least two threads, ended by
         a stacks event), one frame in the provider DLL; the console shows
         that frame (every stack with --verbose).
Exit 0 pass, 1 fail, 77 skip (no Wine)."""
import json
import os
import re
import subprocess
import sys
import tempfile

from needs import finish, options, parser


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=240, **kw)


def frames_of(scenario):
    return [e for e in scenario["events"] if e["kind"] == "frame"]


def check_crash(synchost, dll, tmp, fail):
    report = os.path.join(tmp, "crash.json")
    dll_name = os.path.basename(dll)
    cmd = [synchost, "conform", dll, "--filter", "^full-background$", "--report-json", report]
    p = run(cmd)
    out = p.stdout
    if p.returncode != 1:
        fail("crash: exit %d, wanted 1\n%s" % (p.returncode, out))
    for pattern in [r"^CRASH\s+full-background",
                    r"^        at frame #0 of thread \d+: " + re.escape(dll_name) + r"\+0x[0-9a-f]+",
                    r"^rerun one alone: .*synchost.* trace --provider .*" + re.escape(dll_name) +
                    r" --filter '\^full-background\$'",
                    r"^more: .* are in " + re.escape(report)]:
        if not re.search(pattern, out, re.M):
            fail("crash: the console lacks /%s/\n%s" % (pattern, out))
    for absent in ["last host call:", "stack of thread", "under winedbg:"]:
        if absent in out:
            fail("crash: %r without --verbose\n%s" % (absent, out))
    out = run(cmd + ["--verbose"]).stdout
    for pattern in [r"^CRASH\s+full-background",
                    r"last host call: Progress\(\d+/\d+\) -> S_OK on thread \d+ \(event \d+\)",
                    r"stack of thread \d+:\n\s+#0\s+0x[0-9a-f]+\s+" + re.escape(dll_name) +
                    r"\+0x[0-9a-f]+",
                    r"rerun alone: .*synchost.* trace --provider .*" + re.escape(dll_name) +
                    r" --filter '\^full-background\$'",
                    r"under winedbg: .*winedbg .*synchost-worker(64|32)\.exe synchost-rerun\.script"]:
        if not re.search(pattern, out, re.M):
            fail("crash: the --verbose console lacks /%s/\n%s" % (pattern, out))
    with open(report, encoding="utf-8") as f:
        sc = json.load(f)["scenarios"][0]
    frames = frames_of(sc)
    crash = [e for e in sc["events"] if e["kind"] == "crash"]
    if not crash or not frames or not frames[0]["where"].startswith(dll_name + "+0x"):
        fail("crash: no frame 0 in %s in the report: %s" % (dll_name, frames))
    elif frames[0]["thread"] != crash[0]["thread"] or frames[0]["address"] != crash[0]["address"]:
        fail("crash: frame 0 %s is not the crash %s" % (frames[0], crash[0]))
    if not sc.get("last_host_call", {}).get("call", "").startswith("Progress("):
        fail("crash: last_host_call is %s" % sc.get("last_host_call"))
    rerun = sc.get("rerun", {})
    if "synchost" not in rerun or "winedbg" not in rerun:
        fail("crash: the report's rerun is %s" % rerun)
        return
    again = run(["sh", "-c", rerun["synchost"]], cwd=tmp)
    if again.returncode != 1 or not re.search(r"^CRASH\s+full-background", again.stdout, re.M) \
            or "no-crash" not in again.stdout:
        fail("crash: the rerun command (%s) gave exit %d:\n%s" % (rerun["synchost"],
                                                                  again.returncode, again.stdout))


def check_timeout(synchost, dll, tmp, fail):
    report = os.path.join(tmp, "hang.json")
    dll_name = os.path.basename(dll)
    p = run([synchost, "conform", dll, "--filter", "^download-contents$", "--timeout-ms", "1500",
             "--report-json", report])
    if p.returncode != 1 or not re.search(r"^TIMEOUT", p.stdout, re.M):
        fail("timeout: exit %d, wanted 1 and TIMEOUT\n%s" % (p.returncode, p.stdout))
    with open(report, encoding="utf-8") as f:
        sc = json.load(f)["scenarios"][0]
    frames = frames_of(sc)
    threads = {e["thread"] for e in frames}
    stacks = [e for e in sc["events"] if e["kind"] == "stacks"]
    if len(threads) < 2 or not stacks:
        fail("timeout: wanted frames of 2+ threads and a stacks event; threads %s, stacks %s"
             % (sorted(threads), stacks))
    if not any(e.get("where", "").startswith(dll_name + "+0x") for e in frames):
        fail("timeout: no frame in %s: %s" % (dll_name, [e.get("where") for e in frames]))
    if not re.search(r"^        at frame #\d+ of thread \d+: " + re.escape(dll_name) + r"\+0x",
                     p.stdout, re.M) or "stack of thread" in p.stdout:
        fail("timeout: the console shows no frame in %s, or every stack\n%s"
             % (dll_name, p.stdout))


def main():
    a = options(parser(__doc__, crash_dll=None, hang_dll=None), "wine")
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        check_crash(a.synchost, a.crash_dll, tmp, failures.append)
        check_timeout(a.synchost, a.hang_dll, tmp, failures.append)
    return finish(failures, count=True)


if __name__ == "__main__":
    sys.exit(main())
