/*
 * regress.h: the regression workflow of a run (docs/regression.md): --baseline (known failures, flakes and skips), --rerun-failed
 * (only what did not pass in a previous report), --seed (the order) and
 * --repeat's pass rates. cli.c parses the options; this module loads the
 * files, selects, orders, judges each run against the baseline and says what
 * it found on the console. Single-threaded (the loop thread).
 *
 * Use: regress_init, regress_load (before selection), regress_selects (in
 * it), regress_start (after the console's header; gives how many results to
 * run: skipped ones are moved to the end), runner on_result =
 * regress_on_result with ctx = the struct regress, regress_finish (after the
 * console's summary, before the reports are written), regress_exit_status,
 * regress_free.
 */
#ifndef SYNCHOST_REGRESS_H
#define SYNCHOST_REGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "regress/baseline.h"
#include "console.h"
#include "regress/report_read.h"
#include "report/result.h"

struct regress {
    const char *baseline_path; /* --baseline, or NULL */
    const char *rerun_path;    /* --rerun-failed, or NULL */
    int baseline_strict;       /* --baseline-strict: set after regress_init */
    int has_seed;
    uint64_t seed;
    unsigned repeat;
    struct baseline baseline;
    int has_baseline;
    struct report_doc rerun;
    int has_rerun;
    /* The runs of rerun that want a rerun, sorted by name and file (each
     * pair once), so that selecting among many scenarios is n log n. */
    const struct report_run **wanted;
    size_t wanted_count;
    struct console *con;
    struct scenario_result *results; /* regress_start's */
    size_t count;
    struct baseline_judgement *judged; /* one per result, with a baseline */
};

void regress_init(struct regress *rg, const char *baseline_path, const char *rerun_path,
                  int has_seed, uint64_t seed, unsigned repeat);

/* Reads the baseline and the report to rerun, and warns about entries that
 * name no scenario of list. Returns 0, or 2 (bad input, said on stderr) or 3
 * (out of memory). */
int regress_load(struct regress *rg, const struct scenario_list *list);

/* Does --rerun-failed keep this scenario (always, without it)? */
int regress_selects(const struct regress *rg, const struct scenario *sc);

/* Orders results (the --seed shuffle), marks those the baseline skips and
 * moves them to the end, prints them, and fills in report's regression
 * fields. Returns how many results, from the first, are to run, or
 * (size_t)-1 when out of memory. */
size_t regress_start(struct regress *rg, struct console *con, struct run_report *report);

/* A runner on_result callback (ctx: the struct regress): the console's
 * line, then the baseline's verdict on it. */
void regress_on_result(const struct scenario_result *res, void *ctx);

/* A runner on_event callback (ctx: the struct regress): the console's. */
void regress_on_event(const struct scenario_result *res, const struct event *ev, void *ctx);

/* Judges every result, then prints the baseline's counts, the new failures
 * and fixed ones, and the pass rates below 100%. */
void regress_finish(struct regress *rg, const struct run_report *report);

/* With a baseline, the run's 0 or 1 becomes 1 only for new failures and
 * fixed ones; every other status (2, 3, 130) is left as it is. */
int regress_exit_status(const struct regress *rg, int rc);

/* How many runs of the --rerun-failed report did not pass (0 without it). */
size_t regress_rerun_failures(const struct regress *rg);

void regress_free(struct regress *rg);

#endif /* SYNCHOST_REGRESS_H */
