#!/usr/bin/env python3
"""Names Windows cannot take, and names of any length (docs/reports.md):
a provider whose file name has '<', '>', '"', an ESC and a newline (legal on
Linux) is loaded all the same, so a correct one passes and a defective one
fails on its defect, not on load-dll; the JUnit suite is named after the
whole file name; the rerun command, pasted into bash, names the file and
runs, and the winedbg command, pasted after the run, names it too; a scenario with a 100,000-character name gets one too. Exits 0 when
everything holds, 1 with the reasons, 77 (skip) when Wine is missing (a
failure under CI=true)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from needs import finish, options, parser

NAME = 'odd<>"\x1b\nname.dll'
FILTER = "^(background-only|download-contents)$"


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, timeout=300, **kw)


def provider_word(command):
    """The --provider argument of a rerun command, as bash expands it."""
    words = run(["bash", "-c", "f() { printf '%s\\0' \"$@\"; }; f " + command]).stdout
    words = words.split(b"\0")
    return words[words.index(b"--provider") + 1] if b"--provider" in words else None


def check_rerun(problems, what, command, want_exit, tmp):
    if command is None:
        problems.append("%s: no rerun command" % what)
        return
    if re.search(r"[\x00-\x1f\x7f]", command):
        problems.append("%s: the rerun command has a raw control character: %r"
                        % (what, command[:300]))
    word = provider_word(command)
    if word is None or not os.path.exists(word):
        problems.append("%s: the rerun command's provider %r does not exist" % (what, word))
    again = run(["bash", "-c", command], cwd=tmp)
    if again.returncode != want_exit:
        problems.append("%s: the rerun command gave exit %d, not %d:\n%s"
                        % (what, again.returncode, want_exit, again.stdout[-2000:]))


# Stands in for winedbg: checks that the script the pasted command wrote
# names the provider (its path as the worker would open it, relative to the
# current folder or under Z:), and says what it found.
FAKE_WINEDBG = r"""#!/usr/bin/env python3
import filecmp, os, sys, urllib.parse
with open(sys.argv[-1], encoding="utf-8") as f:
    words = f.read().split()
dll = [urllib.parse.unquote(w[9:]) for w in words if w.startswith("provider=")][0]
path = dll[2:] if dll[:2].upper() == "Z:" else dll
path = path.replace("\\", "/")
ok = os.path.exists(path) and filecmp.cmp(path, os.environ["WANT_DLL"], shallow=False)
print("winedbg stand-in: %r %s" % (dll, "names the provider" if ok else "names nothing"))
sys.exit(0 if ok else 1)
"""


def check_winedbg(problems, what, command, dll, tmp):
    """The winedbg command, pasted after the run, with a stand-in winedbg."""
    if command is None:
        problems.append("%s: no winedbg command" % what)
        return
    bin_dir = os.path.join(tmp, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    fake = os.path.join(bin_dir, "winedbg")
    with open(fake, "w", encoding="utf-8") as f:
        f.write(FAKE_WINEDBG)
    os.chmod(fake, 0o755)
    # The debugger's words ("winedbg", after the loader that runs it when
    # the command names one) become the stand-in.
    command = re.sub(r"(?: (?:/\S*|'[^']*'))? winedbg ", " " + fake + " ", command, count=1)
    paste = os.path.join(tmp, "paste")
    os.makedirs(paste, exist_ok=True)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"], WANT_DLL=dll)
    for attempt in (1, 2):  # pasted twice: the second replaces the first's links
        again = run(["bash", "-c", command], cwd=paste, env=env)
        if again.returncode != 0:
            problems.append("%s: the winedbg command, pasted (%d), gave exit %d:\n%s\n%s"
                            % (what, attempt, again.returncode, command[:600],
                               again.stdout[-2000:].decode("utf-8", "replace")))
            return


def odd_names(args, tmp, problems):
    ref = os.path.join(tmp, NAME)
    shutil.copy(args.reference, ref)
    junit = os.path.join(tmp, "ref.xml")
    proc = run([args.synchost, "conform", ref, "--filter", FILTER, "--junit", junit], cwd=tmp)
    if proc.returncode != 0:
        problems.append("%r: exit %d, not 0:\n%s" % (NAME, proc.returncode,
                                                    proc.stdout.decode("utf-8", "replace")))
    suites = [s.get("name") for s in ET.parse(junit).getroot().iter("testsuite")]
    # XML 1.0 cannot hold an ESC: the report writes it as \x1B.
    if suites != [NAME.replace("\x1b", "\\x1B")]:
        problems.append("JUnit suites %r, not one named after %r" % (suites, NAME))
    bad = os.path.join(tmp, "defect " + NAME)
    shutil.copy(args.defect, bad)
    report = os.path.join(tmp, "defect.json")
    proc = run([args.synchost, "conform", bad, "--filter", FILTER, "--report-json", report],
               cwd=tmp)
    with open(report, encoding="utf-8") as f:
        doc = json.load(f)
    rules = {v["rule"] for s in doc["scenarios"] for v in s["violations"]}
    if proc.returncode != 1 or "load-dll" in rules or args.rule not in rules:
        problems.append("defect %r: exit %d, rules %s (want 1 and %s)"
                        % (NAME, proc.returncode, sorted(rules), args.rule))
    first = doc["scenarios"][0] if doc["scenarios"] else {}
    check_rerun(problems, "defect %r" % NAME, first.get("rerun", {}).get("synchost"), 1, tmp)
    check_winedbg(problems, "defect %r" % NAME, first.get("rerun", {}).get("winedbg"), bad, tmp)


def long_name(args, tmp, problems):
    path = os.path.join(tmp, "long.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("name: %s\ndescription: A long name.\nsync:\n  flags: [SYNC_BACKGROUND]\n"
                % ("n" * 100000))
    report = os.path.join(tmp, "long.json")
    proc = run([args.synchost, "run", "--provider", args.defect, path, "--report-json", report],
               cwd=tmp)
    with open(report, encoding="utf-8") as f:
        doc = json.load(f)
    if proc.returncode != 1 or len(doc["scenarios"]) != 1:
        problems.append("long name: exit %d, %d scenarios" % (proc.returncode,
                                                              len(doc["scenarios"])))
        return
    check_rerun(problems, "long name", doc["scenarios"][0].get("rerun", {}).get("synchost"), 1,
                tmp)


def main():
    args = options(parser(reference=None, defect=None, rule="the rule the defect breaks"), "wine")
    # The runs below are made in a temporary folder.
    for key in ("synchost", "reference", "defect"):
        setattr(args, key, os.path.abspath(getattr(args, key)))
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        odd_names(args, tmp, problems)
        long_name(args, tmp, problems)
    if not problems:
        print("PASS: odd and long names")
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
