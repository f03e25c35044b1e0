/*
 * baseline.c: known failures, flakes and skips, and the verdict of a run
 * against them (see baseline.h).
 */
#include "regress/baseline.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/optstr.h"
#include "text/readfile.h"
#include "regress/report_read.h"
#include "text/grow.h"

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
    struct baseline_entry *grown = grow_room(b->entries, &b->cap, b->count, sizeof *grown, 16);

    if (grown == NULL) {
        return NULL;
    }
    b->entries = grown;
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
    c = c != 0 ? c : optstr_cmp(a->file, b->file);
    if (c == 0 && a->kind != BASELINE_KIND_FLAKY) {
        c = (int)a->status - (int)b->status;
        c = c != 0 ? c : optstr_cmp(a->rule, b->rule);
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
        drop[by[i] - b->entries] =
            by[i]->kind == by[i - 1]->kind && strcmp(by[i]->scenario, by[i - 1]->scenario) == 0 &&
            optstr_cmp(by[i]->file, by[i - 1]->file) == 0 &&
            (by[i]->kind == BASELINE_KIND_FLAKY ||
             (by[i]->status == by[i - 1]->status && optstr_cmp(by[i]->rule, by[i - 1]->rule) == 0));
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
