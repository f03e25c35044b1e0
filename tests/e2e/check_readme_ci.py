#!/usr/bin/env python3
"""The CI jobs of docs/ci.md are what they claim: each is valid YAML,
runs `synchost conform` with --junit, and publishes that very file as its
JUnit report, even when the run failed; and their synchost command line,
run here on the reference provider, passes and writes that report. Exits 0
when everything holds, 1 with the reasons, 77 when Wine or PyYAML is
missing outside CI (needs.py)."""
import os
import re
import shlex
import subprocess
import sys
import tempfile

from needs import finish, options, parser

problems = []


def ci_blocks(page):
    with open(page, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("# CI\n"):
        problems.append("%s is not the CI page (no '# CI' title)" % page)
        return []
    return re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)


def conform_line(commands, job):
    lines = [c for c in commands if isinstance(c, str) and "synchost conform" in c]
    if len(lines) != 1:
        problems.append("%s: %d commands run synchost conform, expected 1" % (job, len(lines)))
        return None, None
    args = shlex.split(lines[0])
    junit = args[args.index("--junit") + 1] if "--junit" in args else None
    if junit is None:
        problems.append("%s: synchost conform has no --junit" % job)
    return args, junit


def check_github(doc):
    steps = doc["jobs"]["conform"]["steps"]
    args, junit = conform_line([s.get("run") for s in steps], "GitHub job")
    publish = [s for s in steps if "junit" in s.get("uses", "")]
    if len(publish) != 1:
        problems.append("GitHub job: %d steps publish a JUnit report" % len(publish))
    else:
        if publish[0].get("with", {}).get("report_paths") != junit:
            problems.append("GitHub job publishes %r, not conform's --junit %r"
                            % (publish[0].get("with"), junit))
        if publish[0].get("if") != "always()":
            problems.append("GitHub job: the report is not published when conform fails")
    return args


def check_gitlab(doc):
    job = doc["synchost"]
    args, junit = conform_line(job["script"], "GitLab job")
    artifacts = job.get("artifacts", {})
    if artifacts.get("reports", {}).get("junit") != junit:
        problems.append("GitLab job publishes %r, not conform's --junit %r"
                        % (artifacts.get("reports"), junit))
    if artifacts.get("when") != "always":
        problems.append("GitLab job: the report is not kept when conform fails")
    return args


def run_line(synchost, reference, args, name):
    """The job's own command line on the reference provider, in a fresh folder."""
    if args is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [synchost] + [reference if a.endswith(".dll") else a for a in args[1:]]
        print("$ " + " ".join(cmd))
        proc = subprocess.run(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=600)
        print(proc.stdout)
        if proc.returncode != 0:
            problems.append("%s: its synchost command exits %d on the reference provider"
                            % (name, proc.returncode))
        junit = args[args.index("--junit") + 1]
        path = os.path.join(tmp, junit)
        if not os.path.isfile(path) or "<testsuites" not in open(path, encoding="utf-8").read():
            problems.append("%s: no JUnit report at %s" % (name, junit))


def main():
    a = options(parser(reference=None, page="docs/ci.md"), "wine")
    try:
        import yaml
    except ImportError:
        if os.environ.get("CI") == "true":
            print("FAIL: PyYAML (python3-yaml) not installed (scripts/bootstrap installs it)")
            return 1
        print("SKIP: PyYAML (python3-yaml) not installed (scripts/bootstrap installs it)")
        return 77
    blocks = ci_blocks(a.page)
    docs = []
    for b in blocks:
        try:
            docs.append(yaml.safe_load(b))
        except yaml.YAMLError as e:
            problems.append("a CI block is not valid YAML: %s" % e)
    github = [d for d in docs if isinstance(d, dict) and "jobs" in d]
    gitlab = [d for d in docs if isinstance(d, dict) and "synchost" in d]
    if len(github) != 1 or len(gitlab) != 1:
        problems.append("the CI page holds %d GitHub and %d GitLab jobs, not one each"
                        % (len(github), len(gitlab)))
    else:
        synchost, reference = os.path.abspath(a.synchost), os.path.abspath(a.reference)
        run_line(synchost, reference, check_github(github[0]), "GitHub job")
        run_line(synchost, reference, check_gitlab(gitlab[0]), "GitLab job")
    return finish(problems)


if __name__ == "__main__":
    sys.exit(main())
