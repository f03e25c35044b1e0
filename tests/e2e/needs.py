"""What an end-to-end test needs from the machine. A tool that is missing
skips the test (exit 77, with the reason) on a developer's machine, and
fails it in CI (CI=true): CI must never pass by skipping what it has to run."""
import argparse
import os
import shutil
import sys


def missing(*tools):
    """None when every tool is on PATH, else the exit status to return (the
    reason is printed)."""
    need = [t for t in tools if shutil.which(t) is None]
    if not need:
        return None
    why = "%s not installed (scripts/bootstrap installs it)" % ", ".join(need)
    if os.environ.get("CI") == "true":
        print("FAIL: " + why)
        return 1
    print("SKIP: " + why)
    return 77


def parser(description=None, **required):
    """An argument parser whose options --synchost and each of required are
    required: the keyword x_y names the option --x-y, its value is the
    option's help (None for none)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--synchost", required=True)
    for name, why in required.items():
        ap.add_argument("--" + name.replace("_", "-"), required=True, help=why)
    return ap


def options(ap, *tools):
    """The arguments ap parses, when every tool is on PATH; else the script
    exits with the status missing gives (77 to skip, 1 in CI)."""
    a = ap.parse_args()
    rc = missing(*tools)
    if rc is not None:
        sys.exit(rc)
    return a


def finish(problems, count=False):
    """Prints each problem as a failure, with count a last line saying how
    many there were (or ok), and returns the exit status (1 when there is
    one)."""
    for p in problems:
        print("FAIL: " + p)
    if count:
        print("%d check(s) failed" % len(problems) if problems else "ok")
    return 1 if problems else 0


SCENARIO = """name: {name}
provider:
  path: {dll}
sync:
  flags: [SYNC_DOWNLOAD_CONTENTS]
timeout_ms: {ms}
shutdown_timeout_ms: {ms}
"""


def write_scenario(path, name, dll, ms):
    """Writes to path, and returns it, a scenario file of its own provider:
    name (YAML: a name to escape comes quoted), the DLL dll (made absolute),
    a download-contents sync with a deadline and a shutdown deadline of ms
    milliseconds."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(SCENARIO.format(name=name, dll=os.path.abspath(dll), ms=ms))
    return path


def run_expect(problems, cmd, shown, expect_exit, patterns=(), absent=(), **kw):
    """Runs cmd (stdout and stderr together, as text), prints it as `$ shown`
    with its output, and adds to problems what does not hold: the exit
    status, each regex of patterns that matches no line, each of absent that
    matches one. Returns the output. kw goes to subprocess.run (cwd, env,
    timeout: 120 s unless given)."""
    import re
    import subprocess

    kw.setdefault("timeout", 120)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    print("$ " + shown)
    print(proc.stdout)
    if proc.returncode != expect_exit:
        problems.append("%s: exit %d, expected %d" % (shown, proc.returncode, expect_exit))
    for p in patterns:
        if not re.search(p, proc.stdout, re.M):
            problems.append("%s: the output does not match %r" % (shown, p))
    for p in absent:
        if re.search(p, proc.stdout, re.M):
            problems.append("%s: the output matches %r" % (shown, p))
    return proc.stdout


def runs_x86():
    """(True, None) when this machine runs 32-bit x86 programs; else (False,
    why): some kernels refuse them all (IA-32 emulation built out or off).
    Asked of the 32-bit C library's loader, started directly: the system's
    own refusal (ENOEXEC) comes back, never a shell's guess."""
    import errno
    import subprocess

    ld = "/lib/ld-linux.so.2"
    if not os.path.exists(ld):
        return False, "%s is not installed (libc6:i386)" % ld
    try:
        subprocess.run([ld, "--version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=60)
    except OSError as e:
        if e.errno == errno.ENOEXEC:
            return False, "its kernel refuses them (%s: %s)" % (ld, e.strerror)
        raise
    return True, None


class Checker:
    """Problems found along the way, each "where: what"; tmp, when given, the
    folder the checks work in."""

    def __init__(self, tmp=None):
        self.problems = []
        self.tmp = tmp

    def path(self, name):
        return os.path.join(self.tmp, name)

    def fail(self, where, what):
        self.problems.append("%s: %s" % (where, what))

    def expect(self, cond, where, what):
        if not cond:
            self.fail(where, what)
        return cond


def run_shown(cmd, **kw):
    """Runs cmd after printing it, stdout and stderr apart, as text (600 s
    at most)."""
    import subprocess

    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=600, **kw)


def run_case(cases, name, make):
    """Runs the case function cases[name] on make(tmp), a checker made for a
    fresh temporary folder; prints each problem and the case's outcome and
    returns the exit status (1 when something failed)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        c = make(tmp)
        cases[name](c)
    status = finish(c.problems)
    print("%s: %s" % (name, "FAILED" if c.problems else "ok"))
    return status
