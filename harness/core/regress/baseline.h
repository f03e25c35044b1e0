/*
 * baseline.h: what a run is compared with under --baseline (docs/regression.md): known failures, flaky scenarios and skips, each
 * with a reason, read from a checked-in expectations file (YAML) or taken
 * from a previous JSON report; and the verdict of that comparison on each
 * scenario run.
 *
 * The expectations file is one YAML mapping with one key, `known`, a list of
 * entries:
 *
 *     known:
 *       - { scenario: cancel-on-second-progress, status: failed,
 *           rule: cancel-honored, reason: "bug 1234" }
 *
 * An entry takes scenario (required), file (optional: the scenario's file,
 * matched as report_file_matches() says), status (required: failed, crashed,
 * timed_out, flaky or skip), rule (optional, not with skip: a rule id that
 * `synchost list rules` knows, or an expect.* id), rules (optional, with
 * rule: `exact` or `may-change`, the default; see baseline_judge()) and
 * reason (required).
 * Unknown keys, duplicate keys, duplicate entries and a skip beside another
 * entry for the same scenario are errors, reported as file:line:col.
 *
 * A previous report as the baseline gives: for each run that failed, crashed
 * or timed out, a known failure with that status for each rule it violated
 * (or one with no rule); for a scenario that both passed and did not pass in
 * the report (a --repeat run), a flaky entry. Errored, interrupted and
 * skipped runs give nothing.
 *
 * Ownership: a struct baseline owns its entries and their strings;
 * judgements point into it. Single-threaded; no global state.
 */
#ifndef SYNCHOST_BASELINE_H
#define SYNCHOST_BASELINE_H

#include <stddef.h>

#include "rules/rules.h"

/* The largest expectations file: a list written by hand. A JSON report used
 * as a baseline may be up to REPORT_READ_MAX_SIZE (report_read.h). Both are
 * checked before the file is read. */
#define BASELINE_YAML_MAX_SIZE (4 * 1024 * 1024)

enum baseline_kind {
    BASELINE_KIND_FAILURE, /* fails, with `status` (and `rule`, when given) */
    BASELINE_KIND_FLAKY,   /* passes or fails (with `rule`, when given) */
    BASELINE_KIND_SKIP,    /* not run */
};

struct baseline_entry {
    char *scenario;
    char *file; /* or NULL: any file */
    char *rule; /* or NULL: any rule */
    char *reason;
    enum baseline_kind kind;
    enum scenario_status status; /* a failure's: failed, crashed or timed_out */
    unsigned line, col;          /* where it is written (1-based); 0 from a report */
    int exact;                   /* `rules: exact`: its scenario's rules match exactly */
};

struct baseline {
    char *path;
    int from_report; /* a previous JSON report, not an expectations file */
    int strict;      /* --baseline-strict: every entry is matched as `rules: exact` */
    struct baseline_entry *entries;
    size_t count, cap;
};

/* Loads path: a JSON report when its first character other than white
 * space is '{', else an expectations file. *b is zeroed first. Returns 0, or
 * -1 with "PATH:LINE:COL: why" (or "PATH: why") in err; nothing is kept then. */
int baseline_load_file(const char *path, struct baseline *b, char *err, size_t cap);

/* The same from len bytes of data; name stands for the file. */
int baseline_load_buffer(const char *name, const char *data, size_t len, struct baseline *b,
                         char *err, size_t cap);

void baseline_free(struct baseline *b);

/* The expectations file part of baseline_load_buffer() (baseline_yaml.c):
 * appends the entries of a YAML expectations file to b. Returns 0, or -1
 * with err set (entries it appended stay; the caller frees b). */
int baseline_load_yaml(const char *name, const char *data, size_t len, struct baseline *b,
                       char *err, size_t cap);

/* A new zeroed entry at the end of b, or NULL when out of memory. */
struct baseline_entry *baseline_add_entry(struct baseline *b);

/* The skip entry for this scenario, or NULL. */
const struct baseline_entry *baseline_skip(const struct baseline *b, const char *name,
                                           const char *file);

/* Is any entry about a scenario of this name (in this file)? */
int baseline_names(const struct baseline_entry *e, const char *name, const char *file);

enum baseline_verdict {
    BASELINE_NOT_JUDGED,    /* errored or interrupted: no verdict on the provider */
    BASELINE_PASSED,        /* passed, and no entry says otherwise */
    BASELINE_KNOWN_FAILURE, /* failed as an entry says */
    BASELINE_NEW_FAILURE,   /* failed, and no entry covers it */
    BASELINE_FIXED,         /* passed where an entry says it fails */
    BASELINE_FLAKY,         /* an entry says it may pass or fail */
    BASELINE_SKIPPED,       /* a skip entry kept it from running */
    BASELINE_VERDICT_COUNT
};

/* The most rules a judgement lists as changed each way; the counts go on. */
#define BASELINE_MAX_CHANGES 16

struct baseline_judgement {
    enum baseline_verdict verdict;
    const struct baseline_entry *entry; /* the entry that decided, or NULL */
    const char *uncovered_rule;         /* a new failure's violated rule no entry lists, or NULL */
    /* A known failure whose broken rules differ from those its entries name:
     * the rules it breaks that no entry names (now), and those the failure
     * entries of its status name that it no longer breaks (gone). Each
     * count may exceed BASELINE_MAX_CHANGES; the first are kept. They point
     * into the rules judged and into the baseline. */
    size_t now_count, gone_count;
    const char *now[BASELINE_MAX_CHANGES];
    const char *gone[BASELINE_MAX_CHANGES];
};

/* Judges one scenario run: its name and file, its status and the rules it
 * violated. A failure (failed, crashed, timed_out) is known when an entry of
 * the same scenario says so with the same status, or is flaky. Which rules
 * it breaks is compared with the rules the entries name:
 *
 *  - by default (`rules: may-change`), a failure with the status of a
 *    failure entry of its scenario is known whatever rules it breaks, as the
 *    rules a failing provider breaks after its first fault often depend on
 *    timing; a difference is listed in now and gone (a change, not a new
 *    failure);
 *  - with `rules: exact` on any failure entry of the scenario and status, or
 *    with b->strict, each violated rule must be named by an entry (a known
 *    failure that also breaks another rule is a new failure);
 *  - a flaky entry that names a rule covers that rule only, as a per-rule
 *    flake.
 *
 * Another status (a failure turned into a crash or a hang) is always a new
 * failure. A pass is fixed when a failure entry names the scenario and no
 * flaky one does. */
void baseline_judge(const struct baseline *b, const char *name, const char *file,
                    enum scenario_status status, const char *const *rules, size_t rule_count,
                    struct baseline_judgement *out);

/* "known-failure", "new-failure", ... (docs/regression.md). */
const char *baseline_verdict_name(enum baseline_verdict v);

/* Does this verdict fail the run? New failures and fixed ones do. */
int baseline_verdict_fails(enum baseline_verdict v);

/* Why, in words, for the console and the report: the entry's reason with
 * where it is written, or what about a new failure no entry covers. Returns
 * buf. */
const char *baseline_explain(const struct baseline *b, const struct baseline_judgement *j,
                             enum scenario_status status, char *buf, size_t cap);

/* Did the rules a known failure breaks change (baseline_judge's now and
 * gone)? */
int baseline_changed(const struct baseline_judgement *j);

/* "now breaks X, Y, no longer Z" (and "and N more"), or "" when nothing
 * changed. Returns buf. */
const char *baseline_describe_change(const struct baseline_judgement *j, char *buf, size_t cap);

#endif /* SYNCHOST_BASELINE_H */
