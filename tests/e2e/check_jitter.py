#!/usr/bin/env python3
"""Checks host.jitter_ms under --seed (docs/scenarios.md): a timing-dependent
defect fails under some seeds and passes under others, and each seed replays
its verdict. Runs SCENARIO on PROVIDER with seeds 1 to N, then each of a
failing and a passing seed again. Exits 0, 1 with the reasons, 77 (skip) when
Wine is missing, outside CI (needs.py).

Usage: check_jitter.py SYNCHOST PROVIDER SCENARIO [SEEDS]"""
import subprocess
import sys

from needs import missing


def verdict(synchost, provider, scenario, seed):
    cmd = [synchost, "run", "--provider", provider, scenario, "--seed", str(seed),
           "--timeout-ms", "1500", "--quiet"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=120)
    print("$ %s\n%s" % (" ".join(cmd), proc.stdout.strip()))
    return proc.returncode


def main():
    synchost, provider, scenario = sys.argv[1:4]
    seeds = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    skip = missing("wine")
    if skip is not None:
        return skip
    seen = {seed: verdict(synchost, provider, scenario, seed) for seed in range(1, seeds + 1)}
    problems = []
    odd = {s: rc for s, rc in seen.items() if rc not in (0, 1)}
    if odd:
        problems.append("runs that neither passed nor failed: %s" % odd)
    failing = [s for s, rc in seen.items() if rc == 1]
    passing = [s for s, rc in seen.items() if rc == 0]
    if not failing or not passing:
        problems.append("seeds 1 to %d: %d failed, %d passed; the jitter should give both"
                        % (seeds, len(failing), len(passing)))
    for seed in failing[:1] + passing[:1]:
        again = verdict(synchost, provider, scenario, seed)
        if again != seen[seed]:
            problems.append("seed %d exited %d, then %d: the seed does not replay its delays"
                            % (seed, seen[seed], again))
    for problem in problems:
        print("FAIL: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
