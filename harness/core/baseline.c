/*
 * baseline.c: known failures, flakes and skips, and the verdict of a run
 * against them (see baseline.h).
 */
#include "baseline.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readfile.h"
#include "report_read.h"

static void entry_free(struct baseline_entry *e)
{
    free(e->scenario);
    free(e->file);
    free(e->rule);
    free(e->reason);
}

void baseline_free(struct baseline *b)
{
    for (size_t i = 0; i < b->count; i++) {
        entry_free(&b->entries[i]);
    }
    free(b->entries);
    free(b->path);
    memset(b, 0, sizeof *b);
}

struct baseline_entry *baseline_add_entry(struct baseline *b)
{
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        struct baseline_entry *grown = realloc(b->entries, cap * sizeof *grown);
        if (grown == NULL) {
            return NULL;
        }
        b->entries = grown;
        b->cap = cap;
    }
    memset(&b->entries[b->count], 0, sizeof b->entries[0]);
    return &b->entries[b->count++];
}

int baseline_names(const struct baseline_entry *e, const char *name, const char *file)
{
    return strcmp(e->scenario, name) == 0 && report_file_matches(e->file, file);
}

/* A previous report --------------------------------------------------- */

static int add_from_run(struct baseline *b, const struct report_run *run, const char *rule,
                        enum baseline_kind kind, const char *reason)
{
    struct baseline_entry *e = baseline_add_entry(b);

    if (e == NULL) {
        return -1;
    }
    e->kind = kind;
    e->status = run->status;
    e->scenario = strdup(run->name);
    e->file = run->file[0] != '\0' ? strdup(run->file) : NULL;
    e->rule = rule != NULL ? strdup(rule) : NULL;
    e->reason = strdup(reason);
    return e->scenario == NULL || e->reason == NULL || (rule != NULL && e->rule == NULL) ||
                   (run->file[0] != '\0' && e->file == NULL)
               ? -1
               : 0;
}

static int is_failure(enum scenario_status s)
{
    return s == STATUS_FAILED || s == STATUS_CRASHED || s == STATUS_TIMED_OUT;
}

static int cmp_str(const char *a, const char *b)
{
    return a == NULL || b == NULL ? (a != NULL) - (b != NULL) : strcmp(a, b);
}

/* Runs by scenario and file, then by their place in the report. */
static int cmp_run(const void *pa, const void *pb)
{
    const struct report_run *a = *(const struct report_run *const *)pa;
    const struct report_run *b = *(const struct report_run *const *)pb;
    int c = strcmp(a->name, b->name);

    c = c != 0 ? c : strcmp(a->file, b->file);
    return c != 0 ? c : (a > b) - (a < b);
}

/* Entries by what they say (a flaky entry's status aside), then by place. */
static int cmp_entry(const void *pa, const void *pb)
{
    const struct baseline_entry *a = *(const struct baseline_entry *const *)pa;
    const struct baseline_entry *b = *(const struct baseline_entry *const *)pb;
    int c = (int)a->kind - (int)b->kind;

    c = c != 0 ? c : strcmp(a->scenario, b->scenario);
    c = c != 0 ? c : cmp_str(a->file, b->file);
    if (c == 0 && a->kind != BASELINE_KIND_FLAKY) {
        c = (int)a->status - (int)b->status;
        c = c != 0 ? c : cmp_str(a->rule, b->rule);
    }
    return c != 0 ? c : (a > b) - (a < b);
}

/* For each run, how many runs of its scenario the report holds that passed
 * or failed, and how many of those passed: by sorting, so that a report of
 * many scenarios costs n log n, not n squared. */
static int tally(const struct report_doc *doc, size_t *runs, size_t *passed)
{
    const struct report_run **by = malloc((doc->count + 1) * sizeof *by);

    if (by == NULL) {
        return -1;
    }
    for (size_t i = 0; i < doc->count; i++) {
        by[i] = &doc->runs[i];
    }
    qsort(by, doc->count, sizeof *by, cmp_run);
    for (size_t i = 0, end; i < doc->count; i = end) {
        size_t r = 0, p = 0;
        for (end = i; end < doc->count && strcmp(by[end]->name, by[i]->name) == 0 &&
                      strcmp(by[end]->file, by[i]->file) == 0;
             end++) {
            r += by[end]->status == STATUS_PASSED || is_failure(by[end]->status);
            p += by[end]->status == STATUS_PASSED;
        }
        for (size_t k = i; k < end; k++) {
            runs[by[k] - doc->runs] = r;
            passed[by[k] - doc->runs] = p;
        }
    }
    free(by);
    return 0;
}

/* Drops every entry that says what an earlier one says (a --repeat report
 * repeats), keeping the order of the rest. */
static int drop_repeats(struct baseline *b)
{
    struct baseline_entry **by = malloc((b->count + 1) * sizeof *by);
    unsigned char *drop = calloc(b->count + 1, 1);
    size_t keep = 0;

    if (by == NULL || drop == NULL) {
        free(by);
        free(drop);
        return -1;
    }
    for (size_t i = 0; i < b->count; i++) {
        by[i] = &b->entries[i];
    }
    qsort(by, b->count, sizeof *by, cmp_entry);
    for (size_t i = 1; i < b->count; i++) {
        /* Equal but for the place: the later one goes. */
        drop[by[i] - b->entries] = by[i]->kind == by[i - 1]->kind &&
                                   strcmp(by[i]->scenario, by[i - 1]->scenario) == 0 &&
                                   cmp_str(by[i]->file, by[i - 1]->file) == 0 &&
                                   (by[i]->kind == BASELINE_KIND_FLAKY ||
                                    (by[i]->status == by[i - 1]->status &&
                                     cmp_str(by[i]->rule, by[i - 1]->rule) == 0));
    }
    for (size_t i = 0; i < b->count; i++) {
        if (drop[i]) {
            entry_free(&b->entries[i]);
        } else {
            b->entries[keep++] = b->entries[i];
        }
    }
    b->count = keep;
    free(by);
    free(drop);
    return 0;
}

static int from_report(const char *name, const struct report_doc *doc, struct baseline *b)
{
    size_t *runs = calloc(doc->count + 1, sizeof *runs);
    size_t *passed = calloc(doc->count + 1, sizeof *passed);
    char reason[640];
    int rc = runs == NULL || passed == NULL || tally(doc, runs, passed) != 0 ? -1 : 0;

    for (size_t i = 0; rc == 0 && i < doc->count; i++) {
        const struct report_run *run = &doc->runs[i];
        if (!is_failure(run->status)) {
            continue;
        }
        if (passed[i] > 0) {
            snprintf(reason, sizeof reason, "passed %zu of %zu runs in %.500s", passed[i], runs[i],
                     name);
            rc = add_from_run(b, run, NULL, BASELINE_KIND_FLAKY, reason);
            continue;
        }
        snprintf(reason, sizeof reason, "%s in %.500s", scenario_status_name(run->status), name);
        for (size_t k = 0; rc == 0 && (k < run->rule_count || k == 0); k++) {
            const char *rule = k < run->rule_count ? run->rules[k] : NULL;
            rc = add_from_run(b, run, rule, BASELINE_KIND_FAILURE, reason);
        }
    }
    free(runs);
    free(passed);
    return rc == 0 ? drop_repeats(b) : -1;
}

/* Loading ------------------------------------------------------------- */

int baseline_load_buffer(const char *name, const char *data, size_t len, struct baseline *b,
                         char *err, size_t cap)
{
    size_t i = 0;
    int rc;

    memset(b, 0, sizeof *b);
    if ((b->path = strdup(name)) == NULL) {
        snprintf(err, cap, "%s: out of memory", name);
        return -1;
    }
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
        i++;
    }
    if (i < len && data[i] == '{') {
        struct report_doc doc;
        b->from_report = 1;
        rc = report_read_buffer(name, data, len, &doc, err, cap);
        if (rc == 0) {
            rc = from_report(name, &doc, b);
            report_doc_free(&doc);
            if (rc != 0) {
                snprintf(err, cap, "%s: out of memory", name);
            }
        }
    } else {
        rc = baseline_load_yaml(name, data, len, b, err, cap);
    }
    if (rc != 0) {
        baseline_free(b);
    }
    return rc;
}

/* The limit for this file: an expectations file's unless what it starts
 * with says it is a JSON report (or cannot say: a file that is not a
 * regular one, or that starts with much white space). */
static uint64_t limit_of(const struct readfile *rf, char *err, size_t cap)
{
    char head[4096];
    long n = readfile_peek(rf, head, sizeof head, err, cap);
    long i = 0;

    if (n < 0) {
        return 0;
    }
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
        i++;
    }
    return !rf->sized || i == n || head[i] == '{' ? REPORT_READ_MAX_SIZE : BASELINE_YAML_MAX_SIZE;
}

int baseline_load_file(const char *path, struct baseline *b, char *err, size_t cap)
{
    struct readfile rf;
    uint64_t limit;
    char *data = NULL;
    size_t len = 0;
    int rc = -1;

    memset(b, 0, sizeof *b);
    if (readfile_open(&rf, path, err, cap) != 0) {
        return -1;
    }
    if ((limit = limit_of(&rf, err, cap)) != 0 &&
        readfile_read(&rf, limit,
                      limit == REPORT_READ_MAX_SIZE ? "a baseline (a JSON report)"
                                                    : "a baseline (an expectations file)",
                      &data, &len, err, cap) == 0) {
        rc = baseline_load_buffer(path, data, len, b, err, cap);
    }
    free(data);
    readfile_close(&rf);
    return rc;
}

/* Judging -------------------------------------------------------------- */

const struct baseline_entry *baseline_skip(const struct baseline *b, const char *name,
                                           const char *file)
{
    for (size_t i = 0; i < b->count; i++) {
        if (b->entries[i].kind == BASELINE_KIND_SKIP &&
            baseline_names(&b->entries[i], name, file)) {
            return &b->entries[i];
        }
    }
    return NULL;
}

/* Could e cover a failure with this status (leaving its rule aside)? */
static int covers_status(const struct baseline_entry *e, enum scenario_status status)
{
    return e->kind == BASELINE_KIND_FLAKY ||
           (e->kind == BASELINE_KIND_FAILURE && e->status == status);
}

static void judge_pass(const struct baseline *b, const char *name, const char *file,
                       struct baseline_judgement *out)
{
    const struct baseline_entry *failure = NULL;

    out->verdict = BASELINE_PASSED;
    for (size_t i = 0; i < b->count; i++) {
        const struct baseline_entry *e = &b->entries[i];
        if (!baseline_names(e, name, file)) {
            continue;
        }
        if (e->kind == BASELINE_KIND_FLAKY) {
            out->verdict = BASELINE_FLAKY;
            out->entry = e;
            return;
        }
        failure = failure != NULL ? failure : e;
    }
    if (failure != NULL) {
        out->verdict = BASELINE_FIXED;
        out->entry = failure;
    }
}

/* The entry covering rule among those covering status, or NULL. */
static const struct baseline_entry *covering(const struct baseline *b, const char *name,
                                             const char *file, enum scenario_status status,
                                             const char *rule)
{
    for (size_t i = 0; i < b->count; i++) {
        const struct baseline_entry *e = &b->entries[i];
        if (baseline_names(e, name, file) && covers_status(e, status) &&
            (e->rule == NULL || (rule != NULL && strcmp(e->rule, rule) == 0))) {
            return e;
        }
    }
    return NULL;
}

void baseline_judge(const struct baseline *b, const char *name, const char *file,
                    enum scenario_status status, const char *const *rules, size_t rule_count,
                    struct baseline_judgement *out)
{
    const struct baseline_entry *first = NULL;
    int all_flaky = 1;

    memset(out, 0, sizeof *out);
    if (status == STATUS_SKIPPED) {
        out->entry = baseline_skip(b, name, file);
        out->verdict = out->entry != NULL ? BASELINE_SKIPPED : BASELINE_NOT_JUDGED;
        return;
    }
    if (status == STATUS_PASSED) {
        judge_pass(b, name, file, out);
        return;
    }
    if (!is_failure(status)) {
        out->verdict = BASELINE_NOT_JUDGED;
        return;
    }
    /* An entry without a rule covers every violation at once. */
    out->entry = covering(b, name, file, status, NULL);
    for (size_t k = 0; out->entry == NULL && k < rule_count; k++) {
        const struct baseline_entry *e = covering(b, name, file, status, rules[k]);
        if (e == NULL) {
            out->uncovered_rule = rules[k];
            break;
        }
        first = first != NULL ? first : e;
        all_flaky &= e->kind == BASELINE_KIND_FLAKY;
    }
    if (out->entry != NULL) {
        out->verdict =
            out->entry->kind == BASELINE_KIND_FLAKY ? BASELINE_FLAKY : BASELINE_KNOWN_FAILURE;
        return;
    }
    if (first != NULL && out->uncovered_rule == NULL) {
        out->verdict = all_flaky ? BASELINE_FLAKY : BASELINE_KNOWN_FAILURE;
        out->entry = first;
        return;
    }
    /* New. The entry nearest to covering it, for the message: one with its
     * status (then a rule was missing), else any (then the status differs). */
    out->verdict = BASELINE_NEW_FAILURE;
    for (int pass = 0; pass < 2 && out->entry == NULL; pass++) {
        for (size_t i = 0; i < b->count && out->entry == NULL; i++) {
            const struct baseline_entry *e = &b->entries[i];
            if (baseline_names(e, name, file) && (pass == 1 || covers_status(e, status))) {
                out->entry = e;
            }
        }
    }
    if (out->entry != NULL && !covers_status(out->entry, status)) {
        out->uncovered_rule = NULL;
    }
}

const char *baseline_verdict_name(enum baseline_verdict v)
{
    static const char *const names[BASELINE_VERDICT_COUNT] = {
        "not-judged", "passed", "known-failure", "new-failure", "fixed", "flaky", "skipped",
    };
    return (unsigned)v < BASELINE_VERDICT_COUNT ? names[v] : "unknown";
}

int baseline_verdict_fails(enum baseline_verdict v)
{
    return v == BASELINE_NEW_FAILURE || v == BASELINE_FIXED;
}

/* " (FILE:LINE:COL)" for an entry of an expectations file, "" for one from a
 * report (whose reason names the report). */
static const char *where(const struct baseline *b, const struct baseline_entry *e, char *buf,
                         size_t cap)
{
    if (e->line == 0) {
        buf[0] = '\0';
    } else {
        snprintf(buf, cap, " (%.300s:%u:%u)", b->path, e->line, e->col);
    }
    return buf;
}

const char *baseline_explain(const struct baseline *b, const struct baseline_judgement *j,
                             enum scenario_status status, char *buf, size_t cap)
{
    const struct baseline_entry *e = j->entry;
    char at[400];

    if (j->verdict == BASELINE_NOT_JUDGED || j->verdict == BASELINE_PASSED) {
        snprintf(buf, cap, "%s",
                 j->verdict == BASELINE_PASSED ? "passed, as expected"
                                               : "no verdict: did not run to "
                                                 "the end");
    } else if (j->verdict == BASELINE_FIXED) {
        snprintf(buf, cap, "known to fail (%.200s)%s, now passes: update the baseline", e->reason,
                 where(b, e, at, sizeof at));
    } else if (j->verdict != BASELINE_NEW_FAILURE) {
        snprintf(buf, cap, "%.200s%s", e->reason, where(b, e, at, sizeof at));
    } else if (e == NULL) {
        snprintf(buf, cap, "%s, and the baseline does not list it", scenario_status_name(status));
    } else if (j->uncovered_rule != NULL) {
        snprintf(buf, cap, "breaks %.100s, which the baseline's entries for it%s do not list",
                 j->uncovered_rule, where(b, e, at, sizeof at));
    } else if (e->kind == BASELINE_KIND_FAILURE && e->status != status) {
        snprintf(buf, cap, "%s, where the baseline%s expects %s", scenario_status_name(status),
                 where(b, e, at, sizeof at), scenario_status_name(e->status));
    } else {
        snprintf(buf, cap, "%s with no violation the baseline%s lists",
                 scenario_status_name(status), where(b, e, at, sizeof at));
    }
    return buf;
}
