#!/usr/bin/env python3
"""Bounded inputs, bounded messages (docs/regression.md): the
files --baseline and --rerun-failed read are sized before they are read,
read in time linear in their size, and never quoted in a message.

usage: check_inputs.py CASE --synchost S --reference DLL
CASE: large, sparse, secrets. Exits 0 when every check of the case holds,
1 with the reasons. Nothing here runs a scenario: each run ends once the
files are read (a filter that selects nothing, or a refused file)."""
import json
import os
import resource
import subprocess
import sys
import time

from needs import Checker, options, parser, run_case

NONE = ["--filter", "^no-scenario-has-this-name$"]


class Case(Checker):
    def __init__(self, a, tmp):
        super().__init__(tmp)
        self.a = a

    def run(self, args, timeout=120, scenarios=None):
        """Runs synchost conform, or run on the scenarios given; returns
        (exit status, output as bytes, seconds)."""
        cmd = [self.a.synchost, "conform", self.a.reference] + args
        if scenarios is not None:
            cmd = [self.a.synchost, "run", "--provider", self.a.reference, scenarios] + args
        t0 = time.monotonic()
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail(" ".join(args), "still running after %d s" % timeout)
            return None, b"", timeout
        took = time.monotonic() - t0
        print("$ %s  (%.2f s, exit %d)" % (" ".join(cmd), took, proc.returncode))
        print(proc.stdout[:2000].decode("utf-8", "replace"))
        return proc.returncode, proc.stdout, took


def write_report(path, n):
    """A report of n scenario runs, some 800 bytes each, as a run of a large
    suite writes them: two in three failed, with a violation and events."""
    events = [{"seq": i, "t_us": i * 10, "thread": 1, "kind": "progress", "hresult": "S_OK"}
              for i in range(6)]
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"tool": "synchost", "version": "0.1.0", "scenarios": [\n')
        for i in range(n):
            sc = {"name": "generated-%d" % i, "file": "<builtin>/generated-%d.yaml" % (i % 50),
                  "status": "failed" if i % 3 else "passed", "duration_ms": 12,
                  "violations": [{"rule": "done-once", "message": "x" * 200, "event": 3}],
                  "events": events}
            f.write(("," if i else "") + json.dumps(sc) + "\n")
        f.write("]}\n")


def write_expectations(path, n):
    """An expectations file of n entries, each of another scenario (within
    the 4 MiB limit of such a file for n up to some 80,000)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("known:\n")
        for i in range(n):
            f.write("  - {scenario: gen-%d, status: %s, reason: r}\n"
                    % (i, ("failed", "crashed", "flaky", "skip")[i % 4]))


def write_suite(folder, files, report):
    """files scenario files of 1,000 scenarios each in folder, and a report
    of as many failed runs of scenarios that are not among them: a rerun of
    it looks each one up and selects none."""
    os.makedirs(folder)
    for f in range(files):
        with open(os.path.join(folder, "f%03d.yaml" % f), "w", encoding="utf-8") as fp:
            fp.write("scenarios:\n")
            for i in range(1000):
                fp.write("  - {name: s-%d-%d, description: d}\n" % (f, i))
    with open(report, "w", encoding="utf-8") as fp:
        fp.write('{"tool": "synchost", "scenarios": [\n')
        fp.write(",\n".join(json.dumps({"name": "r-%d" % i, "file": "f%03d.yaml" % (i % files),
                                         "status": "failed"}) for i in range(files * 1000)))
        fp.write("]}\n")


def timed_pair(c, what, small_args, large_args, scenarios=(None, None)):
    """Runs small_args, then large_args (ten times the input); checks both
    read their input and the large one took under 60 s and under 20 times
    the small one (linear: 10 times; quadratic: 100 times). Returns the
    large run's output."""
    rc_s, _, t_small = c.run(small_args, scenarios=scenarios[0])
    rc_l, out, t_large = c.run(large_args, timeout=60, scenarios=scenarios[1])
    for rc in (rc_s, rc_l):
        c.expect(rc in (0, 2), what, "exit status %s" % rc)
    c.expect(t_large < 60, what, "took %.1f s" % t_large)
    c.expect(t_large < 20 * max(t_small, 0.1), what,
             "took %.1f s, against %.2f s for a tenth of it: not linear" % (t_large, t_small))
    c.expect(out.count(b"\n") < 100, what,
             "%d lines of output; warnings must be bounded" % out.count(b"\n"))
    return out


def case_large(c):
    """--baseline and --rerun-failed of a 100,000-scenario report finish in
    time linear in its size: under 60 s, and under 20 times what a 10,000
    one takes (quadratic growth would be 100 times; the ratio holds on a
    slow or loaded machine, where an absolute bound alone would not). The
    warnings about runs that name no scenario loaded stay a few lines."""
    small, large = c.path("small.json"), c.path("large.json")
    write_report(small, 10000)
    write_report(large, 100000)
    for opt in ("--baseline", "--rerun-failed"):
        out = timed_pair(c, "%s of 100,000 scenarios" % opt, [opt, small] + NONE,
                         [opt, large] + NONE)
        c.expect(("synchost: %s" % opt).encode() not in out, opt, "the report was refused")
    # An expectations file as long as its limit allows: its entries are
    # checked against each other by sorting, not pairwise.
    small, large = c.path("small.yaml"), c.path("large.yaml")
    write_expectations(small, 8000)
    write_expectations(large, 80000)
    c.expect(os.path.getsize(large) <= 4 << 20, "80,000 entries", "over the 4 MiB limit")
    out = timed_pair(c, "--baseline of 80,000 entries", ["--baseline", small] + NONE,
                     ["--baseline", large] + NONE)
    c.expect(b"synchost: --baseline" not in out, "80,000 entries", "the file was refused")
    # A rerun among many scenarios: each scenario loaded is looked up among
    # the runs of the report, and each run among the scenarios, by name.
    write_suite(c.path("s5"), 5, c.path("s5.json"))
    write_suite(c.path("s50"), 50, c.path("s50.json"))
    out = timed_pair(c, "--rerun-failed among 50,000 scenarios",
                     ["--rerun-failed", c.path("s5.json")], ["--rerun-failed", c.path("s50.json")],
                     scenarios=(c.path("s5"), c.path("s50")))
    c.expect(b"synchost: --rerun-failed" not in out, "50,000 scenarios", "the report was refused")


def sparse(path, start, size):
    with open(path, "wb") as f:
        f.write(start)
        f.truncate(size)


def case_sparse(c):
    """A 1 GiB (sparse) file as --baseline or --rerun-failed, YAML or JSON,
    or as a scenario file, is refused at once, exit 2, naming its size and the limit, in well
    under 100 MB of memory: it is sized before it is read."""
    gib = 1 << 30
    files = {"big.yaml": b"known:\n", "big.json": b'{"tool": "synchost", "scenarios": ['}
    for name, start in files.items():
        sparse(c.path(name), start, gib)
    for opt, name in (("--baseline", "big.yaml"), ("--baseline", "big.json"),
                      ("--rerun-failed", "big.json")):
        what = "%s %s" % (opt, name)
        rc, out, took = c.run([opt, c.path(name)] + NONE)
        c.expect(rc == 2, what, "exit status %s, expected 2" % rc)
        c.expect(b"too large" in out and str(gib).encode() in out and b"limit" in out, what,
                 "the message does not give the size and the limit")
        c.expect(took < 10, what, "took %.1f s" % took)
    # A scenario file, for run and for list: sized before it is read too.
    sparse(c.path("big-scenario.yaml"), b"name: big\ndescription: ", gib)
    for args, scenarios in (([], c.path("big-scenario.yaml")),
                            (["list", "scenarios", c.path("big-scenario.yaml")], "")):
        what = "a 1 GiB scenario file" + (" (list)" if args else "")
        if args:
            t0 = time.monotonic()
            proc = subprocess.run([c.a.synchost] + args, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=60)
            rc, out, took = proc.returncode, proc.stdout, time.monotonic() - t0
            print(out[:2000].decode("utf-8", "replace"))
        else:
            rc, out, took = c.run([], scenarios=scenarios)
        c.expect(rc == 2, what, "exit status %s, expected 2" % rc)
        c.expect(b"too large for a scenario file" in out and str(gib).encode() in out and
                 b"1048576" in out, what, "the message does not give the size and the limit")
        c.expect(took < 10, what, "took %.1f s" % took)
    # A configuration file named with --config: sized before it is read too.
    sparse(c.path("big-config.yaml"), b"options:\n  level: ", gib)
    proc = subprocess.run([c.a.synchost, "list", "rules", "--config", c.path("big-config.yaml")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    print(proc.stdout[:2000].decode("utf-8", "replace"))
    c.expect(proc.returncode == 2, "a 1 GiB configuration file", "exit status %s" % proc.returncode)
    c.expect(b"too large for a configuration file" in proc.stdout and
             str(gib).encode() in proc.stdout and b"1048576" in proc.stdout,
             "a 1 GiB configuration file", "the message does not give the size and the limit")
    # A DLL to probe: the reference provider made 1 GiB (sparse) past its end.
    with open(c.a.reference, "rb") as f:
        sparse(c.path("big.dll"), f.read(), gib)
    proc = subprocess.run([c.a.synchost, "probe", c.path("big.dll")], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=60)
    print(proc.stdout[:2000].decode("utf-8", "replace"))
    c.expect(proc.returncode == 2, "probe of a 1 GiB DLL", "exit status %s" % proc.returncode)
    c.expect(str(gib).encode() in proc.stdout and b"limit" in proc.stdout, "probe of a 1 GiB DLL",
             "the message does not give the size and the limit")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("peak memory of the runs: %.1f MB" % peak_mb)
    c.expect(peak_mb < 100, "a 1 GiB file", "a run used %.0f MB" % peak_mb)
    # Just over the expectations file's limit, and not sparse: refused too.
    sparse(c.path("over.yaml"), b"known:\n", 4 * 1024 * 1024 + 1)
    rc, out, _ = c.run(["--baseline", c.path("over.yaml")] + NONE)
    c.expect(rc == 2 and b"4194305 bytes" in out, "a 4 MiB + 1 expectations file",
             "not refused with its size")


SECRETS = {
    "token.env": b"GITHUB_TOKEN=secret123\nOTHER=1\n",
    "id_key": b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
              b"-----END OPENSSH PRIVATE KEY-----\n",
    "shadow": b"root:$6$salt$hashsecret123:19000:0:99999:7:::\n",
    "token.json": b'{"tool": "synchost", "scenarios": [GITHUB_TOKEN=secret123]}',
    "token-string.json": b'{"tool": "synchost", "scenarios": [{"name": "x", '
                         b'"status": "GITHUB_TOKEN=secret123\n"}]}',
}


def refused_as_report(c, name, text):
    """Writes text to the file name and gives it as --baseline and as
    --rerun-failed, each of which must be refused (exit 2); yields each
    run's name and output."""
    with open(c.path(name), "wb") as f:
        f.write(text)
    for opt in ("--baseline", "--rerun-failed"):
        what = "%s %s" % (opt, name)
        rc, out, _ = c.run([opt, c.path(name)] + NONE)
        c.expect(rc == 2, what, "exit status %s, expected 2" % rc)
        yield what, out


def case_secrets(c):
    """A file that is no baseline or scenario file (a token, a private key,
    a password file) is refused, exit 2, without its content in the message; a control byte
    in the file is never written raw."""
    for name, text in SECRETS.items():
        for what, out in refused_as_report(c, name, text):
            for secret in (b"secret123", b"PRIVATE KEY", b"$6$", b"b3BlbnNz"):
                c.expect(secret not in out, what, "the message shows %r" % secret)
    # The same files where a scenario file is expected (run, list): the top
    # of a file that is none of ours is described, never quoted.
    for name in SECRETS:
        for args, scenarios in (([], c.path(name)), (None, None)):
            what = "scenario file %s%s" % (name, "" if scenarios else " (list)")
            if scenarios is None:
                proc = subprocess.run([c.a.synchost, "list", "scenarios", c.path(name)],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
                rc, out = proc.returncode, proc.stdout
                print(out[:2000].decode("utf-8", "replace"))
            else:
                rc, out, _ = c.run(args, scenarios=scenarios)
            c.expect(rc == 2, what, "exit status %s, expected 2" % rc)
            for secret in (b"secret123", b"PRIVATE KEY", b"$6$", b"b3BlbnNz"):
                c.expect(secret not in out, what, "the message shows %r" % secret)
    bad = {"esc.json": b'{"tool": "synchost", "x": {"a": \x1b[31m}}',
           "esc-name.json": b'{"tool": "synchost", "scenarios": [{"name": "a\x1b[2J", '
                            b'"status": "none"}]}',
           "esc.yaml": b"known:\n  - \x1b[31m: 1\n"}
    for name, text in bad.items():
        for what, out in refused_as_report(c, name, text):
            c.expect(b"\x1b" not in out, what, "an ESC byte is written raw")


CASES = {"large": case_large, "sparse": case_sparse, "secrets": case_secrets}


def main():
    ap = parser(reference=None)
    ap.add_argument("case", choices=sorted(CASES))
    a = options(ap)
    return run_case(CASES, a.case, lambda tmp: Case(a, tmp))


if __name__ == "__main__":
    sys.exit(main())
