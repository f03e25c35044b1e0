"""What an end-to-end test needs from the machine. A tool that is missing
skips the test (exit 77, with the reason) on a developer's machine, and
fails it in CI (CI=true): CI must never pass by skipping what it has to run."""
import os
import shutil


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
