/* console.c: the human-readable output (see console.h). */
#include "console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hresult.h"

void console_init(struct console *con, int quiet, int verbose, size_t total)
{
    const char *no_color = getenv("NO_COLOR");

    memset(con, 0, sizeof *con);
    con->quiet = quiet;
    con->verbose = verbose;
    con->total = total;
    con->color = isatty(STDOUT_FILENO) && (no_color == NULL || *no_color == '\0');
}

void console_header(struct console *con, const struct run_report *r)
{
    if (con->quiet) {
        return;
    }
    printf("synchost %s: %zu scenario%s, level %s, seed %llu\n", r->version, r->count,
           r->count == 1 ? "" : "s", rule_level_name(r->level), (unsigned long long)r->seed);
    if (r->provider != NULL) {
        printf("provider %s (%s)\n", r->provider, r->machine != NULL ? r->machine : "?");
    }
    fflush(stdout);
}

static const char *label(enum scenario_status s)
{
    switch (s) {
    case STATUS_PASSED:
        return "PASS   ";
    case STATUS_FAILED:
        return "FAIL   ";
    case STATUS_CRASHED:
        return "CRASH  ";
    case STATUS_TIMED_OUT:
        return "TIMEOUT";
    case STATUS_ERRORED:
        return "ERROR  ";
    case STATUS_SKIPPED:
        return "SKIP   ";
    default:
        return "STOPPED";
    }
}

static const char *color_of(enum scenario_status s)
{
    return s == STATUS_PASSED ? "\033[32m" : s == STATUS_SKIPPED ? "\033[33m" : "\033[31m";
}

void console_result(const struct scenario_result *res, void *ctx)
{
    struct console *con = ctx;
    char got[64];

    con->done++;
    if (con->quiet) {
        return;
    }
    printf("%s%s%s %-28s %5llu ms", con->color ? color_of(res->status) : "", label(res->status),
           con->color ? "\033[0m" : "", res->sc->name, (unsigned long long)res->duration_ms);
    if (res->has_return) {
        printf("  returned %s", hresult_format(res->returned, got, sizeof got));
    }
    if (res->has_done) {
        printf(", Done(%s)", hresult_format(res->done_hr, got, sizeof got));
    }
    printf("\n");
    for (size_t i = 0; i < res->judge.violation_count; i++) {
        const struct violation *v = &res->judge.violations[i];
        printf("        %s [%s] %s", v->rule,
               strncmp(v->rule, "expect.", 7) == 0 ? "expect" : rule_level_name(v->level),
               v->message);
        if (v->event >= 0) {
            printf(" (event %lld)", (long long)v->event);
        }
        if (v->repeats > 0) {
            printf(" (+%llu more)", (unsigned long long)v->repeats);
        }
        printf("\n");
    }
    if (res->note[0] != '\0' && (res->status != STATUS_PASSED || con->verbose)) {
        printf("        note: %s\n", res->note);
    }
    if (res->worker_stderr != NULL && (con->verbose || res->status == STATUS_ERRORED)) {
        printf("        worker stderr:\n%s\n", res->worker_stderr);
    }
    fflush(stdout);
}

void console_summary(struct console *con, const struct run_report *r)
{
    size_t c[STATUS_COUNT];

    if (con->quiet) {
        return;
    }
    run_report_summary(r, c);
    printf("%zu scenario%s: %zu passed, %zu failed, %zu crashed, %zu timed out, %zu errored",
           r->count, r->count == 1 ? "" : "s", c[STATUS_PASSED], c[STATUS_FAILED],
           c[STATUS_CRASHED], c[STATUS_TIMED_OUT], c[STATUS_ERRORED]);
    if (c[STATUS_SKIPPED] > 0) {
        printf(", %zu skipped", c[STATUS_SKIPPED]);
    }
    if (c[STATUS_INTERRUPTED] > 0) {
        printf(", %zu interrupted", c[STATUS_INTERRUPTED]);
    }
    printf(" (%.1f s)\n", (double)r->duration_ms / 1000.0);
    fflush(stdout);
}
