/*
 * console_run.c: the progress line and the end of a run (see console_run.h).
 */
#include "console_run.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "regress/baseline.h"

/* Failure lines listed at the end before "... and N more". */
#define MAX_FAILURE_LINES 50

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* "M:SS", or "H:MM:SS" from an hour. */
static void format_duration(uint64_t ms, char *buf, size_t n)
{
    uint64_t s = ms / 1000;

    if (s >= 3600) {
        snprintf(buf, n, "%llu:%02u:%02u", (unsigned long long)(s / 3600),
                 (unsigned)(s / 60 % 60), (unsigned)(s % 60));
    } else {
        snprintf(buf, n, "%u:%02u", (unsigned)(s / 60), (unsigned)(s % 60));
    }
}

void console_progress_start(struct console *con, size_t total, unsigned jobs)
{
    con->progress = 1;
    con->total = total;
    con->jobs = jobs > 0 ? jobs : 1;
    con->done = con->failed = 0;
    con->busy_ms = 0;
    con->start_ms = now_ms();
    console_progress(con);
}

void console_progress(struct console *con)
{
    char elapsed[32], eta[32];
    size_t left;
    unsigned par;

    if (!con->progress || !con->tty || con->quiet || con->done >= con->total) {
        console_progress_clear(con);
        return;
    }
    left = con->total - con->done;
    par = left < con->jobs ? (unsigned)left : con->jobs;
    format_duration(now_ms() - con->start_ms, elapsed, sizeof elapsed);
    if (con->done > 0) {
        format_duration(con->busy_ms / con->done * left / par, eta, sizeof eta);
    } else {
        snprintf(eta, sizeof eta, "?");
    }
    fprintf(con->out, "\r\033[K[%zu/%zu] %s%zu failed%s, %s elapsed, ETA %s", con->done,
            con->total, con->color && con->failed > 0 ? "\033[31m" : "", con->failed,
            con->color && con->failed > 0 ? "\033[0m" : "", elapsed, eta);
    con->progress_shown = 1;
    fflush(con->out);
}

void console_progress_clear(struct console *con)
{
    if (con->progress_shown) {
        fputs("\r\033[K", con->out);
        fflush(con->out);
        con->progress_shown = 0;
    }
}

static int did_not_pass(enum scenario_status s)
{
    return s != STATUS_PASSED && s != STATUS_SKIPPED;
}

/* One failure line; returns 1 if it was printed, 0 past the limit. */
static int failure_line(struct console *con, size_t *listed, const char *name, const char *what,
                        const char *message)
{
    if (*listed == MAX_FAILURE_LINES) {
        return 0;
    }
    (*listed)++;
    fputs("  ", con->out);
    console_text(con->out, name);
    fprintf(con->out, ": %s", what);
    if (message != NULL && *message != '\0') {
        fputs(": ", con->out);
        console_text(con->out, message);
    }
    fputc('\n', con->out);
    return 1;
}

/* The verbose end: every violation of every scenario that did not pass. */
static void failure_list(struct console *con, const struct run_report *r)
{
    size_t listed = 0, more = 0, any = 0;

    for (size_t i = 0; i < r->count; i++) {
        const struct scenario_result *res = &r->results[i];
        if (!did_not_pass(res->status)) {
            continue;
        }
        if (any++ == 0) {
            fputs("failures:\n", con->out);
        }
        if (res->judge.violation_count == 0) {
            more += !failure_line(con, &listed, res->sc->name, scenario_status_name(res->status),
                                  res->note);
        }
        for (size_t k = 0; k < res->judge.violation_count; k++) {
            const struct violation *v = &res->judge.violations[k];
            more += !failure_line(con, &listed, res->sc->name, v->rule, v->message);
        }
    }
    if (more > 0) {
        fprintf(con->out, "  ... and %zu more (the report has them all)\n", more);
    }
}

/* " the JSON report on the standard output", " PATH", for a report asked for. */
static void put_report_name(struct console *con, const char *kind, const char *path, int *any)
{
    if (path == NULL) {
        return;
    }
    fputs(*any ? " and " : "", con->out);
    *any = 1;
    if (strcmp(path, "-") == 0) {
        fprintf(con->out, "the %s report on the standard output", kind);
    } else {
        console_text(con->out, path);
    }
}

/* The default end: one command that reruns a failure alone, and once where
 * the rest of each failure's context is. */
static void failure_pointers(struct console *con, const struct run_report *r)
{
    const struct scenario_result *first = NULL;
    int any = 0;

    for (size_t i = 0; i < r->count && first == NULL; i++) {
        if (did_not_pass(r->results[i].status) && r->results[i].rerun_synchost != NULL) {
            first = &r->results[i];
        }
    }
    if (first == NULL) {
        return;
    }
    fputs("rerun one alone: ", con->out);
    console_text(con->out, first->rerun_synchost);
    if (con->detail_json == NULL && con->detail_html == NULL) {
        fputs("\nmore: --verbose shows each failure's stacks, last events, notes and debugger "
              "command (--report-json FILE keeps them)\n",
              con->out);
        return;
    }
    fputs("\nmore: each failure's stacks, last events, notes and debugger command are in ",
          con->out);
    put_report_name(con, "JSON", con->detail_json, &any);
    put_report_name(con, "HTML", con->detail_html, &any);
    fputs(" (or use --verbose)\n", con->out);
}

void console_failures(struct console *con, const struct run_report *r)
{
    console_progress_clear(con);
    if (con->quiet) {
        return;
    }
    if (con->verbose) {
        failure_list(con, r);
    } else {
        failure_pointers(con, r);
    }
    fflush(con->out);
}

void console_report_file(struct console *con, const char *path)
{
    if (con->quiet || path == NULL) {
        return;
    }
    console_progress_clear(con);
    if (strcmp(path, "-") == 0) {
        fputs("report: the standard output\n", con->out);
    } else {
        fputs("report: ", con->out);
        console_text(con->out, path);
        fputc('\n', con->out);
    }
    fflush(con->out);
}

/* " (2 new failures, 1 fixed against the baseline)" under a baseline. */
static void baseline_note(const struct run_report *r, char *buf, size_t n)
{
    size_t fresh = 0, fixed = 0, known = 0;

    buf[0] = '\0';
    if (r->baseline == NULL || r->judged == NULL) {
        return;
    }
    for (size_t i = 0; i < r->count; i++) {
        fresh += r->judged[i].verdict == BASELINE_NEW_FAILURE;
        fixed += r->judged[i].verdict == BASELINE_FIXED;
        known += r->judged[i].verdict == BASELINE_KNOWN_FAILURE;
    }
    snprintf(buf, n, " (baseline: %zu new, %zu fixed, %zu known)", fresh, fixed, known);
}

/* The verdict is never coloured: a captured terminal log must match
 * "^synchost: PASS" as a CI log does. */
void console_verdict(struct console *con, const struct run_report *r, int rc, const char *reason)
{
    size_t c[STATUS_COUNT];
    char note[128];

    console_progress_clear(con);
    run_report_summary(r, c);
    baseline_note(r, note, sizeof note);
    if (rc == 0 && r->count == 0) {
        /* A PASS that checked nothing must say why it is not bad input. */
        fprintf(con->out, "synchost: PASS, 0 scenarios (%s)\n",
                reason != NULL ? reason : "none selected");
    } else if (rc == 0) {
        fprintf(con->out, "synchost: PASS, %zu scenario%s%s\n", r->count, r->count == 1 ? "" : "s",
                note);
    } else if (rc == 1) {
        fprintf(con->out, "synchost: FAIL, %zu of %zu failed%s\n",
                c[STATUS_FAILED] + c[STATUS_CRASHED] + c[STATUS_TIMED_OUT], r->count, note);
    } else if (rc == 130) {
        fprintf(con->out, "synchost: INTERRUPTED, %zu of %zu ran\n",
                r->count - c[STATUS_INTERRUPTED] - c[STATUS_SKIPPED], r->count);
    } else {
        fprintf(con->out, "synchost: ERROR, %s\n", reason != NULL ? reason : "no verdict");
    }
    fflush(con->out);
}

void console_config(struct console *con, const char *describe)
{
    if (con->quiet) {
        return;
    }
    fputs("config: ", con->out);
    console_text(con->out, describe);
    fputc('\n', con->out);
}

void console_rule_skips(struct console *con, const struct run_report *r)
{
    if (con->quiet) {
        return;
    }
    for (size_t i = 0; i < r->rule_skip_count; i++) {
        const struct rule_skip *k = &r->rule_skips[i];
        fputs(i == 0 ? "rules skipped:\n" : "", con->out);
        fputs("  ", con->out);
        console_text(con->out, k->rule);
        fputs(": ", con->out);
        console_text(con->out, k->reason != NULL ? k->reason : "");
        if (k->source != NULL && strcmp(k->source, "--skip-rule") != 0) {
            fputs(" (", con->out);
            console_text(con->out, k->source);
            fputc(')', con->out);
        }
        fputc('\n', con->out);
    }
}
