#!/usr/bin/env python3
"""The command line's contract without running a provider: usage errors and
bad input exit 2 with a message naming the file (and line:column for
scenarios); --help, --version and list work."""
import glob
import os
import re
import resource
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")
failures = []
counts = {"run": 0}


def run(args, expect_exit, expect_out=None, bounded=False):
    """Runs synchost with args; a failure for an exit status other than
    expect_exit, an output expect_out (a regex) does not match and, when
    bounded, more than a second of CPU. Returns the output."""
    limit = None
    if bounded:
        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([SYNCHOST] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=60, preexec_fn=limit)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    shown = "synchost " + " ".join(args)
    counts["run"] += 1
    before_failures = len(failures)
    if proc.returncode != expect_exit:
        failures.append("%s: exit %d, expected %d\n%s" % (shown, proc.returncode, expect_exit,
                                                          proc.stdout))
    if expect_out is not None and not re.search(expect_out, proc.stdout, re.M):
        failures.append("%s: output does not match %r:\n%s" % (shown, expect_out, proc.stdout))
    if bounded and cpu >= 1.0:
        failures.append("%s: took %.2f s of CPU (at most 1 s)" % (shown, cpu))
    counts["failed"] = counts.get("failed", 0) + (1 if len(failures) > before_failures else 0)
    return proc.stdout


def run_bounded(args, expect_exit, expect_out):
    """run() for bad input, which must be refused within a second of CPU and
    in bounded memory: the child gets 1 GiB of address space at most."""
    return run(args, expect_exit, expect_out, bounded=True)


def patched_copy(dll, directory, name, edit):
    """A copy of dll with edit(bytearray) applied, in directory."""
    with open(dll, "rb") as f:
        data = bytearray(f.read())
    edit(data)
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def set_machine(code):
    def edit(data):
        lfanew = struct.unpack_from("<I", data, 0x3C)[0]
        struct.pack_into("<H", data, lfanew + 4, code)
    return edit


def bad_input(dll, tmp):
    """Issue 5's bad input: each exits 2 with a clear message, at once."""
    # A DLL given where a scenario was expected.
    run_bounded(["run", dll], 2, re.escape(dll) + r" is a DLL, given where a scenario file was "
                r"expected; did you mean `synchost run --provider " + re.escape(dll) +
                r" SCENARIOS\.\.\.` or `synchost conform " + re.escape(dll) + "`")
    run_bounded(["list", "scenarios", dll], 2, re.escape(dll) + r" is a DLL")
    # Any other binary: located, and called binary.
    binary = os.path.join(tmp, "archive.yaml")
    with open(binary, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00\x00\x00\x00")
    run_bounded(["list", "scenarios", binary], 2, re.escape(binary) +
                r":1:\d+: binary data \(a NUL byte at offset 3\), not a scenario file")
    # An alias bomb: a 1 MB description used 4095 times (3.5 GB expanded).
    bomb = os.path.join(tmp, "bomb.yaml")
    with open(bomb, "w") as f:
        f.write("scenarios:\n- name: s0\n  description: &d " + "x" * 870000 + "\n")
        for i in range(1, 4096):
            f.write("- {name: s%d, description: *d}\n" % i)
    run_bounded(["list", "scenarios", bomb], 2, re.escape(bomb) +
                r":2:1: too large once its aliases are expanded: more than 16777216 bytes")
    # A report path that cannot be written: refused before anything runs.
    for path, why in ((os.path.join(tmp, "no", "such", "dir", "r.json"),
                       "No such file or directory"),
                      (tmp, "Is a directory"),
                      (tmp + "/", "Is a directory")):
        run_bounded(["conform", dll, "--report-json", path], 2,
                    r"--report-json " + re.escape(path) + r": cannot write there: " + why)
    # Deadlines: one rule for the file and the command line.
    for value in ("0", "3600001", "4233600000"):
        run_bounded(["conform", dll, "--timeout-ms", value], 2,
                    r"--timeout-ms takes a deadline from 1 to 3600000 ms \(1 hour at most\), "
                    r"not '%s'" % value)
    run(["list", "rules", "--timeout-ms", "3600000"], 0)
    run(["list", "rules", "--timeout-ms", "1"], 0)
    path = os.path.join(FIX, "timeout-zero.yaml")
    run_bounded(["run", "--provider", dll, path], 2, re.escape(path) +
                r":4:13: timeout_ms: must be from 1 to 3600000 ms \(a deadline: 1 hour at most\), "
                r"got '0'")
    # A rules.skip typo at its own line and column.
    path = os.path.join(FIX, "skip-typo-second.yaml")
    run_bounded(["run", "--provider", dll, path], 2, re.escape(path) +
                r":7:11: rules\.skip names no rule 'done-called-twice'")
    # Control characters in names reach the console escaped.
    path = os.path.join(FIX, "control-chars.yaml")
    out = run(["list", "scenarios", path], 0, r"^evil\\x1b\[2J\\rPASS    forged ")
    if re.search(r"[\x00-\x09\x0b-\x1f\x7f\x80-\x9f]", out):
        failures.append("list scenarios: a raw control character reached the console: %r" % out)
    if "bell\\x07\\u009b" not in out:
        failures.append("list scenarios: BEL and U+009B not escaped: %r" % out)
    # A truncated PE file, and DLLs of machines this build cannot host.
    with open(dll, "rb") as f:
        size = len(f.read())
    cut = patched_copy(dll, tmp, "truncated.dll", lambda data: data.__delitem__(
        slice(size // 2, None)))
    run_bounded(["conform", cut], 2, re.escape(cut) + r": truncated PE file: section \d+ ")
    run_bounded(["probe", cut], 2, r"truncated PE file")
    # An x86 DLL is hosted by the 32-bit worker: without one, the run ends
    # before it starts as the harness's failure, saying what to build.
    x86 = patched_copy(dll, tmp, "x86.dll", set_machine(0x014c))
    os.environ["SYNCHOST_WORKER32"] = os.path.join(tmp, "absent", "synchost-worker32.exe")
    run_bounded(["conform", x86], 3, r"an x86 DLL needs synchost-worker32\.exe, the 32-bit "
                r"worker.*SYNCHOST_WORKER32")
    del os.environ["SYNCHOST_WORKER32"]
    arm = patched_copy(dll, tmp, "arm64.dll", set_machine(0xaa64))
    run_bounded(["conform", arm], 2, re.escape(arm) + r": an ARM64 DLL; no worker of this "
                r"version hosts ARM64 providers")
    other = patched_copy(dll, tmp, "armnt.dll", set_machine(0x01c4))
    run_bounded(["conform", other], 2, re.escape(other) + r": a DLL for machine type 0x01C4")


def help_matches_manual(help_text, manual):
    """Every long option --help shows is in the manual page, and the other
    way round: neither may drift from the other."""
    with open(manual, encoding="utf-8") as f:
        roff = f.read().replace("\\-", "-")
    in_help = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", help_text))
    in_manual = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", roff)) - {"--cflags"}  # pkg-config's
    counts["run"] += 1
    if in_help != in_manual:
        counts["failed"] = counts.get("failed", 0) + 1
        failures.append("--help and docs/synchost.1 differ in options: only in --help %s, only "
                        "in the manual %s" % (sorted(in_help - in_manual),
                                              sorted(in_manual - in_help)))


def main():
    global SYNCHOST
    SYNCHOST, dll, contract = sys.argv[1], sys.argv[2], sys.argv[3]
    run([], 2, r"usage:")
    help_text = run(["--help"], 0, r"synchost conform PROVIDER\.dll")
    help_matches_manual(help_text, os.path.join(os.path.dirname(contract), "docs",
                                                "synchost.1"))
    run(["--version"], 0, r"^synchost \d+\.\d+\.\d+$")
    out = run(["list", "rules"], 0, r"^no-crash\s+required\s+enforced")
    for rule in ("load-dll", "load-entry-point", "load-logon", "load-qi-imapisync",
                 "sib-returns-s-ok", "sib-returns-promptly", "sib-writes-done-event",
                 "event-signaled", "no-exit", "no-hang", "sib-background-thread",
                 "done-handle-matches", "progress-monotonic", "progress-text-valid",
                 "error-hresult-failure", "error-text-valid", "callback-via-qi",
                 "callback-refcount", "callback-after-release", "event-owned-by-host",
                 "cancel-honored",
                 "done-called-once", "done-last", "progress-index-bounded", "no-crash"):
        if not re.search(r"^%s\s+\w+\s+enforced" % re.escape(rule), out, re.M):
            failures.append("list rules: %s is not listed as enforced" % rule)
    # CONTRACT.md's table says what list rules says: same ids, levels, status.
    listed = {m.group(1): (m.group(2), m.group(3))
              for m in re.finditer(r"^(\S+)\s+(required|recommended|pedantic)\s+(enforced|planned)",
                                   out, re.M)}
    with open(contract, encoding="utf-8") as f:
        documented = {m.group(1): (m.group(2), m.group(3))
                      for m in re.finditer(r"^\| `([a-z0-9-]+)` \| (\w+) \| (enforced|planned) \|",
                                           f.read(), re.M)}
    counts["run"] += 1
    if listed != documented:
        counts["failed"] = counts.get("failed", 0) + 1
        diff = sorted(set(listed.items()) ^ set(documented.items()))
        failures.append("CONTRACT.md's rule table and 'list rules' differ: %s" % diff)
    run(["list", "scenarios"], 0, r"^download-contents\s+SYNC_DOWNLOAD_CONTENTS")
    run(["frobnicate"], 2, r"unknown command 'frobnicate'")
    run(["probe"], 2, r"probe takes one provider DLL")
    run(["explore"], 2, r"explore takes one provider DLL")
    run(["explore", dll, "--budget", "soon"], 2, r"--budget takes a duration")
    run(["explore", dll, "--budget", "5x"], 2, r"--budget: unknown unit in '5x'")
    run(["explore", dll, "--budget", "0"], 2, r"--budget takes a duration")
    run(["explore", dll, "--junit", "x.xml"], 2, r"explore writes its own JSON report")
    builtin = len(glob.glob(os.path.join(HERE, "..", "..", "scripts", "suites", "conformance",
                                         "*.yaml")))
    run(["trace", "--provider", dll], 2, r"trace runs one scenario; %d are selected" % builtin)
    run(["trace", "--provider", dll, os.path.join(HERE, "..", "..", "scripts", "suites",
                                                   "regression")], 2,
        r"trace runs one scenario; \d+ are selected")
    run(["conform"], 2, r"conform takes one provider DLL")
    run(["conform", dll, "--level", "strict"], 2, r"--level takes required, recommended or "
        r"pedantic, not 'strict'")
    run(["conform", dll, "-j", "0"], 2, r"-j takes a number")
    run(["conform", dll, "--skip-rule", "no-such-rule"], 2, r"no rule 'no-such-rule'")
    run(["conform", dll, "--shard", "3/2"], 2, r"--shard takes K/N")
    run(["conform", dll, "--filter", "("], 2, r"--filter '\('")
    run(["conform", "/nonexistent/provider.dll"], 2, r"/nonexistent/provider\.dll: cannot open")
    with tempfile.NamedTemporaryFile(suffix=".dll") as f:
        f.write(b"this is not a DLL")
        f.flush()
        run(["conform", f.name], 2, re.escape(f.name) + r": not a PE file")
    path = os.path.join(FIX, "unknown-key.yaml")
    run(["run", "--provider", dll, path], 2, re.escape(path) + r":4:3: .*unknown key 'flagz'")
    path = os.path.join(FIX, "misspelt-keys.yaml")
    run(["run", "--provider", dll, path], 2, re.escape(path) + r":9:7: unknown key "
        r"'logof_after_ms' in host; did you mean 'logoff_after_ms'\?")
    path = os.path.join(FIX, "bad-hresult.yaml")
    run(["run", "--provider", dll, path], 2, re.escape(path) + r":4:27: "
        r"host\.done_returns\.hresult: unknown HRESULT 'E_FAILED'; did you mean E_FAIL\?")
    path = os.path.join(FIX, "bad-flag.yaml")
    run(["run", "--provider", dll, path], 2, re.escape(path) + r":3:35: .*SYNC_NOT_A_FLAG")
    path = os.path.join(FIX, "syntax-error.yaml")
    run(["run", "--provider", dll, path], 2, re.escape(path) + r":\d+:\d+: ")
    path = os.path.join(FIX, "skip-unknown-rule.yaml")
    run(["run", "--provider", dll, path], 2, r"rules\.skip names no rule 'done-called-twice'")
    run(["run", "--provider", dll, "/nonexistent/dir"], 2, r"/nonexistent/dir: No such file")
    path = os.path.join(FIX, "missing-provider.yaml")
    run(["run", path], 2, re.escape(os.path.join(FIX, "no-such-provider.dll")) +
        r": cannot open")
    path = os.path.join(FIX, "no-provider.yaml")
    run(["run", path], 2, re.escape(path) + r":1: scenario 'names-no-provider' names no provider")
    with tempfile.TemporaryDirectory() as tmp:
        bad_input(dll, tmp)
    for f in failures:
        print("FAIL: " + f)
    failed = counts.get("failed", 0)
    print("%d passed, %d failed" % (counts["run"] - failed, failed))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
