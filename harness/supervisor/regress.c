/*
 * regress.c: the regression workflow of a run (see regress.h).
 */
#include "regress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console_run.h"
#include "report/passrate.h"
#include "regress/shuffle.h"

#define EXIT_BAD_INPUT 2
#define EXIT_HARNESS   3

/* Lines listed at the end for each kind before "... and N more". */
#define MAX_LISTED 50

/* Warnings of one kind about the files (entries or runs that name no
 * scenario loaded) before "... and N more": a report of a large suite read
 * against a small one must not bury the run under them. */
#define MAX_WARNED 20

void regress_init(struct regress *rg, const char *baseline_path, const char *rerun_path,
                  int has_seed, uint64_t seed, unsigned repeat)
{
    memset(rg, 0, sizeof *rg);
    rg->baseline_path = baseline_path;
    rg->rerun_path = rerun_path;
    rg->has_seed = has_seed;
    rg->seed = seed;
    rg->repeat = repeat;
}

void regress_free(struct regress *rg)
{
    if (rg->has_baseline) {
        baseline_free(&rg->baseline);
    }
    if (rg->has_rerun) {
        report_doc_free(&rg->rerun);
    }
    free(rg->judged);
    rg->judged = NULL;
    free(rg->wanted);
    rg->wanted = NULL;
    rg->wanted_count = 0;
    rg->has_baseline = rg->has_rerun = 0;
}

/* What --rerun-failed reruns: what did not pass and was not skipped. */
static int wants_rerun(enum scenario_status s)
{
    return s != STATUS_PASSED && s != STATUS_SKIPPED;
}

/* Names are looked up in arrays sorted once, by binary search: a report or
 * a suite of many scenarios costs n log n, not n squared. */
static int cmp_scenario(const void *pa, const void *pb)
{
    const struct scenario *a = *(const struct scenario *const *)pa;
    const struct scenario *b = *(const struct scenario *const *)pb;
    int c = strcmp(a->name, b->name);

    return c != 0 ? c : (a > b) - (a < b);
}

static int cmp_run(const void *pa, const void *pb)
{
    const struct report_run *a = *(const struct report_run *const *)pa;
    const struct report_run *b = *(const struct report_run *const *)pb;
    int c = strcmp(a->name, b->name);

    return c != 0 ? c : strcmp(a->file, b->file);
}

/* The loaded scenarios sorted by name (to free), or NULL when out of
 * memory. */
static const struct scenario **sort_list(const struct scenario_list *list)
{
    const struct scenario **by = malloc((list->count + 1) * sizeof *by);

    for (size_t i = 0; by != NULL && i < list->count; i++) {
        by[i] = &list->items[i];
    }
    if (by != NULL) {
        qsort(by, list->count, sizeof *by, cmp_scenario);
    }
    return by;
}

/* Is a scenario of this name (in this file) among the n sorted ones? */
static int list_has(const struct scenario *const *by, size_t n, const char *name,
                    const char *file)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(by[mid]->name, name) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (; lo < n && strcmp(by[lo]->name, name) == 0; lo++) {
        if (report_file_matches(file, by[lo]->file)) {
            return 1;
        }
    }
    return 0;
}

/* rg->wanted from rg->rerun: 0, or -1 when out of memory. */
static int sort_wanted(struct regress *rg)
{
    size_t n = 0;

    rg->wanted = malloc((rg->rerun.count + 1) * sizeof *rg->wanted);
    if (rg->wanted == NULL) {
        return -1;
    }
    for (size_t i = 0; i < rg->rerun.count; i++) {
        if (wants_rerun(rg->rerun.runs[i].status)) {
            rg->wanted[n++] = &rg->rerun.runs[i];
        }
    }
    qsort(rg->wanted, n, sizeof *rg->wanted, cmp_run);
    rg->wanted_count = 0;
    for (size_t i = 0; i < n; i++) {
        /* A --repeat report names a scenario many times: keep one. */
        if (rg->wanted_count == 0 || cmp_run(&rg->wanted[rg->wanted_count - 1], &rg->wanted[i])) {
            rg->wanted[rg->wanted_count++] = rg->wanted[i];
        }
    }
    return 0;
}

/* "... and N more" after MAX_WARNED warnings of one kind. */
static void warn_more(const char *path, size_t more, const char *what)
{
    if (more > 0) {
        fprintf(stderr, "synchost: warning: %s: ... and %zu more %s\n", path, more, what);
    }
}

static int warn_unused(const struct regress *rg, const struct scenario_list *list)
{
    const struct scenario **by = sort_list(list);
    size_t wanted = 0, warned = 0, n = list->count;

    if (by == NULL) {
        return -1;
    }

    for (size_t i = 0; rg->has_baseline && i < rg->baseline.count; i++) {
        const struct baseline_entry *e = &rg->baseline.entries[i];
        if (e->line != 0 && !list_has(by, n, e->scenario, e->file) && warned++ < MAX_WARNED) {
            fprintf(stderr, "synchost: warning: %s:%u:%u: no scenario loaded is named '",
                    rg->baseline.path, e->line, e->col);
            console_text(stderr, e->scenario);
            fprintf(stderr, "'%s; the entry is not used\n", e->file != NULL ? " in that file" : "");
        }
    }
    if (rg->has_baseline) {
        warn_more(rg->baseline.path, warned > MAX_WARNED ? warned - MAX_WARNED : 0,
                  "entries name no scenario loaded; they are not used");
    }
    warned = 0;
    for (size_t i = 0; rg->has_rerun && i < rg->rerun.count; i++) {
        const struct report_run *run = &rg->rerun.runs[i];
        if (!wants_rerun(run->status)) {
            continue;
        }
        wanted++;
        if (!list_has(by, n, run->name, run->file) && warned++ < MAX_WARNED) {
            fprintf(stderr, "synchost: warning: %s: scenario '", rg->rerun_path);
            console_text(stderr, run->name);
            fprintf(stderr, "' (%s) is not among the scenarios loaded; not rerun\n",
                    scenario_status_name(run->status));
        }
    }
    if (rg->has_rerun) {
        warn_more(rg->rerun_path, warned > MAX_WARNED ? warned - MAX_WARNED : 0,
                  "scenarios are not among those loaded; not rerun");
    }
    if (rg->has_rerun && wanted == 0) {
        fprintf(stderr,
                "synchost: %s: every scenario in it passed or was skipped; nothing to "
                "rerun\n",
                rg->rerun_path);
    }
    free(by);
    return 0;
}

int regress_load(struct regress *rg, const struct scenario_list *list)
{
    char err[1200];

    if (rg->baseline_path != NULL) {
        if (baseline_load_file(rg->baseline_path, &rg->baseline, err, sizeof err) != 0) {
            fprintf(stderr, "synchost: --baseline %s\n", err);
            return EXIT_BAD_INPUT;
        }
        rg->has_baseline = 1;
        rg->baseline.strict = rg->baseline_strict;
    }
    if (rg->rerun_path != NULL) {
        if (report_read_file(rg->rerun_path, &rg->rerun, err, sizeof err) != 0) {
            fprintf(stderr, "synchost: --rerun-failed %s\n", err);
            return EXIT_BAD_INPUT;
        }
        rg->has_rerun = 1;
    }
    if ((rg->has_rerun && sort_wanted(rg) != 0) || warn_unused(rg, list) != 0) {
        fprintf(stderr, "synchost: out of memory\n");
        return EXIT_HARNESS;
    }
    return 0;
}

int regress_selects(const struct regress *rg, const struct scenario *sc)
{
    size_t lo = 0, hi = rg->wanted_count;

    if (!rg->has_rerun) {
        return 1;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(rg->wanted[mid]->name, sc->name) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (; lo < rg->wanted_count && strcmp(rg->wanted[lo]->name, sc->name) == 0; lo++) {
        if (report_file_matches(rg->wanted[lo]->file, sc->file)) {
            return 1;
        }
    }
    return 0;
}

/* Skipped results to the end, the others keeping their order. */
static size_t partition_skips(struct scenario_result *results, size_t count)
{
    size_t keep = 0;

    for (size_t i = 0; i < count; i++) {
        if (results[i].status != STATUS_SKIPPED) {
            if (i != keep) {
                struct scenario_result tmp = results[i];
                memmove(&results[keep + 1], &results[keep], (i - keep) * sizeof *results);
                results[keep] = tmp;
            }
            keep++;
        }
    }
    return keep;
}

size_t regress_start(struct regress *rg, struct console *con, struct run_report *report)
{
    size_t count = report->count, to_run;

    rg->con = con;
    rg->results = report->results;
    rg->count = count;
    if (rg->has_seed) {
        shuffle_seeded(report->results, count, sizeof *report->results, rg->seed);
        report->shuffled = 1;
        if (!con->quiet) {
            fprintf(con->out, "order: shuffled by --seed %llu (the same seed replays it)\n",
                    (unsigned long long)rg->seed);
        }
    }
    if (!rg->has_baseline) {
        return count;
    }
    rg->judged = calloc(count + 1, sizeof *rg->judged);
    if (rg->judged == NULL) {
        return (size_t)-1;
    }
    for (size_t i = 0; i < count; i++) {
        struct scenario_result *res = &report->results[i];
        const struct baseline_entry *e = baseline_skip(&rg->baseline, res->sc->name, res->sc->file);
        if (e != NULL) {
            res->status = STATUS_SKIPPED;
            snprintf(res->note, sizeof res->note, "skipped by the baseline: %s", e->reason);
        }
    }
    to_run = partition_skips(report->results, count);
    for (size_t i = to_run; i < count; i++) {
        regress_on_result(&report->results[i], rg);
    }
    report->baseline = &rg->baseline;
    report->judged = rg->judged;
    return to_run;
}

static void judge_one(struct regress *rg, const struct scenario_result *res)
{
    size_t n = res->judge.violation_count;
    const char **rules = calloc(n + 1, sizeof *rules);
    struct baseline_judgement *j = &rg->judged[res - rg->results];

    for (size_t i = 0; rules != NULL && i < n; i++) {
        rules[i] = res->judge.violations[i].rule;
    }
    if (rules == NULL) {
        /* Out of memory: judged as if no entry covered it, never as known. */
        memset(j, 0, sizeof *j);
        j->verdict = res->status == STATUS_PASSED ? BASELINE_PASSED : BASELINE_NEW_FAILURE;
        return;
    }
    baseline_judge(&rg->baseline, res->sc->name, res->sc->file, res->status, rules, n, j);
    free(rules);
}

static const char *verdict_words(enum baseline_verdict v)
{
    static const char *const words[BASELINE_VERDICT_COUNT] = {
        "not judged", "passed", "known failure", "NEW FAILURE", "FIXED", "flaky", "skipped",
    };
    return (unsigned)v < BASELINE_VERDICT_COUNT ? words[v] : "?";
}

void regress_on_result(const struct scenario_result *res, void *ctx)
{
    struct regress *rg = ctx;
    const struct baseline_judgement *j;
    char why[1024];

    console_result(res, rg->con);
    if (!rg->has_baseline || rg->judged == NULL) {
        console_progress(rg->con);
        return;
    }
    judge_one(rg, res);
    j = &rg->judged[res - rg->results];
    /* A skip's note says it; a pass needs no word unless it is news; a
     * line --only-failed hid gets none. */
    if (!console_shows(rg->con, res) || j->verdict == BASELINE_PASSED ||
        j->verdict == BASELINE_SKIPPED || j->verdict == BASELINE_NOT_JUDGED ||
        (j->verdict == BASELINE_FLAKY && res->status == STATUS_PASSED)) {
        console_progress(rg->con);
        return;
    }
    fprintf(rg->con->out, "        baseline: %s: ", verdict_words(j->verdict));
    console_text(rg->con->out, baseline_explain(&rg->baseline, j, res->status, why, sizeof why));
    fputc('\n', rg->con->out);
    fflush(rg->con->out);
    console_progress(rg->con);
}

void regress_on_event(const struct scenario_result *res, const struct event *ev, void *ctx)
{
    console_event(res, ev, ((struct regress *)ctx)->con);
}

/* Has an earlier result of the same scenario the same verdict? Then the end
 * lists it once. */
static int listed_before(const struct regress *rg, size_t i)
{
    for (size_t k = 0; k < i; k++) {
        if (rg->results[k].sc == rg->results[i].sc &&
            rg->judged[k].verdict == rg->judged[i].verdict) {
            return 1;
        }
    }
    return 0;
}

static void list_verdicts(const struct regress *rg, enum baseline_verdict v)
{
    FILE *out = rg->con->out;
    size_t listed = 0, more = 0;
    char why[1024];

    for (size_t i = 0; i < rg->count; i++) {
        const struct scenario_result *res = &rg->results[i];
        if (rg->judged[i].verdict != v || listed_before(rg, i)) {
            continue;
        }
        if (listed == MAX_LISTED) {
            more++;
            continue;
        }
        listed++;
        fprintf(out, "  %-13s ", verdict_words(v));
        console_text(out, res->sc->name);
        fputs(": ", out);
        console_text(out,
                     baseline_explain(&rg->baseline, &rg->judged[i], res->status, why, sizeof why));
        fputc('\n', out);
    }
    if (more > 0) {
        fprintf(out, "  ... and %zu more (the JSON report has them all)\n", more);
    }
}

/* The known failures whose rules changed, each scenario's changes once. */
static void list_changes(const struct regress *rg)
{
    FILE *out = rg->con->out;
    size_t listed = 0, more = 0;
    char change[400];

    for (size_t i = 0; i < rg->count; i++) {
        const struct baseline_judgement *j = &rg->judged[i];
        int again = 0;
        if (!baseline_changed(j)) {
            continue;
        }
        baseline_describe_change(j, change, sizeof change);
        for (size_t k = 0; k < i && !again; k++) {
            char before[400];
            again = rg->results[k].sc == rg->results[i].sc && baseline_changed(&rg->judged[k]) &&
                    strcmp(baseline_describe_change(&rg->judged[k], before, sizeof before),
                           change) == 0;
        }
        if (again || (listed == MAX_LISTED && ++more)) {
            continue;
        }
        listed++;
        fprintf(out, "  %-13s ", "CHANGED");
        console_text(out, rg->results[i].sc->name);
        fputs(": ", out);
        console_text(out, change);
        fputc('\n', out);
    }
    if (more > 0) {
        fprintf(out, "  ... and %zu more (the JSON report has them all)\n", more);
    }
    if (listed > 0) {
        fputs("  (a known failure that breaks other rules stays known: the rules a failing "
              "provider breaks may vary with timing; --baseline-strict or rules: exact fails "
              "the run instead)\n",
              out);
    }
}

static void print_baseline(const struct regress *rg)
{
    size_t n[BASELINE_VERDICT_COUNT] = {0}, changed = 0;
    FILE *out = rg->con->out;

    for (size_t i = 0; i < rg->count; i++) {
        n[rg->judged[i].verdict]++;
        changed += baseline_changed(&rg->judged[i]) != 0;
    }
    fputs("baseline ", out);
    console_text(out, rg->baseline.path);
    fprintf(out, ": %zu known failure%s", n[BASELINE_KNOWN_FAILURE],
            n[BASELINE_KNOWN_FAILURE] == 1 ? "" : "s");
    if (changed > 0) {
        fprintf(out, " (%zu with changed rules)", changed);
    }
    fprintf(out, ", %zu new, %zu fixed, %zu flaky, %zu skipped\n", n[BASELINE_NEW_FAILURE],
            n[BASELINE_FIXED], n[BASELINE_FLAKY], n[BASELINE_SKIPPED]);
    list_verdicts(rg, BASELINE_NEW_FAILURE);
    list_changes(rg);
    list_verdicts(rg, BASELINE_FIXED);
    if (n[BASELINE_FIXED] > 0) {
        fputs("  (a fixed scenario fails the run until its entry leaves the baseline, so that "
              "the bug cannot come back unnoticed)\n",
              out);
    }
}

static void print_pass_rates(const struct regress *rg)
{
    struct pass_rate *rates = calloc(rg->count + 1, sizeof *rates);
    size_t n = rates != NULL ? pass_rates_compute(rg->results, rg->count, rates) : 0;
    size_t below = 0, runs = 0;
    FILE *out = rg->con->out;

    for (size_t i = 0; i < n; i++) {
        runs = rates[i].runs > runs ? rates[i].runs : runs;
        below += rates[i].passed < rates[i].runs;
    }
    if (runs > 1 && below == 0) {
        fprintf(out, "pass rates: every scenario passed every run\n");
    } else if (runs > 1) {
        fprintf(out, "pass rates below 100%%:\n");
        for (size_t i = 0; i < n; i++) {
            if (rates[i].passed < rates[i].runs) {
                fputs("  ", out);
                console_text(out, rates[i].name);
                fprintf(out, ": %zu/%zu passed\n", rates[i].passed, rates[i].runs);
            }
        }
    }
    free(rates);
}

void regress_finish(struct regress *rg, const struct run_report *report)
{
    (void)report;
    if (rg->has_baseline && rg->judged != NULL) {
        for (size_t i = 0; i < rg->count; i++) {
            judge_one(rg, &rg->results[i]);
        }
    }
    if (rg->con == NULL || rg->con->quiet) {
        return;
    }
    console_progress_clear(rg->con);
    if (rg->repeat > 1) {
        print_pass_rates(rg);
    }
    if (rg->has_baseline && rg->judged != NULL) {
        print_baseline(rg);
    }
    fflush(rg->con->out);
}

int regress_exit_status(const struct regress *rg, int rc)
{
    if (!rg->has_baseline || rg->judged == NULL || (rc != 0 && rc != 1)) {
        return rc;
    }
    for (size_t i = 0; i < rg->count; i++) {
        if (baseline_verdict_fails(rg->judged[i].verdict)) {
            return 1;
        }
    }
    return 0;
}

size_t regress_rerun_failures(const struct regress *rg)
{
    size_t n = 0;

    for (size_t i = 0; rg->has_rerun && i < rg->rerun.count; i++) {
        n += wants_rerun(rg->rerun.runs[i].status);
    }
    return n;
}
