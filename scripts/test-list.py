#!/usr/bin/env python3
"""Writes the list of a cmocka test file's tests, so that a test written is
a test run (no list to keep beside the functions):

    test-list.py TEST.c OUTPUT.h

A test is a function defined as `static void test_NAME(void **state)` at
the start of a line; the list holds them in the file's order, as the macro
TEST_LIST, each with the fixture the file (or a header it includes from its
own folder) defines as `static int setup(void **state)` and
`static int teardown(void **state)`, either or both.
The test file's main() walks it:

    #include "test_NAME.tests.h"

    int main(void)
    {
        const struct CMUnitTest tests[] = {TEST_LIST};

        return cmocka_run_group_tests(tests, NULL, NULL);
    }

A file with no test gets a header that stops its build, should it include
it."""
import os
import re
import sys

TEST = re.compile(r"^static void (test_\w+)\(void \*\*\w+\)\s*$", re.M)
FIXTURE = r"^static int %s\(void \*\*\w+\)\s*$"


def main():
    source, output = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        text = f.read()
    name = os.path.basename(source)
    tests = TEST.findall(text)
    # A test written otherwise (its return type on a line of its own, not
    # static) would be left out without a word: refuse the file instead.
    odd = sorted(set(re.findall(r"\b(test_\w+)\(void \*\*\w+\)", text)) - set(tests))
    if odd:
        sys.exit("%s: %s take(s) void **state but not as `static void test_NAME(void **state)` "
                 "at the start of a line, so the test list would leave them out"
                 % (source, ", ".join(odd)))
    seen = text
    for header in re.findall(r'^#include "(\w+\.h)"', text, re.M):
        path = os.path.join(os.path.dirname(source), header)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                seen += f.read()
    setup, teardown = (re.search(FIXTURE % n, seen, re.M) for n in ("setup", "teardown"))
    lines = ["/* Written by scripts/test-list.py from %s: its tests, in its order. */" % name]
    if not tests:
        lines.append('#error "%s defines no static void test_NAME(void **state)"' % name)
    else:
        lines.append("#define TEST_LIST \\")
        for t in tests:
            if setup and teardown:
                entry = "cmocka_unit_test_setup_teardown(%s, setup, teardown)" % t
            elif setup or teardown:
                which = "setup" if setup else "teardown"
                entry = "cmocka_unit_test_%s(%s, %s)" % (which, t, which)
            else:
                entry = "cmocka_unit_test(%s)" % t
            lines.append("    %s, \\" % entry)
        lines[-1] = lines[-1][:-3]
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
