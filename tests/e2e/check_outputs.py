#!/usr/bin/env python3
"""Report paths and empty selections (docs/reports.md and "Selecting
scenarios"): a regular or new file is replaced, anything else (a FIFO, a
device) is written in place and stays what it was, a symbolic link is
followed and stays a link, two reports on one file are refused (exit 2); a
filter, an exclude or a rerun that selects nothing is bad input (exit 2),
an empty shard or a rerun of a report without failures passes and says
why. Works as root and as anyone else. Exits 0 when everything holds, 1
with the reasons, 77 when Wine is missing outside CI (needs.py)."""
import json
import os
import stat
import sys
import tempfile
import threading

from needs import finish, options, parser, run_expect

problems = []
ONE = ["--filter", "^on-demand$", "--no-config"]


def run(synchost, args, cwd, expect_exit, patterns=(), absent=()):
    return run_expect(problems, [synchost] + args, "synchost " + " ".join(args), expect_exit,
                      patterns, absent, cwd=cwd)


def check(ok, what):
    if not ok:
        problems.append(what)


def fifo_reader(path, into):
    """Reads the FIFO until its writer closes it, as a CI's log collector would."""
    with open(path, "rb") as f:
        into.append(f.read())


def paths(synchost, ref, tmp):
    # A FIFO gets the report and stays a FIFO.
    fifo = os.path.join(tmp, "junit.fifo")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=fifo_reader, args=(fifo, got), daemon=True)
    reader.start()
    run(synchost, ["conform", ref, "--junit", fifo] + ONE, tmp, 0, [r"^report: .*junit\.fifo$"])
    reader.join(30)
    if reader.is_alive():
        # Unblock the reader so that the test ends: nothing was written.
        with open(fifo, "wb"):
            pass
        reader.join(5)
    check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "--junit replaced the FIFO")
    check(got and got[0].startswith(b"<?xml") and b"</testsuites>" in got[0],
          "the FIFO's reader did not get the JUnit report: %r" % (got[0][:80] if got else None))

    # A symbolic link stays a link; its target gets the report.
    target = os.path.join(tmp, "reports", "run.json")
    os.makedirs(os.path.dirname(target))
    link = os.path.join(tmp, "latest.json")
    os.symlink(os.path.join("reports", "run.json"), link)
    for attempt in ("dangling", "existing"):
        run(synchost, ["conform", ref, "--report-json", link] + ONE, tmp, 0)
        check(os.path.islink(link), "--report-json replaced the symbolic link (%s)" % attempt)
        try:
            with open(target, encoding="utf-8") as f:
                check(json.load(f)["scenarios"][0]["name"] == "on-demand",
                      "the link's target holds another report (%s)" % attempt)
        except (OSError, ValueError) as e:
            problems.append("the link's target has no report (%s): %s" % (attempt, e))
    check(not [n for n in os.listdir(tmp) if ".tmp." in n] and
          not [n for n in os.listdir(os.path.dirname(target)) if ".tmp." in n],
          "a temporary file was left behind")

    # A regular file keeps its mode when it is replaced.
    plain = os.path.join(tmp, "plain.tap")
    with open(plain, "w") as f:
        f.write("old\n")
    os.chmod(plain, 0o600)
    run(synchost, ["conform", ref, "--tap", plain] + ONE, tmp, 0)
    with open(plain) as f:
        check(f.read().startswith("TAP version 13"), "the regular file was not replaced")
    check(stat.S_IMODE(os.stat(plain).st_mode) == 0o600, "the replaced file lost its mode 0600")

    # /dev/null is written in place and stays a character device. (As root,
    # a replaced /dev/null would be a regular file for every process.)
    before = os.stat("/dev/null")
    run(synchost, ["conform", ref, "--junit", "/dev/null"] + ONE, tmp, 0)
    after = os.stat("/dev/null")
    check(stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino and
          after.st_rdev == before.st_rdev, "/dev/null is no longer the character device it was")
    if not stat.S_ISCHR(after.st_mode) and os.geteuid() == 0:
        # Put the machine's /dev/null back, so that a failure here harms nothing else.
        os.remove("/dev/null")
        os.mknod("/dev/null", 0o666 | stat.S_IFCHR, before.st_rdev)
        os.chmod("/dev/null", 0o666)

    # Two reports on one file: refused before anything runs, naming both.
    for args in (["--junit", "same.xml", "--report-json", "same.xml"],
                 ["--junit", "same.xml", "--tap", "./same.xml"],
                 ["--report-json", link, "--html", target]):
        run(synchost, ["conform", ref] + args + ONE, tmp, 2,
            [r"synchost: --\S+ and --\S+ name one file, .*; give each report its own path"],
            absent=[r"^(PASS|FAIL) "])
    check(not os.path.exists(os.path.join(tmp, "same.xml")), "a refused run wrote same.xml")


def empty(synchost, ref, defect, tmp):
    base = ["conform", ref, "--no-config"]
    # What the user asked for selected nothing: bad input, naming it.
    run(synchost, base + ["--filter", "^nope$"], tmp, 2,
        [r"^synchost: no scenario selected: --filter '\^nope\$' matched none of the \d+ "
         r"scenarios$"], absent=[r"PASS"])
    run(synchost, base + ["--exclude", ".*"], tmp, 2,
        [r"^synchost: no scenario selected: --exclude '\.\*' removed every one of the \d+ "
         r"scenarios$"], absent=[r"PASS"])
    run(synchost, base + ["--filter", "^on-demand$", "--exclude", "demand"], tmp, 2,
        [r"--exclude 'demand' removed every one of the 1 scenario the filter kept"])

    # An empty shard passes, and says so.
    out = run(synchost, base + ["--shard", "40/40"], tmp, 0,
              [r"^synchost: PASS, 0 scenarios \(shard 40 of 40 is empty\)$"])
    check(out.rstrip().endswith("is empty)"), "the verdict is not the last line")

    # A rerun of a report without failures has nothing to do, and says so.
    passed = os.path.join(tmp, "passed.json")
    run(synchost, base + ["--filter", "^on-demand$", "--report-json", passed], tmp, 0)
    run(synchost, base + ["--rerun-failed", passed], tmp, 0,
        [r"^synchost: PASS, 0 scenarios \(nothing to rerun: the report has no failure\)$"])

    # A report whose failures name no scenario loaded: bad input.
    failed = os.path.join(tmp, "failed.json")
    run(synchost, ["conform", defect, "--no-config", "--filter", "^on-demand$",
                   "--report-json", failed], tmp, 1)
    with open(failed, encoding="utf-8") as f:
        doc = json.load(f)
    for s in doc["scenarios"]:
        s["name"] = "renamed-" + s["name"]
    with open(failed, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    run(synchost, base + ["--rerun-failed", failed], tmp, 2,
        [r"^synchost: no scenario selected: none of the 1 scenarios that did not pass in "
         r"--rerun-failed .*failed\.json is among the \d+ scenarios selected$"], absent=[r"PASS"])


def main():
    a = options(parser(reference=None, defect="a provider that fails on-demand"), "wine")
    synchost = os.path.abspath(a.synchost)
    with tempfile.TemporaryDirectory() as tmp:
        paths(synchost, os.path.abspath(a.reference), tmp)
    with tempfile.TemporaryDirectory() as tmp:
        empty(synchost, os.path.abspath(a.reference), os.path.abspath(a.defect), tmp)
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
