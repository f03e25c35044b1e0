#!/usr/bin/env python3
"""Several synchost runs at once on one machine (as two CI jobs or two
terminals would) each give their own right verdicts, round after round, and
leave no worker behind; once the prefix's wineserver has ended (it ends by
itself seconds after its last process), no process of the prefix is left
either (Wine's own services, which outlive a server that was stalled). Exits 0 when every run's exit status and rules are
right, 1 with the reasons otherwise, 77 (skip) when Wine is missing, outside CI (needs.py)."""
import json
import os
import subprocess
import sys
import tempfile
import time

from needs import finish, options, parser


def workers_left():
    """This test's workers still alive: synchost-worker64.exe (or, in the
    x86 build, synchost-worker32.exe) processes whose
    environment names this run's prefix (another synchost on the machine,
    with a prefix of its own, is none of this test's business)."""
    want = ("WINEPREFIX=" + prefix()).encode()
    out = subprocess.run(["pgrep", "-f", r"synchost-worker(64|32)\.exe"], stdout=subprocess.PIPE,
                         text=True).stdout.split()
    left = []
    for p in out:
        if p == str(os.getpid()):
            continue
        try:
            with open("/proc/%s/environ" % p, "rb") as f:
                if want not in f.read().split(b"\0"):
                    continue
        except OSError:
            continue  # gone meanwhile
        left.append(p)
    return left


def prefix():
    """The Wine prefix the workers run in (as harness/supervisor/winenv.c
    chooses it)."""
    if os.environ.get("WINEPREFIX"):
        return os.environ["WINEPREFIX"]
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.environ.get("HOME", ""),
                                                           ".local", "share")
    return os.path.join(data, "synchost", "wine")


def prefix_processes(pfx):
    """The live Wine processes (a Wine program, or the wineserver) whose
    environment names the prefix; not the shells and test runners that
    merely pass WINEPREFIX on."""
    want = ("WINEPREFIX=" + pfx).encode()
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/environ" % pid, "rb") as f:
                env = f.read().split(b"\0")
            with open("/proc/%s/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            with open("/proc/%s/comm" % pid) as f:
                comm = f.read().strip()
            exe = os.readlink("/proc/%s/exe" % pid)
        except OSError:
            continue
        if "/wine" not in exe:
            continue
        if state != "Z" and want in env and int(pid) != os.getpid():
            found.append("%s %s" % (pid, comm))
    return found


def main():
    ap = parser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--run", nargs=3, action="append", required=True,
                    metavar=("DLL", "EXIT", "RULE"),
                    help="a provider, the exit status its conform run must have, and the rule "
                         "it must be flagged with ('-' for none)")
    a = options(ap, "wine")
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for rnd in range(1, a.rounds + 1):
            procs = []
            for i, (dll, _, _) in enumerate(a.run):
                report = os.path.join(tmp, "r%d-%d.json" % (rnd, i))
                cmd = [a.synchost, "conform", dll, "--quiet", "--report-json", report]
                procs.append((subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                               stderr=subprocess.STDOUT, text=True), report))
            for (proc, report), (dll, want_exit, rule) in zip(procs, a.run):
                out, _ = proc.communicate(timeout=600)
                name = os.path.basename(dll)
                if proc.returncode != int(want_exit):
                    problems.append("round %d, %s: exit %d, expected %s\n%s"
                                    % (rnd, name, proc.returncode, want_exit, out))
                    continue
                with open(report, encoding="utf-8") as f:
                    doc = json.load(f)
                rules = {v["rule"] for s in doc["scenarios"] for v in s["violations"]}
                if rule != "-" and rules != {rule}:
                    problems.append("round %d, %s: rules %s, expected {%s}"
                                    % (rnd, name, sorted(rules), rule))
                if rule == "-" and rules:
                    problems.append("round %d, %s: rules %s, expected none"
                                    % (rnd, name, sorted(rules)))
            deadline = time.time() + 5
            while workers_left() and time.time() < deadline:
                time.sleep(0.1)
            if workers_left():
                problems.append("round %d: workers left running: %s" % (rnd, workers_left()))
            print("round %d done" % rnd)
    deadline = time.time() + 40
    while prefix_processes(prefix()) and time.time() < deadline:
        time.sleep(0.5)
    if prefix_processes(prefix()):
        problems.append("40 s after the last run, processes of the prefix %s still run: %s"
                        % (prefix(), prefix_processes(prefix())))
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
