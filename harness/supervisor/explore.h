/*
 * explore.h: `synchost explore PROVIDER.dll` (docs/explore.md). Makes
 * scenarios with the generator (harness/core/scenario/scenario_gen.h) from --seed,
 * runs them in the worker pool (runner.h) through the scenario loader, as
 * `synchost run` runs a file, for a budget (--budget: a time such as 60s
 * or 2m, or a number of scenarios); every failure is keyed by its rule and
 * its message's shape; each distinct one is shrunk (explore_shrink.c) and
 * written as a scenario file (explore_report.c).
 *
 * The three files share struct explore. Single-threaded (the libuv loop
 * runs inside runner_run). Functions return 0 or an exit status (cli.h),
 * said on stderr.
 */
#ifndef SYNCHOST_EXPLORE_H
#define SYNCHOST_EXPLORE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "rules/rules.h"
#include "runner.h"
#include "scenario/scenario_gen.h"

#define EXPLORE_DEFAULT_BUDGET_MS 60000u
#define EXPLORE_DEFAULT_OUT       "explore-out"
#define EXPLORE_RULES_MAX         8   /* rules kept per run */
#define EXPLORE_CONFIRM_RUNS      3   /* runs of each shrink candidate */
#define EXPLORE_SHRINK_RUNS_MAX   240 /* runs one shrink may take */
#define EXPLORE_FAILURES_MAX      32  /* distinct failures kept (more are counted) */

/* What one run of a case came to. */
struct explore_outcome {
    enum scenario_status status;
    int harness_failure; /* errored for the machine's or the harness's reasons */
    int unjudged;        /* a deadline missed while the host's own delays used it up */
    char rules[EXPLORE_RULES_MAX][64]; /* the rules it broke, in the judge's order */
    size_t rule_count;
    char message[512]; /* the first violation's, or the note */
};

/* One distinct failure: its rule, the shape of its message, the case that
 * found it and what shrinking made of it. */
struct explore_failure {
    char rule[64];
    char shape[256];
    enum scenario_status status;
    char message[512];
    uint64_t found_index; /* the generated scenario that found it (0-based) */
    unsigned hits;        /* generated scenarios that failed this way */
    struct gen_case found, minimal;
    unsigned shrink_runs, shrink_steps;
    unsigned confirmed;  /* of EXPLORE_CONFIRM_RUNS final runs of the minimal one, failing */
    char file[PATH_MAX]; /* the scenario file written, or "" */
};

struct explore {
    const struct cli *c;
    const char *provider;
    const char *out_dir;
    uint64_t seed;
    uint64_t budget_ms;    /* 0: a count budget */
    uint64_t budget_count; /* 0: a time budget */
    struct runner_options ro;
    char worker64[PATH_MAX], worker32[PATH_MAX];
    uint64_t t0_ns;
    uint64_t tried;       /* generated scenarios run */
    uint64_t errored;     /* of them, errored (not a provider verdict) */
    uint64_t unjudged;    /* of them, missed a deadline the host's delays spent */
    uint64_t digest;      /* FNV-1a of every generated scenario's text */
    uint64_t dropped;     /* distinct failures past EXPLORE_FAILURES_MAX */
    unsigned shrink_runs; /* every shrink's runs */
    int interrupted;
    FILE *con; /* the console: stdout, or stderr when the report goes to stdout */
    struct explore_failure failures[EXPLORE_FAILURES_MAX];
    size_t failure_count;
};

/* The command. *verdict_printed is set once its last line is printed. */
int explore_command(const struct cli *c, const char *provider, int *verdict_printed);

/* Runs each of cases[0..n) `times` times, at once in the pool; out gets
 * n * times outcomes, case i's k-th run at i * times + k. Returns 0, or an
 * exit status (the run could not start). */
int explore_run_cases(struct explore *ex, const struct gen_case *cases, size_t n, unsigned times,
                      struct explore_outcome *out);

/* Did the outcome break rule? */
int explore_outcome_has(const struct explore_outcome *o, const char *rule);

/* Shrinks each failure (explore_shrink.c). */
int explore_shrink_all(struct explore *ex);

/* The shape of a message: every number as N, for telling failures apart. */
void explore_shape(const char *message, char *out, size_t cap);

/* Writes each failure's minimal case as a scenario file under out_dir,
 * never replacing a file synchost did not write (explore_report.c).
 * Returns 0 or EXIT_HARNESS. */
int explore_write_files(struct explore *ex);

/* The JSON report at path (--report-json). Returns 0 or -1 (errno). */
int explore_write_json(const struct explore *ex, const char *path);

#endif /* SYNCHOST_EXPLORE_H */
