#!/usr/bin/env python3
"""The project configuration, synchost.yaml (docs/configuration.md):
found in the working directory or a parent up to the repository root or
$HOME, never one someone else could have written, or named by --config or
SYNCHOST_CONFIG; the console names the file applied; its options are defaults under the environment and the
command line; its skips, with their reasons, are in every report; its
deadlines reach the scenarios they name; its mistakes are exit 2 at their
file:line:col. Exits 0 when everything holds, 1 with the reasons, 77 when
Wine is missing outside CI (needs.py)."""
import json
import os
import sys
import tempfile

from needs import finish, options, parser, run_expect

problems = []


def run(synchost, args, cwd, expect_exit, patterns=(), env=None, absent=()):
    full = dict(os.environ)
    for k in ("SYNCHOST_CONFIG", "CI_NODE_INDEX", "CI_NODE_TOTAL", "TEST_SHARD_INDEX",
              "TEST_TOTAL_SHARDS"):
        full.pop(k, None)
    full.update(env or {})
    return run_expect(problems, [synchost] + args, "(in %s) synchost %s" % (cwd, " ".join(args)),
                      expect_exit, patterns, absent, cwd=cwd, env=full, timeout=300)


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)  # whatever the umask: a file others may write is refused
    return path


def report(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def mistakes(synchost, proj):
    """Each mistake: exit 2, at its file:line:col, before anything runs."""
    cases = [
        ("options:\n  level: pedantic\nskips:\n  - rule: done-last\n",
         r"synchost\.yaml:3:1: unknown key 'skips' in the configuration; did you mean 'skip'\? "
         r"\(it takes options, "
         r"skip, scenarios\)"),
        ("options:\n  level: strict\n",
         r"synchost\.yaml:2:10: options\.level: --level takes required, recommended or "
         r"pedantic, not 'strict'"),
        ("options:\n  levle: pedantic\n",
         r"synchost\.yaml:2:3: options: 'levle' is no option of synchost \(synchost --help "
         r"lists them\); did you mean 'level'\?"),
        # The file's text in a message is escaped, whatever it holds.
        ("options:\n  \"le\\evel\": pedantic\n",
         r"synchost\.yaml:2:3: options: 'le\\x1Bvel' is no option of synchost"),
        ("options:\n  quiet: \"y\\es\"\n",
         r"synchost\.yaml:2:10: options\.quiet: a flag: true or false, not 'y\\x1Bs'"),
        ("options:\n  level: \"st\\erict\"\n",
         r"synchost\.yaml:2:10: options\.level: --level takes required, recommended or "
         r"pedantic, not 'st\\x1Brict'"),
        ("options:\n  quiet: yes\n",
         r"synchost\.yaml:2:10: options\.quiet: a flag: true or false, not 'yes'"),
        ("options:\n  config: other.yaml\n",
         r"synchost\.yaml:2:3: options: 'config' is not an option a configuration file sets"),
        ("options:\n  skip-rule: done-last\n",
         r"synchost\.yaml:2:3: options: 'skip-rule' is given under skip:, with a reason"),
        ("options:\n  jobs: 0\n", r"synchost\.yaml:2:9: options\.jobs: -j takes a number"),
        ("skip:\n  - rule: done-last\n",
         r"synchost\.yaml:2:5: a skip entry needs reason: \(why it is skipped\)"),
        ("scenarios:\n  on-demand:\n    timeout_ms: 0\n",
         r"synchost\.yaml:3:17: scenarios\.on-demand\.timeout_ms: must be from 1 to 3600000"),
    ]
    for text, pattern in cases:
        write(os.path.join(proj, "synchost.yaml"), text)
        run(synchost, ["list", "rules"], proj, 2, [pattern])
        # --help and --version read no configuration; --no-config skips it.
        run(synchost, ["--help"], proj, 0, [r"--config FILE"])
        run(synchost, ["list", "rules", "--no-config"], proj, 0)
    run(synchost, ["list", "rules"], proj, 2, [r"nowhere\.yaml: cannot read: No such file"],
        env={"SYNCHOST_CONFIG": os.path.join(proj, "nowhere.yaml")})


def runs(synchost, proj, reference, defect):
    deep = os.path.join(proj, "src", "deep")
    os.makedirs(deep)
    os.makedirs(os.path.join(proj, ".git"))  # the search stops at the repository root
    write(os.path.join(proj, "synchost.yaml"), """# the project's settings
options:
  level: pedantic
  filter: '^(on-demand|download-contents)$'
  report-json: from-config.json
  junit: from-config.xml
  tap: from-config.tap
  jobs: 1
skip:
  - rule: done-called-once
    reason: "bug 1234: Done twice on purpose"
scenarios:
  download-contents:
    timeout_ms: 1
""")
    # Found from a folder two levels down; its options and skip apply.
    out = run(synchost, ["conform", defect], deep, 1, [
        r"^config: .*/proj/synchost\.yaml$",
        r"^rules skipped:\n  done-called-once: bug 1234: Done twice on purpose \(.*"
        r"synchost\.yaml:10:5\)$",
        r"^report: from-config\.json$",
    ])
    doc = report(os.path.join(deep, "from-config.json"))
    if doc["level"] != "pedantic":
        problems.append("the file's level did not apply: %s" % doc["level"])
    if doc.get("skipped_rules") != [{"rule": "done-called-once",
                                      "reason": "bug 1234: Done twice on purpose",
                                      "source": os.path.join(proj, "synchost.yaml") + ":10:5"}]:
        problems.append("skipped_rules is %r" % doc.get("skipped_rules"))
    by_name = {s["name"]: s for s in doc["scenarios"]}
    if sorted(by_name) != ["download-contents", "on-demand"]:
        problems.append("the file's filter did not apply: %s" % sorted(by_name))
    else:
        if by_name["on-demand"]["status"] != "passed":
            problems.append("on-demand (done-called-once skipped) is %s"
                            % by_name["on-demand"]["status"])
        # The file's 1 ms deadline for download-contents: it cannot make it.
        if by_name["download-contents"]["status"] == "passed":
            problems.append("download-contents passed under the file's 1 ms deadline")
        rules = {v["rule"] for s in doc["scenarios"] for v in s["violations"]}
        if "done-called-once" in rules:
            problems.append("done-called-once was judged though the file skips it")
    with open(os.path.join(deep, "from-config.xml"), encoding="utf-8") as f:
        if ('<property name="skipped-rule" value="done-called-once: bug 1234: Done twice on '
                'purpose"/>') not in f.read():
            problems.append("the JUnit report lacks the skipped-rule property")
    with open(os.path.join(deep, "from-config.tap"), encoding="utf-8") as f:
        if "\n# skipped rule done-called-once: bug 1234: Done twice on purpose\n" not in f.read():
            problems.append("the TAP report lacks the skipped rule's line")

    # The command line wins over the file, the environment over the file's shard.
    run(synchost, ["conform", reference, "--level", "required", "--filter", "^on-demand$",
                   "--report-json", "cli.json"], deep, 0)
    if report(os.path.join(deep, "cli.json"))["level"] != "required":
        problems.append("--level on the command line did not win over the file")
    write(os.path.join(proj, "synchost.yaml"), "options:\n  shard: 1/2\n  report-json: s.json\n")
    run(synchost, ["list", "rules"], deep, 0)
    run(synchost, ["conform", reference], deep, 0, env={"CI_NODE_INDEX": "2",
                                                        "CI_NODE_TOTAL": "2"})
    env_names = {s["name"] for s in report(os.path.join(deep, "s.json"))["scenarios"]}
    run(synchost, ["conform", reference], deep, 0)
    file_names = {s["name"] for s in report(os.path.join(deep, "s.json"))["scenarios"]}
    if not env_names or not file_names or env_names & file_names:
        problems.append("the shard variables did not win over the file's shard: %s and %s"
                        % (sorted(env_names), sorted(file_names)))

    # --config names another file; --no-config reads none.
    other = write(os.path.join(proj, "ci", "other.yaml"), "options:\n  level: required\n"
                  "  report-json: other.json\n  filter: '^on-demand$'\n")
    run(synchost, ["conform", reference, "--config", other], deep, 0,
        [r"^config: .*/ci/other\.yaml$"], absent=[r"rules skipped"])
    if report(os.path.join(deep, "other.json"))["level"] != "required":
        problems.append("--config's file did not apply")
    run(synchost, ["conform", reference, "--no-config", "--filter", "^on-demand$",
                   "--report-json", "none.json"], deep, 0, [r"^config: none \(--no-config\)$"])
    doc = report(os.path.join(deep, "none.json"))
    if doc["level"] != "recommended" or doc.get("skipped_rules") != []:
        problems.append("--no-config still read a file: %s, %s" % (doc["level"],
                                                                   doc.get("skipped_rules")))


def found_safely(synchost, tmp, reference):
    """Not above the repository root or $HOME; never a file others could
    have written; the header names the file or says none."""
    one = ["conform", reference, "--filter", "^on-demand$"]
    write(os.path.join(tmp, "synchost.yaml"), 'options:\n  exclude: ".*"\n')
    repo = os.path.join(tmp, "repo")
    os.makedirs(os.path.join(repo, ".git", "objects"))
    os.makedirs(os.path.join(repo, "src"))
    run(synchost, one, os.path.join(repo, "src"), 0,
        [r"^config: none$", r"^synchost: PASS, 1 scenario$"])
    # Outside a repository, $HOME is the ceiling: its parent's file is not read.
    home = os.path.join(tmp, "home")
    os.makedirs(os.path.join(home, "work"))
    run(synchost, one, os.path.join(home, "work"), 0,
        [r"^config: none$", r"^synchost: PASS, 1 scenario$"], env={"HOME": home})
    os.remove(os.path.join(tmp, "synchost.yaml"))
    write(os.path.join(home, "synchost.yaml"), "options:\n  level: pedantic\n")
    run(synchost, one, os.path.join(home, "work"), 0,
        [r"^config: .*/home/synchost\.yaml$", r"level pedantic"], env={"HOME": home})

    # A file others could have written is refused, saying why; named, it is used.
    conf = write(os.path.join(repo, "synchost.yaml"), "options:\n  level: pedantic\n", 0o646)
    run(synchost, ["list", "rules"], os.path.join(repo, "src"), 2,
        [r"synchost\.yaml: dubious ownership: others may write it \(owner "
         r"\S+, uid \d+; mode 0646\); not applied\..*--config"])
    if os.geteuid() == 0:
        # A group of others may not write it; the user's own private group
        # may (umask 002 makes every new file so).
        os.chmod(conf, 0o664)
        os.chown(conf, 0, 65534)
        run(synchost, ["list", "rules"], os.path.join(repo, "src"), 2,
            [r"dubious ownership: its group may write it, and others are in that group "
             r"\(owner \S+, uid 0; mode 0664\)"])
        os.chown(conf, 0, 0)
        run(synchost, ["list", "rules"], os.path.join(repo, "src"), 0)
        os.chmod(conf, 0o646)
    run(synchost, ["list", "rules", "--config", conf], os.path.join(repo, "src"), 0,
        [r"warning: .*synchost\.yaml: dubious ownership: .*used since it is named"])
    os.chmod(conf, 0o644)
    os.chmod(repo, 0o777)
    run(synchost, ["list", "rules"], os.path.join(repo, "src"), 2,
        [r"dubious ownership: others may write its folder \(and it has no sticky bit\)"])
    os.chmod(repo, 0o755)
    if os.geteuid() == 0:
        os.chown(conf, 65534, 65534)
        run(synchost, ["list", "rules"], os.path.join(repo, "src"), 2,
            [r"dubious ownership: it is owned by someone else \(owner \S+, uid 65534;"])
        os.chown(conf, 0, 0)
    run(synchost, ["list", "rules"], os.path.join(repo, "src"), 0)

    # Every value is checked before anything runs, at its file:line:col.
    cases = [
        ('options:\n  filter: "("\n', r"synchost\.yaml:2:11: options\.filter '\(': "),
        ("options:\n  junit: /nonexistent-folder/x.xml\n",
         r"synchost\.yaml:2:10: options\.junit /nonexistent-folder/x\.xml: cannot write there"),
        ("options:\n  report-json: a.json\n  tap: ./a.json\n",
         r"synchost\.yaml:2:16: options\.report-json and .*synchost\.yaml:3:8: options\.tap "
         r"name one file"),
        ("options:\n  baseline: nope.yaml\n",
         r"synchost\.yaml:2:13: options\.baseline: nope\.yaml: cannot read: No such file"),
        ('options:\n  exclude: ".*"\n',
         r"no scenario selected: exclude '\.\*' from .*synchost\.yaml:2:12 removed every one"),
    ]
    for text, pattern in cases:
        write(conf, text)
        run(synchost, ["conform", reference], os.path.join(repo, "src"), 2, [pattern],
            absent=[r"^(PASS|FAIL) "])


def main():
    a = options(parser(reference=None, defect="a provider that calls Done twice"), "wine")
    synchost = os.path.abspath(a.synchost)
    with tempfile.TemporaryDirectory() as tmp:
        mistakes(synchost, os.path.join(tmp, "bad"))
        found_safely(synchost, os.path.join(tmp, "safe"), os.path.abspath(a.reference))
        runs(synchost, os.path.join(tmp, "proj"), os.path.abspath(a.reference),
             os.path.abspath(a.defect))
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
