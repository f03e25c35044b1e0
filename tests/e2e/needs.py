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
