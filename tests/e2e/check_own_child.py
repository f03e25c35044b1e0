#!/usr/bin/env python3
"""The process synchost starts, watches and kills is the worker itself, for
both architectures, whatever Wine packages are installed: one run given an
x86 and an x64 DLL that hang in Logoff (so that their workers live a while)
is watched from outside. Every direct child of synchost that Wine runs is a
worker (synchost-worker32.exe for the x86 DLL, synchost-worker64.exe for the
x64 one), never Wine's start.exe; both workers are seen; and once synchost
has exited none of those processes is left. Exits 0 when all holds, 1 with
the reasons, 77 without Wine outside CI (needs.py)."""
import os
import subprocess
import sys
import tempfile
import time

from needs import finish, options, parser, write_scenario


def children(pid):
    """Direct children of pid, with their command lines, from /proc."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, encoding="utf-8", errors="replace") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            if ppid != pid:
                continue
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                found[int(entry)] = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, ValueError):
            continue
    return found


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid, encoding="utf-8", errors="replace") as f:
            return f.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


def main():
    a = options(parser(x86="an x86 DLL that hangs in Logoff",
                       x64="an x64 DLL that hangs in Logoff"), "wine")
    problems, seen = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, dll in (("hang-x86", a.x86), ("hang-x64", a.x64)):
            write_scenario(os.path.join(tmp, name + ".yaml"), name, dll, 1500)
        cmd = [a.synchost, "run", tmp, "-j", "2", "--quiet"]
        print("$ " + " ".join(cmd))
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            # Every command line a child has had: a start.exe would show
            # only once the loader has run.
            for pid, line in children(proc.pid).items():
                seen.setdefault(pid, set()).add(line)
            time.sleep(0.02)
        if proc.poll() is None:
            proc.kill()
            problems.append("synchost did not end within 300 s")
        out = proc.communicate()[0].decode("utf-8", "replace")
        print(out)
    for pid, lines in sorted(seen.items()):
        print("child %d: %s" % (pid, " | ".join(sorted(lines))))
    wine_children = {p: " | ".join(sorted(l)) for p, l in seen.items() if ".exe" in "".join(l)}
    if not wine_children:
        problems.append("no worker was seen as synchost's child")
    for pid, line in wine_children.items():
        if "start.exe" in line.lower() or "synchost-worker" not in line:
            problems.append("child %d is not a worker: %s" % (pid, line))
    for exe in ("synchost-worker32.exe", "synchost-worker64.exe"):
        if not any(exe in l for l in wine_children.values()):
            problems.append("no %s among synchost's children" % exe)
    # A worker may take a moment to be reaped by the system after synchost's
    # exit has been waited for; none may live on.
    end = time.monotonic() + 10
    left = [p for p in wine_children if alive(p)]
    while left and time.monotonic() < end:
        time.sleep(0.1)
        left = [p for p in left if alive(p)]
    for pid in left:
        problems.append("worker %d outlived its run: %s" % (pid, wine_children[pid]))
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
