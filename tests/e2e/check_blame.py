#!/usr/bin/env python3
"""Runs one provider in a pool (-j 1, so that every scenario follows
another in the same worker) and with --isolate process, and checks that
each scenario is flagged with the same rules either way: a call the provider
makes late, on an earlier scenario's callback or thread, is judged in that
scenario and never in the one the worker runs next. Exits 0 when that
holds and the expected rule was flagged at all, 1 otherwise, 77 (skip) when
Wine is missing (needs.py).

    check_blame.py SYNCHOST DLL RULE [SYNCHOST ARGS...]
"""
import json
import os
import subprocess
import sys
import tempfile

from needs import missing


def run(synchost, dll, extra, mode, tmp):
    report = os.path.join(tmp, mode + ".json")
    cmd = [synchost, "conform", dll, "--report-json", report] + extra
    cmd += ["-j", "1"] if mode == "pool" else ["--isolate", "process"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=900)
    print("$ " + " ".join(cmd) + "\n" + proc.stdout)
    with open(report, encoding="utf-8") as f:
        doc = json.load(f)
    return proc.returncode, doc["scenarios"]


def rules_of(scenarios):
    return {sc["name"]: sorted({v["rule"] for v in sc["violations"]}) for sc in scenarios}


def late_in(sc, late_text):
    """The sequence numbers of the late Progress calls recorded in sc."""
    return {e.get("seq") for e in sc.get("events", [])
            if late_text is not None and e.get("kind") == "progress" and e.get("text") == late_text}


def rules_at_late(sc, late_text):
    """The rules sc breaks at a late Progress of its own: judged where it
    belongs, however late it came."""
    seqs = late_in(sc, late_text)
    return {v["rule"] for v in sc["violations"] if v.get("event") in seqs}


def kept_problems(scenarios, rule, late_text):
    """In the pool's run order: a scenario flagged rule is its worker's last,
    and a late Progress lands only in a scenario flagged rule."""
    problems = []
    for i, sc in enumerate(scenarios):
        flagged = rule in {v["rule"] for v in sc["violations"]}
        after = scenarios[i + 1] if i + 1 < len(scenarios) else None
        # A late call that came while its own scenario still ran (a slow
        # machine makes a scenario outlast the provider's delay) ended the
        # keeping there: the worker had nothing left to retire for.
        if flagged and not late_in(sc, late_text) and after is not None and \
                after.get("worker_ordinal", 1) != 1:
            problems.append("%s kept what the host handed it, yet %s ran after it in the same "
                            "worker (ordinal %d)" % (sc["name"], after["name"],
                                                     after["worker_ordinal"]))
        late = [e for e in sc.get("events", [])
                if e.get("kind") == "progress" and e.get("text") == late_text]
        if late_text is not None and late and not flagged:
            problems.append("%s: a late Progress \"%s\" was recorded in it, yet it kept no "
                            "callback (%s not flagged): it came from another scenario"
                            % (sc["name"], late_text, rule))
    return problems


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    rc = missing("wine")
    if rc is not None:
        return rc
    synchost, dll, rule, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    kept, late_text = False, None
    if extra[:1] == ["--kept"]:
        kept, extra = True, extra[1:]
        if extra[:1] == ["--late-text"] and len(extra) >= 2:
            late_text, extra = extra[1], extra[2:]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        pool_rc, pool_scs = run(synchost, dll, extra, "pool", tmp)
        proc_rc, proc_scs = run(synchost, dll, extra, "process", tmp)
    pool, proc = rules_of(pool_scs), rules_of(proc_scs)
    if kept:
        problems += kept_problems(pool_scs, rule, late_text)
    for name, rc in (("pool", pool_rc), ("process", proc_rc)):
        if rc != 1:
            problems.append("the %s run exited %d, expected 1" % (name, rc))
    flagged = sorted(n for n, rules in proc.items() if rule in rules)
    if not flagged:
        problems.append("no scenario was flagged %s under --isolate process" % rule)
    # Blame is where a verdict lands: the rule under test in the same
    # scenarios, and the same scenarios flagged at all. Which further rules a
    # flagged scenario breaks may vary with timing (in logoff-mid-sync, the
    # logoff races the provider's last Release: callback-refcount or not),
    # so only rules the process run shows somewhere are allowed.
    # A late call that lands in its own scenario, while that scenario still
    # runs, is judged there (done-last) in either mode, as timing has it.
    known = set().union(*proc.values()) if proc else set()
    at_late = {}
    for sc in pool_scs + proc_scs:
        at_late.setdefault(sc["name"], set()).update(rules_at_late(sc, late_text))
    for name in sorted(set(pool) | set(proc)):
        a = set(pool.get(name) or ()) - at_late.get(name, set())
        b = set(proc.get(name) or ()) - at_late.get(name, set())
        if (rule in a) != (rule in b) or bool(a) != bool(b) or not a <= known:
            problems.append("%s: %s in the pool, %s under --isolate process"
                            % (name, pool.get(name), proc.get(name)))
    for p in problems:
        print("FAIL: " + p)
    if not problems:
        print("ok: %d scenario(s) flagged %s, the same in the pool and alone"
              % (len(flagged), rule))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
