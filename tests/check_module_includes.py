#!/usr/bin/env python3
"""The modules of harness/core (its folders) form a graph without cycles.

A module is a folder of harness/core; its tests/ folder is not part of it
(a module's tests may use any module). Module A depends on module B when a
file of A includes "B/name.h". This checks that:

- no two modules include each other, and no longer cycle exists either;
- every include of a header of harness/core names its module
  ("protocol/event.h"), or is a header beside the including file;
- the order of subdir() calls in harness/core/meson.build lists every
  module after the modules it depends on.

Prints the graph, then "ok" or each problem (file and line). Exits 0 or 1.

Usage: check_module_includes.py HARNESS_CORE_DIR
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main():
    if len(sys.argv) != 2:
        print("usage: check_module_includes.py HARNESS_CORE_DIR")
        return 2
    core = sys.argv[1]
    modules = sorted(d for d in os.listdir(core) if os.path.isdir(os.path.join(core, d)))
    problems = []
    deps = {m: {} for m in modules}  # module -> {dependency: first file:line}
    for m in modules:
        for root, dirs, files in os.walk(os.path.join(core, m)):
            dirs[:] = [d for d in dirs if d != "tests"]
            for name in sorted(files):
                if not name.endswith((".c", ".h", ".def")):
                    continue
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for match in INCLUDE.finditer(text):
                    target = match.group(1)
                    where = "%s:%d" % (os.path.relpath(path, core),
                                       text.count("\n", 0, match.start()) + 1)
                    first = target.split("/", 1)[0]
                    if "/" in target and first in deps:
                        if first != m:
                            deps[m].setdefault(first, where)
                    elif not os.path.exists(os.path.join(root, target)) and \
                            any(os.path.exists(os.path.join(core, d, target)) for d in modules):
                        problems.append('%s: include "%s" without its module' % (where, target))
    for a in modules:
        for b in deps[a]:
            if a < b and a in deps[b]:
                problems.append("%s and %s include each other (%s, %s)"
                                % (a, b, deps[a][b], deps[b][a]))
    # Any cycle, however long: a depth-first walk meets a module on its path.
    state = {}

    def walk(m, path):
        state[m] = "open"
        for d in sorted(deps[m]):
            if state.get(d) == "open":
                cycle = path[path.index(d):] + [d]
                if len(cycle) > 3:
                    problems.append("cycle: " + " -> ".join(cycle))
            elif d not in state:
                walk(d, path + [d])
        state[m] = "done"

    for m in modules:
        if m not in state:
            walk(m, [m])
    with open(os.path.join(core, "meson.build"), encoding="utf-8") as f:
        order = re.findall(r"^subdir\('([a-z_]+)'\)", f.read(), re.M)
    for m in modules:
        if m not in order:
            problems.append("%s is not a subdir() of harness/core/meson.build" % m)
            continue
        for d in deps[m]:
            if d in order and order.index(d) > order.index(m):
                problems.append("%s uses %s (%s), which meson.build lists after it"
                                % (m, d, deps[m][d]))
    for m in order:
        print("%-9s -> %s" % (m, " ".join(sorted(deps.get(m, {}))) or "-"))
    for p in problems:
        print("not ok: " + p)
    if not problems:
        print("ok: %d modules, no two-way include, no cycle" % len(modules))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
