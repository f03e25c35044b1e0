/*
 * console.c: the human-readable output (see console.h).
 *
 * Every string that comes from a scenario file, the provider or the worker
 * (scenario names, Progress and Error text, debug output, load details,
 * notes, violation messages, the worker's stderr, the provider's path) is
 * written through put_text(), which escapes what a terminal would act on, so
 * that such a string cannot forge a console line, move the cursor or recolour
 * the output: C0 controls and DEL as \n, \r, \t or \xNN; C1 controls
 * (U+0080 to U+009F) and the bidirectional overrides (U+202A to U+202E,
 * U+2066 to U+2069) as \uNNNN; bytes that are not UTF-8 as \xNN. A backslash
 * is left as it is (Windows paths stay readable), so "\n" in the output may
 * also be a backslash and an n in the text. The JSON report needs none of
 * this: jansson escapes every control character in JSON strings.
 */
#include "console.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "console_run.h"
#include "protocol/event_desc.h"
#include "trace/explain.h"
#include "text/hresult.h"
#include "text/escape.h"
#include "text/text_acts.h"

struct text_out {
    FILE *out;
    const char *newline;
    size_t width;
};

/* One character of put_text(). */
static void put_char(void *ctx, const unsigned char *p, size_t len, int32_t cp)
{
    struct text_out *t = ctx;
    char esc[TEXT_ESCAPE_MAX];
    const char *name = cp == '\n' ? "\\n" : cp == '\r' ? "\\r" : cp == '\t' ? "\\t" : NULL;

    if (cp == '\n' && t->newline != NULL) {
        fputs(t->newline, t->out);
    } else if (cp >= 0x20 && cp < 0x7F) {
        fputc(cp, t->out);
        t->width++;
    } else if (name != NULL) {
        fputs(name, t->out);
        t->width += 2;
    } else if (cp == TEXT_WALK_BYTE || cp < 0x80) {
        t->width += text_escape_byte(esc, p[0], TEXT_HEX_LOWER);
        fputs(esc, t->out);
    } else if (text_acts((uint32_t)cp)) {
        t->width += text_escape_cp(esc, (uint32_t)cp, TEXT_HEX_LOWER);
        fputs(esc, t->out);
    } else {
        fwrite(p, 1, len, t->out);
        t->width++;
    }
}

/* Writes n bytes of s escaped as the header says. A newline is written as
 * newline when that is not NULL (multi-line text, each line indented), else
 * as \n. Returns the number of characters written, for padding. */
static size_t put_text(FILE *out, const char *s, size_t n, const char *newline)
{
    struct text_out t = {out, newline, 0};

    text_walk(s, n, put_char, &t);
    return t.width;
}

size_t console_text(FILE *out, const char *s)
{
    return put_text(out, s, strlen(s), NULL);
}

/* put_text() of a NUL-terminated string on one line. */
static void put_line_text(FILE *out, const char *s)
{
    put_text(out, s, strlen(s), NULL);
}

void console_init(struct console *con, FILE *out, int quiet, int verbose)
{
    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");

    memset(con, 0, sizeof *con);
    con->quiet = quiet;
    con->verbose = verbose;
    con->out = out;
    /* https://no-color.org: set and not empty, whatever its value. */
    con->tty = isatty(fileno(out)) && (term == NULL || strcmp(term, "dumb") != 0);
    con->color = isatty(fileno(out)) && (no_color == NULL || *no_color == '\0');
}

void console_header(struct console *con, const struct run_report *r)
{
    if (con->quiet) {
        return;
    }
    console_progress_clear(con);
    fprintf(con->out, "synchost %s: %zu scenario%s, level %s, seed %llu\n", r->version, r->count,
            r->count == 1 ? "" : "s", rule_level_name(r->level), (unsigned long long)r->seed);
    if (r->provider != NULL) {
        fputs("provider ", con->out);
        put_line_text(con->out, r->provider);
        fprintf(con->out, " (%s)\n", r->machine != NULL ? r->machine : "?");
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

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static const char *color_of(enum scenario_status s)
{
    return s == STATUS_PASSED ? "\033[32m" : s == STATUS_SKIPPED ? "\033[33m" : "\033[31m";
}

struct frame_print {
    FILE *out;
    uint32_t thread; /* whose frames are being printed, 0 before the first */
    int any;
};

static void put_frame(void *ctx, const struct event *ev)
{
    struct frame_print *fp = ctx;

    if (!fp->any || ev->thread != fp->thread || ev->index == 0) {
        fprintf(fp->out, "        stack of thread %lu:\n", (unsigned long)ev->thread);
    }
    fp->any = 1;
    fp->thread = ev->thread;
    fprintf(fp->out, "          #%-2lu 0x%016llx  ", (unsigned long)ev->index,
            (unsigned long long)ev->handle);
    put_line_text(fp->out, ev->text != NULL ? ev->text : "?");
    fputc('\n', fp->out);
}

/* The frame a person looks at first under a crash or a hang: the first
 * frame (in the trace's order: the faulting thread's come first after a
 * crash) in the provider's own DLL, else the first frame of all. */
struct fault_frame {
    const char *dll; /* the provider's file name, or NULL */
    size_t dll_len;
    const struct event *first, *in_dll;
};

static void find_fault_frame(void *ctx, const struct event *ev)
{
    struct fault_frame *ff = ctx;
    const char *text = ev->text != NULL ? ev->text : "";

    if (ff->first == NULL) {
        ff->first = ev;
    }
    if (ff->in_dll == NULL && ff->dll != NULL && strncasecmp(text, ff->dll, ff->dll_len) == 0 &&
        text[ff->dll_len] == '+') {
        ff->in_dll = ev;
    }
}

/* By default, all a crash or a hang adds to its lines: one frame. */
static void put_fault_frame(struct console *con, const struct scenario_result *res)
{
    struct fault_frame ff = {NULL, 0, NULL, NULL};
    const struct event *ev;

    if (res->provider != NULL) {
        const char *slash = strrchr(res->provider, '/'), *back = strrchr(res->provider, '\\');
        ff.dll = slash == NULL || (back != NULL && back > slash) ? back : slash;
        ff.dll = ff.dll != NULL ? ff.dll + 1 : res->provider;
        ff.dll_len = strlen(ff.dll);
    }
    explain_frames(&res->trace, find_fault_frame, &ff);
    ev = ff.in_dll != NULL ? ff.in_dll : ff.first;
    if (ev == NULL) {
        return;
    }
    fprintf(con->out, "        at frame #%lu of thread %lu: ", (unsigned long)ev->index,
            (unsigned long)ev->thread);
    put_line_text(con->out, ev->text != NULL ? ev->text : "?");
    fputc('\n', con->out);
}

/* Under a crash or a timeout: the provider's last call into the host, the
 * last events (unless they were printed live) and the stacks the worker
 * sent; under every failure, the commands that rerun it alone. By default
 * (not verbose) a crash or a timeout shows only its faulting frame: the rest
 * is in the JSON and HTML reports, and the end of the run says so. */
static void put_explanation(struct console *con, const struct scenario_result *res)
{
    const struct event *last[EXPLAIN_LAST_EVENTS];
    const struct event *call;
    struct frame_print fp = {con->out, 0, 0};
    char text[EXPLAIN_CALL_MAX];
    size_t n;
    int fault = res->status == STATUS_CRASHED || res->status == STATUS_TIMED_OUT;

    if (res->status == STATUS_PASSED || res->status == STATUS_SKIPPED ||
        res->status == STATUS_INTERRUPTED || res->harness_failure) {
        return;
    }
    if (!con->verbose) {
        if (fault) {
            put_fault_frame(con, res);
        }
        return;
    }
    if (fault) {
        call = explain_last_host_call(&res->trace);
        if (call != NULL) {
            explain_host_call(call, text, sizeof text);
            fputs("        last host call: ", con->out);
            put_line_text(con->out, text);
            fprintf(con->out, " on thread %lu (event %lu)\n", (unsigned long)call->thread,
                    (unsigned long)call->seq);
        }
        n = con->live ? 0 : explain_last_events(&res->trace, last);
        if (n > 0) {
            fputs("        last events:\n", con->out);
        }
        for (size_t i = 0; i < n; i++) {
            fputs("      ", con->out);
            console_event(res, last[i], con);
        }
        if (!con->live) {
            explain_frames(&res->trace, put_frame, &fp);
        }
    }
    if (res->rerun_synchost != NULL) {
        fputs("        rerun alone: ", con->out);
        put_line_text(con->out, res->rerun_synchost);
        fputc('\n', con->out);
    }
    if (res->rerun_winedbg != NULL) {
        fputs("        " RERUN_DEBUGGER_LABEL ": ", con->out);
        put_line_text(con->out, res->rerun_winedbg);
        fputc('\n', con->out);
    }
    if (res->rerun_windbg != NULL) {
        fputs("        in WinDbg: ", con->out);
        put_line_text(con->out, res->rerun_windbg);
        fputc('\n', con->out);
    }
}

int console_shows(const struct console *con, const struct scenario_result *res)
{
    /* A skip keeps its line by default: its reason is a choice someone made. */
    int passed = res->status == STATUS_PASSED || res->status == STATUS_SKIPPED;

    return !con->quiet && !(passed && con->only_failed) &&
           !(res->status == STATUS_PASSED && !con->verbose);
}

/* "RULE [LEVEL] MESSAGE (event N) (+N more)", on the current line. */
static void put_violation(struct console *con, const struct violation *v)
{
    fprintf(con->out, "%s [%s] ", v->rule,
            strncmp(v->rule, "expect.", 7) == 0 ? "expect" : rule_level_name(v->level));
    put_line_text(con->out, v->message);
    if (v->event >= 0) {
        fprintf(con->out, " (event %lld)", (long long)v->event);
    }
    if (v->repeats > 0) {
        fprintf(con->out, " (+%llu more)", (unsigned long long)v->repeats);
    }
}

/* The status line: status, name, duration, what the call returned and what
 * Done said; by default the first violation follows on the same line. */
static void put_status_line(struct console *con, const struct scenario_result *res)
{
    char got[64];
    uint32_t hr;

    fprintf(con->out, "%s%s%s ", con->color ? color_of(res->status) : "", label(res->status),
            con->color ? "\033[0m" : "");
    fprintf(
        con->out, "%*s %5llu ms",
        (int)(28 - min_size(28, put_text(con->out, res->sc->name, strlen(res->sc->name), NULL))),
        "", (unsigned long long)res->duration_ms);
    if (judge_returned(&res->judge, &hr)) {
        fprintf(con->out, "  returned %s", hresult_format(hr, got, sizeof got));
    }
    if (judge_done(&res->judge, &hr)) {
        fprintf(con->out, ", Done(%s)", hresult_format(hr, got, sizeof got));
    }
    if (!con->verbose && res->judge.violation_count > 0) {
        fputs(" | ", con->out);
        put_violation(con, &res->judge.violations[0]);
    }
    fputc('\n', con->out);
}

/* By default a note is shown only where no violation says why the status,
 * or where the scenario run again alone ended otherwise (the failure depends
 * on what ran before it in the worker). */
static int note_shown(const struct console *con, const struct scenario_result *res)
{
    return con->verbose || (res->status != STATUS_PASSED && res->judge.violation_count == 0) ||
           (res->ran_alone && res->alone_status != res->status);
}

void console_result(const struct scenario_result *res, void *ctx)
{
    struct console *con = ctx;

    con->done++;
    con->busy_ms += res->duration_ms;
    if (res->status != STATUS_PASSED && res->status != STATUS_SKIPPED &&
        res->status != STATUS_INTERRUPTED) {
        con->failed++;
    }
    if (!console_shows(con, res)) {
        return;
    }
    console_progress_clear(con);
    put_status_line(con, res);
    for (size_t i = con->verbose ? 0 : 1; i < res->judge.violation_count; i++) {
        fputs("        ", con->out);
        put_violation(con, &res->judge.violations[i]);
        fputc('\n', con->out);
    }
    if (res->note[0] != '\0' && note_shown(con, res)) {
        fputs("        note: ", con->out);
        put_line_text(con->out, res->note);
        fputc('\n', con->out);
    }
    put_explanation(con, res);
    if (res->worker_stderr != NULL && (con->verbose || res->status == STATUS_ERRORED)) {
        /* Each line indented, so that none can pass for synchost's own. */
        fputs("        worker stderr:\n          | ", con->out);
        put_text(con->out, res->worker_stderr, res->worker_stderr_len, "\n          | ");
        fputc('\n', con->out);
    }
    fflush(con->out);
}

void console_summary(struct console *con, const struct run_report *r)
{
    size_t c[STATUS_COUNT];

    console_progress_clear(con);
    if (con->quiet) {
        return;
    }
    run_report_summary(r, c);
    /* In colour the passes count green: by default the only sign of them. */
    fprintf(con->out,
            "%zu scenario%s: %s%zu passed%s, %zu failed, %zu crashed, %zu timed out, %zu errored",
            r->count, r->count == 1 ? "" : "s",
            con->color && c[STATUS_PASSED] > 0 ? color_of(STATUS_PASSED) : "", c[STATUS_PASSED],
            con->color && c[STATUS_PASSED] > 0 ? "\033[0m" : "", c[STATUS_FAILED],
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

/* One "{name[:format]}" of an event's line (events.def says them all). */
static void put_event_field(FILE *out, const struct event *ev, const char *name, size_t len,
                            const char *fmt, size_t fmt_len)
{
    char buf[HRESULT_NAME_MAX + SYNC_FLAGS_FORMAT_MAX];
    const char *text = ev->text != NULL ? ev->text : "";
    int m = event_member_from_name(name, len);
    uint64_t v = m >= 0 ? event_member(ev, (enum event_member)m) : 0;

#define IS(s, n, lit) ((n) == sizeof(lit) - 1 && memcmp((s), (lit), (n)) == 0)
    if (IS(name, len, "text")) {
        size_t n = strlen(text);
        /* Without the line end most debug strings carry. */
        while (IS(fmt, fmt_len, "trimmed") && n > 0 &&
               (text[n - 1] == '\n' || text[n - 1] == '\r')) {
            n--;
        }
        put_text(out, text, n, NULL);
    } else if (IS(name, len, "state")) {
        if (ev->text_state != TEXT_OK && ev->text_state != TEXT_NONE) {
            fprintf(out, " text %s", text_state_name(ev->text_state));
        }
    } else if (m < 0) {
        fputs("{?}", out);
    } else if (m == EV_HR) {
        if (IS(fmt, fmt_len, "code")) {
            fprintf(out, "0x%08lX", (unsigned long)v);
        } else {
            fputs(hresult_format((uint32_t)v, buf, sizeof buf), out);
        }
    } else if (IS(fmt, fmt_len, "x")) {
        fprintf(out, "0x%llx", (unsigned long long)v);
    } else if (IS(fmt, fmt_len, "x16")) {
        fprintf(out, "0x%016llx", (unsigned long long)v);
    } else if (IS(fmt, fmt_len, "-2")) {
        fprintf(out, "%-2llu", (unsigned long long)v);
    } else if (IS(fmt, fmt_len, "mib")) {
        fprintf(out, "%llu", (unsigned long long)(v >> 20));
    } else if (IS(fmt, fmt_len, "names")) {
        fputs(sync_flags_format((uint32_t)v, buf, sizeof buf), out);
    } else if (IS(fmt, fmt_len, "load")) {
        fputs(load_step_name((enum load_step)v), out);
    } else if (IS(fmt, fmt_len, "fast")) {
        fputs(fast_step_name((enum fast_step)v), out);
    } else {
        fprintf(out, "%llu", (unsigned long long)v);
    }
#undef IS
}

void console_event(const struct scenario_result *res, const struct event *ev, void *ctx)
{
    struct console *con = ctx;
    FILE *out = con->out;

    (void)res;
    console_progress_clear(con);
    fprintf(out, "  #%-4lu %9.3f ms  tid %-5lu %-14s", (unsigned long)ev->seq,
            (double)ev->t_us / 1000.0, (unsigned long)ev->thread, event_kind_name(ev->kind));
    /* The kind's line (events.def): its text as it is, each "{...}" filled. */
    for (const char *p = event_line(ev); *p != '\0';) {
        const char *open = strchr(p, '{'), *close, *colon;
        if (open == NULL || (close = strchr(open, '}')) == NULL) {
            fputs(p, out);
            break;
        }
        fwrite(p, 1, (size_t)(open - p), out);
        colon = memchr(open, ':', (size_t)(close - open));
        put_event_field(out, ev, open + 1, (size_t)((colon != NULL ? colon : close) - open - 1),
                        colon != NULL ? colon + 1 : close,
                        colon != NULL ? (size_t)(close - colon - 1) : 0);
        p = close + 1;
    }
    if (ev->call != 0) {
        fprintf(out, " [call %lu]", (unsigned long)ev->call);
    }
    fprintf(out, "\n");
    fflush(out);
}
