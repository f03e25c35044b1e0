#!/usr/bin/env python3
"""The "under winedbg" command, run as printed, stops at the provider's fault.

conform --verbose of a provider that crashes on its sync thread prints,
under the CRASH line, an "under winedbg:" command. That command, run by bash in a
folder of its own with no display, its standard input the debugger commands
`cont`, `bt` and `quit`, must show the worker's events (its output reaches
the terminal), stop at the provider's fault (winedbg's "Unhandled
exception" or "First chance exception", not "has terminated"), and give a
backtrace whose frame 0 is in the provider's DLL. A deadline ends it if it
hangs.
Exit 0 pass, 1 fail, 77 skip (no Wine)."""
import os
import re
import signal
import subprocess
import sys
import tempfile

from needs import finish, options, parser

SCENARIO = "download-contents"
PREFIX = "        under winedbg: "
DEADLINE_S = 180


def printed_command(synchost, dll, tmp, problems):
    """The winedbg command as the console prints it, or None."""
    p = subprocess.run([synchost, "conform", dll, "--filter", "^%s$" % SCENARIO, "--verbose"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp,
                       timeout=240)
    lines = [l[len(PREFIX):] for l in p.stdout.splitlines() if l.startswith(PREFIX)]
    if p.returncode != 1 or not re.search(r"^CRASH\s+%s" % SCENARIO, p.stdout, re.M):
        problems.append("conform: exit %d, wanted 1 and CRASH\n%s" % (p.returncode, p.stdout))
    if len(lines) != 1:
        problems.append("conform: %d 'under winedbg' lines, wanted 1\n%s"
                        % (len(lines), p.stdout))
        return None
    return lines[0]


def run_debugger(command, cwd):
    """Runs command in bash with the debugger's commands on its standard
    input; returns (exit status or None at the deadline, output)."""
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    proc = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(b"cont\nbt\nquit\n", timeout=DEADLINE_S)
        return proc.returncode, out.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out.decode("utf-8", "replace")


def check(out, dll_name, problems):
    module = re.escape(os.path.splitext(dll_name)[0])
    if not re.search(r"^progress seq=\d+ .*text=Synchronizing", out, re.M):
        problems.append("the worker's events (a progress line) are not in the output")
    stop = re.search(r"(Unhandled|First chance) exception: page fault", out)
    ended = re.search(r"Process of pid=\w+ has terminated", out)
    if stop is None or (ended is not None and ended.start() < stop.start()):
        problems.append("winedbg did not stop at the provider's access violation")
    # The backtrace `bt` prints after its prompt (the one printed at the
    # stop has none): frame 0 in the provider.
    if not re.search(r"Wine-dbg>Backtrace:\n=>0 0x[0-9a-f]+ .*\bin %s\b" % module, out):
        problems.append("`bt` gave no backtrace with frame 0 in %s" % dll_name)
    # Once the debugger lets go, the worker ends: no second debugger.
    if re.search(r"starting debugger", out):
        problems.append("after quit, Wine started its crash debugger on the worker")


def main():
    a = options(parser(__doc__, crash_dll=None), "wine")
    a.synchost, a.crash_dll = os.path.abspath(a.synchost), os.path.abspath(a.crash_dll)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        command = printed_command(a.synchost, a.crash_dll, tmp, problems)
        if command is not None:
            paste = os.path.join(tmp, "paste")
            os.makedirs(paste)
            status, out = run_debugger(command, paste)
            print("$ " + command)
            print(out)
            if status is None:
                problems.append("the winedbg command did not end within %d s" % DEADLINE_S)
            check(out, os.path.basename(a.crash_dll), problems)
    return finish(problems, count=True)


if __name__ == "__main__":
    sys.exit(main())
