/* console.c: the human-readable output (see console.h). */
#include "console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hresult.h"

void console_init(struct console *con, FILE *out, int quiet, int verbose)
{
    const char *no_color = getenv("NO_COLOR");

    memset(con, 0, sizeof *con);
    con->quiet = quiet;
    con->verbose = verbose;
    con->out = out;
    con->color = isatty(fileno(out)) && (no_color == NULL || *no_color == '\0');
}

void console_header(struct console *con, const struct run_report *r)
{
    if (con->quiet) {
        return;
    }
    fprintf(con->out, "synchost %s: %zu scenario%s, level %s, seed %llu\n", r->version, r->count,
            r->count == 1 ? "" : "s", rule_level_name(r->level), (unsigned long long)r->seed);
    if (r->provider != NULL) {
        fprintf(con->out, "provider %s (%s)\n", r->provider, r->machine != NULL ? r->machine : "?");
    }
    fflush(con->out);
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

    if (con->quiet) {
        return;
    }
    fprintf(con->out, "%s%s%s %-28s %5llu ms", con->color ? color_of(res->status) : "",
            label(res->status), con->color ? "\033[0m" : "", res->sc->name,
            (unsigned long long)res->duration_ms);
    if (res->has_return) {
        fprintf(con->out, "  returned %s", hresult_format(res->returned, got, sizeof got));
    }
    if (res->has_done) {
        fprintf(con->out, ", Done(%s)", hresult_format(res->done_hr, got, sizeof got));
    }
    fprintf(con->out, "\n");
    for (size_t i = 0; i < res->judge.violation_count; i++) {
        const struct violation *v = &res->judge.violations[i];
        fprintf(con->out, "        %s [%s] %s", v->rule,
                strncmp(v->rule, "expect.", 7) == 0 ? "expect" : rule_level_name(v->level),
                v->message);
        if (v->event >= 0) {
            fprintf(con->out, " (event %lld)", (long long)v->event);
        }
        if (v->repeats > 0) {
            fprintf(con->out, " (+%llu more)", (unsigned long long)v->repeats);
        }
        fprintf(con->out, "\n");
    }
    if (res->note[0] != '\0' && (res->status != STATUS_PASSED || con->verbose)) {
        fprintf(con->out, "        note: %s\n", res->note);
    }
    if (res->worker_stderr != NULL && (con->verbose || res->status == STATUS_ERRORED)) {
        fprintf(con->out, "        worker stderr:\n%s\n", res->worker_stderr);
    }
    fflush(con->out);
}

void console_summary(struct console *con, const struct run_report *r)
{
    size_t c[STATUS_COUNT];

    if (con->quiet) {
        return;
    }
    run_report_summary(r, c);
    fprintf(con->out,
            "%zu scenario%s: %zu passed, %zu failed, %zu crashed, %zu timed out, %zu errored",
            r->count, r->count == 1 ? "" : "s", c[STATUS_PASSED], c[STATUS_FAILED],
            c[STATUS_CRASHED], c[STATUS_TIMED_OUT], c[STATUS_ERRORED]);
    if (c[STATUS_SKIPPED] > 0) {
        fprintf(con->out, ", %zu skipped", c[STATUS_SKIPPED]);
    }
    if (c[STATUS_INTERRUPTED] > 0) {
        fprintf(con->out, ", %zu interrupted", c[STATUS_INTERRUPTED]);
    }
    fprintf(con->out, " (%.1f s)\n", (double)r->duration_ms / 1000.0);
    fflush(con->out);
}

void console_event(const struct scenario_result *res, const struct event *ev, void *ctx)
{
    struct console *con = ctx;
    char hr[HRESULT_NAME_MAX + 16], flags[SYNC_FLAGS_FORMAT_MAX];
    const char *text = ev->text != NULL ? ev->text : "";

    (void)res;
    fprintf(con->out, "  #%-4lu %9.3f ms  tid %-5lu %-14s", (unsigned long)ev->seq,
            (double)ev->t_us / 1000.0, (unsigned long)ev->thread, event_kind_name(ev->kind));
    switch (ev->kind) {
    case EVENT_LOAD:
        fprintf(con->out, " %s %s%s%s", load_step_name((enum load_step)ev->step),
                hresult_format(ev->hr, hr, sizeof hr), *text ? ": " : "", text);
        break;
    case EVENT_EVENT_SIGNALED:
        fprintf(con->out, " handle 0x%llx", (unsigned long long)ev->handle);
        break;
    case EVENT_EVENT_TIMEOUT:
        fprintf(con->out, " handle 0x%llx, not signaled after %llu ms",
                (unsigned long long)ev->handle, (unsigned long long)ev->value);
        break;
    case EVENT_CALL:
        fprintf(con->out, " SynchronizeInBackground(%s)",
                sync_flags_format(ev->flags, flags, sizeof flags));
        break;
    case EVENT_RETURN:
        fprintf(con->out, " %s, *phSyncDoneEvent=0x%llx%s", hresult_format(ev->hr, hr, sizeof hr),
                (unsigned long long)ev->handle, ev->value ? "" : " (not waitable)");
        break;
    case EVENT_PROGRESS:
        fprintf(con->out, " %lu/%lu \"%s\"%s%s -> %s", (unsigned long)ev->index,
                (unsigned long)ev->index_max, text,
                ev->text_state == TEXT_OK || ev->text_state == TEXT_NONE ? "" : " text ",
                ev->text_state == TEXT_OK || ev->text_state == TEXT_NONE
                    ? ""
                    : text_state_name(ev->text_state),
                hresult_format(ev->hr, hr, sizeof hr));
        break;
    case EVENT_ERROR:
        fprintf(con->out, " %s \"%s\"", hresult_format(ev->hr, hr, sizeof hr), text);
        break;
    case EVENT_DONE:
        fprintf(con->out, " %s, handle 0x%llx", hresult_format(ev->hr, hr, sizeof hr),
                (unsigned long long)ev->handle);
        break;
    case EVENT_ADDREF:
    case EVENT_RELEASE:
        fprintf(con->out, " %s -> %lld", text, (long long)ev->value);
        break;
    case EVENT_QI:
    case EVENT_SESSION_CALL:
    case EVENT_SUPPORT_CALL:
        fprintf(con->out, " %s -> %s", text, hresult_format(ev->hr, hr, sizeof hr));
        break;
    case EVENT_ALLOC:
        fprintf(con->out, " %s %llu bytes at 0x%llx", text, (unsigned long long)ev->value,
                (unsigned long long)ev->handle);
        break;
    case EVENT_FREE:
        fprintf(con->out, " 0x%llx %s", (unsigned long long)ev->handle, text);
        break;
    case EVENT_CRASH:
        fprintf(con->out, " 0x%08lX at %s", (unsigned long)ev->hr,
                ev->handle ? text : "(no address)");
        break;
    case EVENT_LOGOFF:
        fprintf(con->out, " %s", hresult_format(ev->hr, hr, sizeof hr));
        break;
    case EVENT_DEBUG_OUTPUT: {
        /* Without the line end most debug strings carry. */
        size_t n = strlen(text);
        while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) {
            n--;
        }
        fprintf(con->out, " %.*s", (int)n, text);
        break;
    }
    default:
        fprintf(con->out, " %s", text);
        break;
    }
    fprintf(con->out, "\n");
    fflush(con->out);
}
