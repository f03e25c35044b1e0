#!/usr/bin/env python3
"""--junit and --tap (docs/reports.md): for a correct provider, one whose
Done comes twice and one that crashes, the JUnit XML is valid against
tests/e2e/junit.xsd (xmllint --schema) and its counts are the JSON report's,
and Perl's prove reads the TAP file with the same counts. Then one `run`
mixing the three providers, with scenario names XML and TAP must escape
(markup, '#', control characters): a testsuite per provider, every name
back intact. And '-': the report alone on stdout; two reports there is
exit 2. Exits 0 when all holds, 1 with the reasons, 77 without Wine,
xmllint or prove outside CI (in CI, CI=true, a missing tool fails: needs.py)."""
import json
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

from needs import Checker, finish, options, parser, run_shown, write_scenario

NOT_PASSED = ("crashed", "timed_out", "errored", "interrupted")

# Names with markup, quotes, a TAP directive and control characters (written
# as JSON strings, which YAML reads; the reports must escape them).
MIXED = [
    ("correct", "reference", 'a<b>&amp;"c" # not a SKIP'),
    ("twice", "defect", "tab\there \x01 bell\x07"),
    ("crashes", "crash", "crash \x1b[31m red"),
]


run = run_shown


def xml_visible(name):
    """A name as the JUnit report gives it back: what XML 1.0 cannot carry as \\xNN."""
    return "".join("\\x%02X" % ord(ch) if ord(ch) < 0x20 and ch not in "\t\n\r" else ch
                   for ch in name)


def json_counts(doc):
    s = doc["summary"]
    return {"tests": s["total"], "failures": s["failed"], "skipped": s["skipped"],
            "errors": sum(s[k] for k in NOT_PASSED)}


def check_junit(c, where, path, schema, doc):
    """Valid, and the counts (root, per suite, per testcase) are the JSON's."""
    proc = run(["xmllint", "--noout", "--schema", schema, path])
    c.expect(proc.returncode == 0, where, "xmllint refuses the JUnit report:\n" + proc.stderr)
    root = ET.parse(path).getroot()
    want = json_counts(doc)
    for key, n in want.items():
        c.expect(root.get(key) == str(n), where,
                 "testsuites %s=%s, the JSON report says %d" % (key, root.get(key), n))
    cases = root.findall("testsuite/testcase")
    c.expect(len(cases) == want["tests"], where, "%d testcases for %d scenarios"
             % (len(cases), want["tests"]))
    for suite in root.findall("testsuite"):
        for key, tag in (("tests", ""), ("failures", "failure"), ("errors", "error"),
                         ("skipped", "skipped")):
            n = len([t for t in suite.findall("testcase") if not tag or t.find(tag) is not None])
            c.expect(suite.get(key) == str(n), where, "testsuite %s: %s=%s for %d testcases"
                     % (suite.get("name"), key, suite.get(key), n))
    by_name = {}
    for sc in doc["scenarios"]:
        by_name.setdefault(xml_visible(sc["name"]), []).append(sc)
    for case in cases:
        sc = by_name.get(case.get("name"), [None]).pop(0)
        if not c.expect(sc is not None, where, "testcase %r is not in the JSON" % case.get("name")):
            continue
        status = sc["status"]
        fail, err, skip = case.find("failure"), case.find("error"), case.find("skipped")
        c.expect((fail is not None) == (status == "failed"), where,
                 "%s: failure element for status %s" % (sc["name"], status))
        c.expect((err is not None) == (status in NOT_PASSED), where,
                 "%s: error element for status %s" % (sc["name"], status))
        c.expect((skip is not None) == (status == "skipped"), where,
                 "%s: skipped element for status %s" % (sc["name"], status))
        if err is not None:
            c.expect(err.get("type") == status, where, "%s: error type %s for %s"
                     % (sc["name"], err.get("type"), status))
        if fail is not None and sc["violations"]:
            v = sc["violations"][0]
            c.expect(fail.get("message").startswith(v["rule"]), where,
                     "%s: failure message %r lacks %s"
                     % (sc["name"], fail.get("message"), v["rule"]))
            for v in sc["violations"]:
                c.expect(v["rule"] in (fail.text or ""), where,
                         "%s: failure text lacks %s" % (sc["name"], v["rule"]))
    return root


def prove_counts(c, where, path, doc):
    """prove reads the TAP file: its total, failed and skipped counts are the JSON's."""
    proc = run(["prove", "-v", "--exec", "cat", path])
    out = proc.stdout + proc.stderr
    want = json_counts(doc)
    bad = want["failures"] + want["errors"]
    m = re.search(r"Files=1, Tests=(\d+)", out)
    c.expect(m is not None and int(m.group(1)) == want["tests"], where,
             "prove counts %s tests, the JSON report %d:\n%s"
             % (m.group(1) if m else "no", want["tests"], out))
    if bad:
        m = re.search(r"Failed (\d+)/(\d+) subtests", out)
        c.expect(m is not None and int(m.group(1)) == bad, where,
                 "prove: %s failed, the JSON report %d:\n%s"
                 % (m.group(1) if m else "none", bad, out))
        c.expect(proc.returncode != 0, where, "prove passes a run with failures")
    else:
        c.expect(proc.returncode == 0 and "All tests successful" in out, where,
                 "prove does not pass a run that passed:\n" + out)
    skips = len(re.findall(r"^ok \d+ .*# skip", out, re.M | re.I))
    c.expect(skips == want["skipped"], where,
             "prove shows %d skips, the JSON report %d" % (skips, want["skipped"]))


def conform_case(c, a, tmp, label, dll, expect_exit):
    base = os.path.join(tmp, label)
    proc = run([a.synchost, "conform", dll, "--report-json", base + ".json",
                "--junit", base + ".xml", "--tap", base + ".tap"])
    c.expect(proc.returncode == expect_exit, label, "exit %d, expected %d:\n%s"
             % (proc.returncode, expect_exit, proc.stdout + proc.stderr))
    if not c.expect(os.path.exists(base + ".xml") and os.path.exists(base + ".tap"), label,
                    "a report is missing"):
        return None
    with open(base + ".json", encoding="utf-8") as f:
        doc = json.load(f)
    root = check_junit(c, label, base + ".xml", a.schema, doc)
    prove_counts(c, label, base + ".tap", doc)
    c.expect(not [n for n in os.listdir(tmp) if ".tmp." in n], label, "a temporary file is left")
    suites = root.findall("testsuite")
    c.expect(len(suites) == 1 and suites[0].get("name") == os.path.basename(dll), label,
             "testsuites %s, expected one named %s"
             % ([s.get("name") for s in suites], os.path.basename(dll)))
    return root, doc


def mixed_case(c, a, tmp, dlls):
    src = os.path.join(tmp, "mixed")
    os.mkdir(src)
    for i, (fname, which, name) in enumerate(MIXED):
        write_scenario(os.path.join(src, "%d-%s.yaml" % (i, fname)), json.dumps(name), dlls[which],
                       3000)
    base = os.path.join(tmp, "mixed-report")
    proc = run([a.synchost, "run", src, "--report-json", base + ".json",
                "--junit", base + ".xml", "--tap", base + ".tap"])
    c.expect(proc.returncode == 1, "mixed", "exit %d, expected 1:\n%s"
             % (proc.returncode, proc.stdout + proc.stderr))
    with open(base + ".json", encoding="utf-8") as f:
        doc = json.load(f)
    root = check_junit(c, "mixed", base + ".xml", a.schema, doc)
    prove_counts(c, "mixed", base + ".tap", doc)
    names = sorted(s.get("name") for s in root.findall("testsuite"))
    c.expect(names == sorted(os.path.basename(d) for d in dlls.values()), "mixed",
             "testsuites %s, expected one per provider" % names)
    # The XML carries the names back (control characters as \xNN).
    got = sorted(t.get("name") for t in root.iter("testcase"))
    c.expect('a<b>&amp;"c" # not a SKIP' in got, "mixed", "the markup name is not intact: %s" % got)
    c.expect("tab\there \\x01 bell\\x07" in got, "mixed", "control characters: %s" % got)
    for tc in root.iter("testcase"):
        c.expect(not tc.get("classname").startswith("synchost."), "mixed",
                 "classname %s for a scenario file" % tc.get("classname"))
    with open(base + ".tap", encoding="utf-8") as f:
        tap = f.read()
    c.expect("\\# not a SKIP" in tap and "\x01" not in tap and "\x1b" not in tap, "mixed",
             "the TAP file does not escape '#' or control characters:\n" + tap)


def stdout_case(c, a, dll):
    proc = run([a.synchost, "conform", dll, "--filter", "^on-demand$", "--junit", "-"])
    c.expect(proc.returncode == 0 and proc.stdout.startswith("<?xml"), "stdout",
             "exit %d, stdout not the XML alone:\n%s" % (proc.returncode, proc.stdout))
    try:
        ET.fromstring(proc.stdout)
    except ET.ParseError as e:
        c.expect(False, "stdout", "the XML on stdout does not parse: %s" % e)
    c.expect("PASS" in proc.stderr, "stdout", "the console is not on stderr:\n" + proc.stderr)
    proc = run([a.synchost, "conform", dll, "--filter", "^on-demand$", "--tap", "-"])
    c.expect(proc.returncode == 0 and proc.stdout.startswith("TAP version 13\n1..1\nok 1 -"),
             "stdout", "exit %d, stdout not the TAP alone:\n%s" % (proc.returncode, proc.stdout))
    for opt in ("--junit", "--tap"):
        proc = run([a.synchost, "conform", dll, opt, "/nonexistent-dir/report"])
        c.expect(proc.returncode == 2 and "cannot write there" in proc.stderr, opt,
                 "exit %d for a path that cannot be written:\n%s"
                 % (proc.returncode, proc.stderr))
    proc = run([a.synchost, "conform", dll, "--junit", "-", "--tap", "-"])
    c.expect(proc.returncode == 2 and "stdout" in proc.stderr, "two on stdout",
             "exit %d, expected 2 with a reason:\n%s" % (proc.returncode, proc.stderr))


def main():
    a = options(parser(schema=None, reference=None, defect="a provider whose Done comes twice",
                       crash="a provider that crashes"), "wine", "xmllint", "prove")
    c = Checker()
    dlls = {"reference": a.reference, "defect": a.defect, "crash": a.crash}
    with tempfile.TemporaryDirectory() as tmp:
        got = conform_case(c, a, tmp, "reference", a.reference, 0)
        if got:
            c.expect(got[0].get("failures") == "0" and got[0].get("errors") == "0", "reference",
                     "the reference provider does not pass")
        got = conform_case(c, a, tmp, "done-twice", a.defect, 1)
        if got:
            fails = [f.get("message") for f in got[0].iter("failure")]
            c.expect(any(m.startswith("done-called-once") for m in fails), "done-twice",
                     "no failure for done-called-once: %s" % fails)
        got = conform_case(c, a, tmp, "crash", a.crash, 1)
        if got:
            types = {e.get("type") for e in got[0].iter("error")}
            c.expect("crashed" in types, "crash", "no error of type crashed: %s" % types)
        mixed_case(c, a, tmp, dlls)
        stdout_case(c, a, a.reference)
    if finish(c.problems):
        return 1
    print("JUnit valid and TAP read by prove, counts as the JSON report's, in 4 runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
