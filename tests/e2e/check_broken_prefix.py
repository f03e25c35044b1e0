#!/usr/bin/env python3
"""A Wine prefix in which no program can start (docs/installing.md): Wine
cannot load kernel32.dll, as in a prefix made before wine32 was installed.
A prefix is made in a temporary folder (about 15 s) and its kernel32.dll
taken away, which gives Wine's own "could not load kernel32.dll, status
c0000135". synchost, given it as WINEPREFIX, must exit 3 (no verdict on the
provider) and say that Wine could not load kernel32.dll in that prefix, and
that a prefix the user gave is theirs to replace; and it must leave the
prefix as it was. Alone (is_parallel: false): the new prefix's wineserver
start is slow beside other runs."""
import os
import subprocess
import sys
import tempfile

from needs import finish, options, parser, run_expect


def main():
    a = options(parser(reference=None), "wine", "wineboot", "wineserver")
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "prefix")
        env = dict(os.environ, WINEPREFIX=prefix, WINEDEBUG="-all",
                   WINEDLLOVERRIDES="mscoree,mshtml=")
        # Wine's 64-bit loader itself: the wineboot launcher goes through
        # the 32-bit one once wine32 is installed, which a machine without
        # 32-bit programs cannot run.
        wine64 = "/usr/lib/wine/wine64"
        boot = subprocess.run([wine64 if os.path.exists(wine64) else "wine", "wineboot", "-i"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=300)
        subprocess.run(["wineserver", "-w"], env=env, timeout=120)
        k32 = os.path.join(prefix, "drive_c", "windows", "system32", "kernel32.dll")
        if boot.returncode != 0 or not os.path.exists(k32):
            print("FAIL: wineboot could not make a prefix to break (exit %d)" % boot.returncode)
            return 1
        os.unlink(k32)
        try:
            run_expect(problems, [a.synchost, "conform", a.reference, "--filter", "^on-demand$"],
                       "WINEPREFIX=%s synchost conform reference.dll --filter ^on-demand$"
                       % prefix, 3,
                       [r"the worker did not start after 3 attempts \(last: exit status 53\)",
                        r"Wine could not load kernel32\.dll in the prefix " + prefix +
                        r" \(status c0000135\)",
                        r"It is the WINEPREFIX you gave, which synchost never makes anew",
                        r"^synchost: ERROR"],
                       absent=[r"^(PASS|FAIL|TIMEOUT|CRASH) "], env=env, timeout=300)
        finally:
            subprocess.run(["wineserver", "-k"], env=env, timeout=60)
        if os.path.exists(k32) or not os.path.exists(os.path.join(prefix, "system.reg")):
            problems.append("the prefix the user gave was changed")
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
