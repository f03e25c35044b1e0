#!/usr/bin/env python3
"""The console of a real run (docs/console.md): piped (a CI log), plain
lines with no carriage return and no escape code; on a terminal (a pty from
util-linux `script`), the live progress line rewritten in place and colours,
none of them with NO_COLOR set. Each time the last line is the verdict.
Exits 0 when everything holds, 1 with the reasons, 77 (skip) when Wine or
`script` is missing (a failure under CI=true)."""
import os
import re
import shlex
import subprocess
import sys

from needs import finish, options, parser

PROGRESS = re.compile(r"\r\x1b\[K\[[0-9]+/[0-9]+\] [0-9]+ failed, [0-9]+:[0-9]{2} elapsed, "
                      r"ETA ([0-9]+:[0-9]{2}|\?)")
COLOUR = re.compile(r"\x1b\[3[0-9]m")


def last_line(out):
    """The last line as a person sees it: without the pty's \\r before \\n."""
    lines = out.replace("\r\n", "\n").rstrip("\n").split("\n")
    return lines[-1].split("\r")[-1].replace("\x1b[K", "")


def run(cmd, env, tty):
    if tty:
        cmd = ["script", "-qfec", " ".join(shlex.quote(x) for x in cmd), "/dev/null"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                          stdin=subprocess.DEVNULL, timeout=600)
    out = proc.stdout.decode("utf-8", "replace")
    print("$ " + " ".join(cmd))
    print(repr(out[-2000:]))
    return proc.returncode, out


def main():
    a = options(parser(dll=None, verdict="a regex the last line must match"), "wine", "script")
    base = dict(os.environ, TERM="xterm")
    base.pop("NO_COLOR", None)
    cmd = [a.synchost, "conform", a.dll, "-j", "2", "--timeout-ms", "1500"]
    problems = []

    rc, out = run(cmd, base, tty=False)
    if "\r" in out or "\x1b" in out:
        problems.append("piped: a carriage return or an escape code in the output")
    if not re.fullmatch(a.verdict, last_line(out)):
        problems.append("piped: the last line %r does not match %r" % (last_line(out), a.verdict))

    rc, out = run(cmd, base, tty=True)
    if not PROGRESS.search(out):
        problems.append("terminal: no live progress line (\\r, erase, [done/total] ...)")
    if not COLOUR.search(out):
        problems.append("terminal: no colour without NO_COLOR")
    if not re.fullmatch(a.verdict, last_line(out)):
        problems.append("terminal: the last line %r does not match %r"
                        % (last_line(out), a.verdict))

    rc, out = run(cmd, dict(base, NO_COLOR="1"), tty=True)
    if COLOUR.search(out):
        problems.append("terminal with NO_COLOR=1: colour codes in the output")
    if not PROGRESS.search(out):
        problems.append("terminal with NO_COLOR=1: no live progress line")

    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
