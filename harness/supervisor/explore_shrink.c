/*
 * explore_shrink.c: shrinking (explore.h, docs/explore.md). A failure's
 * case is replaced by the first of its candidates (scenario_shrink.h) that
 * still breaks the same rule on every one of EXPLORE_CONFIRM_RUNS runs, and
 * again from there, until no candidate does or the runs are spent. A
 * candidate that fails only sometimes is a flake and is not taken, so that
 * the file written fails every time `synchost run` runs it; a minimal case
 * that then fails less than every time gives way to the one before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "scenario/scenario_shrink.h"

#define CANDIDATES_MAX 128

/* Candidates run at once (each EXPLORE_CONFIRM_RUNS times): about the pool's
 * size, so that a round of the shrink fills the workers. */
static size_t group_size(const struct explore *ex)
{
    size_t g = ex->ro.jobs / 2;

    return g < 2 ? 2 : g > 8 ? 8 : g;
}

/* How many of the runs of case i broke rule. */
static unsigned failing_runs(const struct explore_outcome *out, size_t i, const char *rule)
{
    unsigned n = 0;

    for (unsigned k = 0; k < EXPLORE_CONFIRM_RUNS; k++) {
        n += explore_outcome_has(&out[i * EXPLORE_CONFIRM_RUNS + k], rule);
    }
    return n;
}

/* One step: the first candidate of cands[0..n) that fails every run, into
 * *taken. Returns 1 when one did, 0 when none did, or an exit status < 0
 * negated. */
static int shrink_step(struct explore *ex, struct explore_failure *f, const struct gen_case *cands,
                       size_t n, struct explore_outcome *out)
{
    size_t g = group_size(ex);
    int rc;

    for (size_t k = 0; k < n && f->shrink_runs < EXPLORE_SHRINK_RUNS_MAX; k += g) {
        size_t m = n - k < g ? n - k : g;
        if ((rc = explore_run_cases(ex, &cands[k], m, EXPLORE_CONFIRM_RUNS, out)) != 0) {
            return -rc;
        }
        f->shrink_runs += (unsigned)(m * EXPLORE_CONFIRM_RUNS);
        ex->shrink_runs += (unsigned)(m * EXPLORE_CONFIRM_RUNS);
        if (ex->interrupted) {
            return 0;
        }
        for (size_t i = 0; i < m; i++) {
            if (failing_runs(out, i, f->rule) == EXPLORE_CONFIRM_RUNS) {
                f->minimal = cands[k + i];
                f->shrink_steps++;
                return 1;
            }
        }
    }
    return 0;
}

/* Runs the minimal case EXPLORE_CONFIRM_RUNS times: f->confirmed. */
static int confirm(struct explore *ex, struct explore_failure *f, struct explore_outcome *out)
{
    int rc = explore_run_cases(ex, &f->minimal, 1, EXPLORE_CONFIRM_RUNS, out);

    if (rc == 0) {
        f->confirmed = failing_runs(out, 0, f->rule);
        f->shrink_runs += EXPLORE_CONFIRM_RUNS;
        ex->shrink_runs += EXPLORE_CONFIRM_RUNS;
    }
    return rc;
}

/* The cases taken on the way down, for stepping back from a minimal case
 * that fails less often than it did when it was taken (a flake after all,
 * or the machine's load changed). */
#define HISTORY_MAX 64

static int shrink_one(struct explore *ex, struct explore_failure *f, struct gen_case *cands,
                      struct explore_outcome *out)
{
    static struct gen_case history[HISTORY_MAX];
    size_t depth = 0;
    int step, rc = 0;

    f->minimal = f->found;
    do {
        struct gen_case before = f->minimal;
        size_t n = gen_shrink_candidates(&f->minimal, cands, CANDIDATES_MAX);
        step = n > 0 ? shrink_step(ex, f, cands, n, out) : 0;
        if (step < 0) {
            return -step;
        }
        if (step == 1 && depth < HISTORY_MAX) {
            history[depth++] = before;
        }
    } while (step == 1 && f->shrink_runs < EXPLORE_SHRINK_RUNS_MAX && !ex->interrupted);
    while (!ex->interrupted && (rc = confirm(ex, f, out)) == 0 &&
           f->confirmed < EXPLORE_CONFIRM_RUNS && depth > 0) {
        f->minimal = history[--depth];
    }
    return ex->interrupted ? 0 : rc;
}

int explore_shrink_all(struct explore *ex)
{
    struct gen_case *cands = calloc(CANDIDATES_MAX, sizeof *cands);
    struct explore_outcome *out = calloc(CANDIDATES_MAX * EXPLORE_CONFIRM_RUNS, sizeof *out);
    int rc = cands == NULL || out == NULL ? EXIT_HARNESS : 0;

    for (size_t i = 0; rc == 0 && i < ex->failure_count && !ex->interrupted; i++) {
        struct explore_failure *f = &ex->failures[i];
        fprintf(ex->con, "shrink  %-24s from %u keys ...", f->rule, gen_case_keys(&f->found));
        fflush(ex->con);
        rc = shrink_one(ex, f, cands, out);
        fprintf(ex->con, " %u keys, %u runs\n", gen_case_keys(&f->minimal), f->shrink_runs);
        fflush(ex->con);
    }
    free(cands);
    free(out);
    return rc;
}
