#!/usr/bin/env python3
"""`--report-json -` writes the report alone on stdout (the console goes to
stderr), so it can be piped straight into a JSON tool."""
import json
import subprocess
import sys


def main():
    synchost, dll = sys.argv[1], sys.argv[2]
    proc = subprocess.run([synchost, "conform", dll, "--filter", "^on-demand$",
                           "--report-json", "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=300)
    try:
        doc = json.loads(proc.stdout)
    except ValueError as e:
        print("FAIL: stdout is not one JSON document (%s):\n%s" % (e, proc.stdout))
        return 1
    if proc.returncode != 0 or doc["summary"]["passed"] != 1:
        print("FAIL: exit %d, summary %s" % (proc.returncode, doc["summary"]))
        return 1
    if "PASS" not in proc.stderr:
        print("FAIL: the console lines are not on stderr:\n" + proc.stderr)
        return 1
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
