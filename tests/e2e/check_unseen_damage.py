#!/usr/bin/env python3
"""A provider that damages the host's event ring before the supervisor has
read anything of its worker still gets host-integrity (exit 1), never a
worker taken for one that did not start (retried, then exit 3). The
supervisor is kept from running (SIGSTOP) for a while after each worker
starts, as a loaded machine may keep it, so that the worker runs its whole
scenario, damage included, unread. A worker slower than that pause is read
in time and gets the same verdict: the test cannot fail for it.

Usage: check_unseen_damage.py SYNCHOST DLL (hostile-ring-header-zeros)."""
import os
import signal
import subprocess
import sys
import time

from needs import finish, missing

PAUSE_S = 3.0
SCENARIO = "^download-contents$"


def children(pid):
    """The process ids of pid's children (Linux)."""
    found = set()
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                found |= {int(x) for x in f.read().split()}
    except OSError:
        pass
    return found


def main():
    synchost, dll = sys.argv[1], sys.argv[2]
    skip = missing("wine")
    if skip is not None:
        return skip
    cmd = [synchost, "conform", dll, "--timeout-ms", "1500", "--filter", SCENARIO,
           "--isolate", "process"]
    print("$ " + " ".join(cmd))
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen, deadline = set(), time.monotonic() + 120
    while p.poll() is None and time.monotonic() < deadline:
        new = children(p.pid) - seen
        if new:
            seen |= new
            p.send_signal(signal.SIGSTOP)
            time.sleep(PAUSE_S)
            p.send_signal(signal.SIGCONT)
        time.sleep(0.005)
    if p.poll() is None:
        p.kill()
    out = p.communicate()[0]
    print(out)
    problems = []
    if p.returncode != 1:
        problems.append("exit status %s, expected 1 (host-integrity)" % p.returncode)
    if "host-integrity" not in out:
        problems.append("no host-integrity verdict")
    if "did not start" in out:
        problems.append("the damaged worker was taken for one that did not start")
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
