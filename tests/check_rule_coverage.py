#!/usr/bin/env python3
"""Every rule lives in one place (harness/core/rules/rules.def); this checks what
derives from it. Given synchost and every provider the e2e suite runs as a
defect (each named with the rule its e2e test requires it to trip):

- every rule `synchost list rules` shows as enforced has at least one defect
  provider, and so an e2e test proving the rule fires;
- every defect names an enforced rule (none for a planned or unknown one);
- CONTRACT.md has a section for every rule, saying "Proved by" for an enforced
  one and "planned" for a planned one;
- README.md does not repeat the rule list (no table row or list item per rule).

Usage: check_rule_coverage.py SYNCHOST CONTRACT.md README.md [--defect NAME=RULE]...
"""
import re
import subprocess
import sys


def main():
    synchost, contract, readme = sys.argv[1:4]
    defects = []
    args = sys.argv[4:]
    for i in range(0, len(args), 2):
        if args[i] != "--defect" or i + 1 >= len(args) or "=" not in args[i + 1]:
            print("usage: check_rule_coverage.py SYNCHOST CONTRACT README [--defect NAME=RULE]...")
            return 2
        defects.append(tuple(args[i + 1].split("=", 1)))
    out = subprocess.run([synchost, "list", "rules"], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    status = {m.group(1): m.group(2)
              for m in re.finditer(r"^(\S+)\s+\w+\s+(enforced|planned)\s", out, re.M)}
    problems = []
    if len(status) < 40:
        problems.append("list rules shows only %d rules" % len(status))
    proved = {}
    for name, rule in defects:
        proved.setdefault(rule, []).append(name)
        if status.get(rule) != "enforced":
            problems.append("defect %s names %s, which is %s" % (name, rule,
                                                                 status.get(rule, "no rule")))
    for rule, st in sorted(status.items()):
        if st == "enforced" and rule not in proved:
            problems.append("enforced rule %s has no defect provider (no e2e test flags it)"
                            % rule)
    with open(contract, encoding="utf-8") as f:
        text = f.read()
    sections = re.split(r"^\*\*`([a-z0-9-]+)`\*\*", text, flags=re.M)
    bodies = {sections[i]: sections[i + 1].split("\n\n")[0] for i in range(1, len(sections), 2)}
    for rule, st in sorted(status.items()):
        body = bodies.get(rule)
        if body is None:
            problems.append("CONTRACT.md has no section **`%s`**" % rule)
        elif st == "planned" and "planned" not in body:
            problems.append("CONTRACT.md's section on %s does not say it is planned" % rule)
        elif st == "enforced" and "planned" in body.split(".")[0]:
            problems.append("CONTRACT.md's section on %s still calls it planned" % rule)
    for rule, names in sorted(proved.items()):
        body = " ".join(text[text.find("**`%s`**" % rule):].split("\n\n")[:3])
        if "Proved by" not in body:
            problems.append("CONTRACT.md's section on %s names no defect (Proved by)" % rule)
    with open(readme, encoding="utf-8") as f:
        readme_text = f.read()
    listed = sorted(r for r in status
                    if re.search(r"^\s*(\||-|\*) *`%s`" % re.escape(r), readme_text, re.M))
    if listed:
        problems.append("README.md lists rules as CONTRACT.md does (%s): it must point at "
                        "CONTRACT.md and `synchost list rules` instead" % ", ".join(listed))
    for p in problems:
        print("FAIL: " + p)
    print("%d rules (%d enforced), %d defect providers" %
          (len(status), sum(1 for s in status.values() if s == "enforced"), len(defects)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
