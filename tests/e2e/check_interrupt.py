#!/usr/bin/env python3
"""A run stopped by SIGINT or SIGTERM still writes its whole report: the
scenario that was running is `interrupted` with the events it had recorded,
the ones not started are `interrupted` too, and the exit status is 130.

With --damage, the provider overwrites the host's event ring: the signal,
sent once the first scenario's line is printed (or after FIRST_LINE_WAIT_S
without one), still ends the run at once (130, a readable report) and
leaves no worker of it running."""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

# Generous for a loaded machine: what is asked of the supervisor is well
# under a second.
DAMAGE_EXIT_BOUND_S = 5.0
FIRST_LINE_WAIT_S = 30.0
SCENARIO_LINE = re.compile(r"^[A-Z]+ +\S+ +\d+ ms")


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


def left_running(mark):
    """The run's workers still running: processes of the worker's program
    that carry the run's mark in their environment (Wine's own services,
    started by the run's first worker, carry it too and stay by design)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/environ" % pid, "rb") as f:
                env = f.read()
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if mark.encode() in env.split(b"\0") and b"synchost-worker" in cmdline:
            found.append("%s (%s)" % (pid, cmdline.replace(b"\0", b" ").decode(errors="replace")))
    return found


def first_scenario_line(proc, out):
    """Reads the run's output on a thread of its own; returns once a
    scenario's line is printed or FIRST_LINE_WAIT_S have passed (a
    supervisor held in a loop prints none)."""
    seen = threading.Event()

    def read():
        for line in proc.stdout:
            out.append(line)
            if SCENARIO_LINE.match(line):
                seen.set()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen.wait(FIRST_LINE_WAIT_S)
    return reader


def check_damage(synchost, dll, sig, level):
    mark = "SYNCHOST_INTERRUPT_CHECK=%d-%s" % (os.getpid(), sig.name)
    env = dict(os.environ)
    env["SYNCHOST_INTERRUPT_CHECK"] = mark.split("=", 1)[1]
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.json")
        proc = subprocess.Popen([synchost, "conform", dll, "--timeout-ms", "1500", "--exclude",
                                 "^fault-", "--report-json", report] + level,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env=env)
        out = []
        reader = first_scenario_line(proc, out)
        t0 = time.monotonic()
        proc.send_signal(sig)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        took = time.monotonic() - t0
        reader.join(10)
        name = "%s during ring damage (%s)" % (sig.name, " ".join(level) or "pool")
        problems = []
        if proc.returncode != 130:
            problems.append("exit status %d, expected 130" % proc.returncode)
        if took > DAMAGE_EXIT_BOUND_S:
            problems.append("the run took %.1f s to end after the signal, more than %.0f s"
                            % (took, DAMAGE_EXIT_BOUND_S))
        print("%s: ended %.2f s after the signal" % (name, took))
        # A killed worker's process may take a moment to be reaped by the
        # system after the supervisor is gone.
        deadline = time.monotonic() + 5
        while left_running(mark) and time.monotonic() < deadline:
            time.sleep(0.1)
        stray = left_running(mark)
        if stray:
            problems.append("workers of the run still running: %s" % ", ".join(stray))
        try:
            with open(report, encoding="utf-8") as f:
                json.load(f)
        except (OSError, ValueError) as e:
            problems.append("no readable report (%s)" % e)
        if problems:
            print("".join(out))
        return ["%s: %s" % (name, p) for p in problems]


def main():
    if sys.argv[1] == "--damage":
        synchost, dll = sys.argv[2], sys.argv[3]
        # Each worker of a process-level run ends after its scenario, so
        # its ring is read to the end while the provider's damage is fresh.
        problems = (check_damage(synchost, dll, signal.SIGTERM, ["--isolate", "process"]) +
                    check_damage(synchost, dll, signal.SIGINT, []))
    else:
        synchost, dll = sys.argv[1], sys.argv[2]
        problems = check(synchost, dll, signal.SIGINT) + check(synchost, dll, signal.SIGTERM)
    for p in problems:
        print("FAIL: " + p)
    print("%d passed, %d failed" % (2 - min(2, len(problems)), min(2, len(problems))))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
