/*
 * report_junit.c: the JUnit XML report (docs/reports.md), in the shape
 * Jenkins, GitLab and GitHub's test-report actions read: a testsuite per
 * provider DLL, a testcase per scenario run. Text XML 1.0 cannot carry
 * (control characters, ill-formed UTF-8, U+FFFE/U+FFFF) is written as
 * "\xNN", so that the file always parses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/explain.h"
#include "text/hresult.h"
#include "report/report_file.h"
#include "report/result.h"

/* The most debug output one testcase's system-out carries, in bytes. */
#define JUNIT_DEBUG_OUTPUT_MAX 65536u

/* n bytes of s (NULs too) escaped for XML 1.0 text (attr 0) or a
 * double-quoted attribute (attr 1). */
static void xml_textn(FILE *f, const char *s, size_t n, int attr)
{
    report_markup(f, s, n, attr ? MARKUP_XML_ATTR : MARKUP_XML_TEXT);
}

/* The string s escaped, as xml_textn. */
static void xml_text(FILE *f, const char *s, int attr)
{
    xml_textn(f, s != NULL ? s : "", s != NULL ? strlen(s) : 0, attr);
}

static void xml_attr(FILE *f, const char *name, const char *value)
{
    fprintf(f, " %s=\"", name);
    xml_text(f, value, 1);
    fputc('"', f);
}

/* The file name after the last '/': the provider's path is a Linux path,
 * in which a backslash is a character of the name like any other. */
static const char *base_name(const char *path)
{
    const char *b = path;

    for (const char *p = path; *p != '\0'; p++) {
        if (*p == '/') {
            b = p + 1;
        }
    }
    return b;
}

static const char *provider_of(const struct run_report *r, const struct scenario_result *res)
{
    const char *p = res->provider != NULL ? res->provider : r->provider;
    return p != NULL ? p : "";
}

/* "rule [level] message (event N)" */
static void violation_line(FILE *f, const struct violation *v)
{
    xml_text(f, v->rule, 0);
    fprintf(f, " [%s] ",
            strncmp(v->rule, "expect.", 7) == 0 ? "expect" : rule_level_name(v->level));
    xml_text(f, v->message, 0);
    if (v->event >= 0) {
        fprintf(f, " (event %lld)", (long long)v->event);
    }
    if (v->repeats > 0) {
        fprintf(f, " (and %llu more)", (unsigned long long)v->repeats);
    }
    fputc('\n', f);
}

/* failure for a failed run, error for one that crashed, timed out, errored
 * or was interrupted, skipped for a skipped one. */
static void verdict_element(FILE *f, const struct scenario_result *res)
{
    const struct judge *j = &res->judge;
    const char *tag = res->status == STATUS_FAILED ? "failure" : "error";
    char message[700];

    if (res->status == STATUS_PASSED) {
        return;
    }
    if (res->status == STATUS_SKIPPED) {
        fputs("      <skipped", f);
        xml_attr(f, "message", res->note);
        fputs("/>\n", f);
        return;
    }
    if (j->violation_count > 0) {
        snprintf(message, sizeof message, "%s: %s", j->violations[0].rule,
                 j->violations[0].message);
    } else {
        snprintf(message, sizeof message, "%s",
                 res->note[0] != '\0' ? res->note : scenario_status_name(res->status));
    }
    fprintf(f, "      <%s", tag);
    xml_attr(f, "message", message);
    xml_attr(f, "type", scenario_status_name(res->status));
    fputs(">", f);
    for (size_t i = 0; i < j->violation_count; i++) {
        violation_line(f, &j->violations[i]);
    }
    if (res->status != STATUS_FAILED && res->note[0] != '\0') {
        xml_text(f, res->note, 0);
        fputc('\n', f);
    }
    fprintf(f, "</%s>\n", tag);
}

struct debug_out {
    FILE *f;
    size_t written;
};

static void put_debug_output(void *ctx, const struct event *ev)
{
    struct debug_out *d = ctx;
    char line[EVENT_TEXT_MAX + 1];
    size_t len;

    if (ev->kind != EVENT_DEBUG_OUTPUT || ev->text == NULL) {
        return;
    }
    if (d->written >= JUNIT_DEBUG_OUTPUT_MAX) {
        d->written = (size_t)-1; /* said once below */
        return;
    }
    if (d->written == 0) {
        fputs("debug output:\n", d->f);
    }
    /* One line each: the provider's own line break dropped. */
    len = strlen(ev->text);
    while (len > 0 && (ev->text[len - 1] == '\n' || ev->text[len - 1] == '\r')) {
        len--;
    }
    if (len >= sizeof line) {
        len = sizeof line - 1;
    }
    memcpy(line, ev->text, len);
    line[len] = '\0';
    fprintf(d->f, "  [thread %lu] ", (unsigned long)ev->thread);
    xml_text(d->f, line, 0);
    fputc('\n', d->f);
    d->written += len + 1;
}

/* Under a run that did not pass: the provider's last call into the host and
 * the last events; the commands that rerun it. */
static void explanation(FILE *f, const struct scenario_result *res)
{
    const struct event *last[EXPLAIN_LAST_EVENTS];
    const struct event *call = explain_last_host_call(&res->trace);
    char text[EXPLAIN_CALL_MAX];
    size_t n = explain_last_events(&res->trace, last);

    if (call != NULL) {
        explain_host_call(call, text, sizeof text);
        fputs("last host call: ", f);
        xml_text(f, text, 0);
        fprintf(f, " on thread %lu (event %lu)\n", (unsigned long)call->thread,
                (unsigned long)call->seq);
    }
    if (n > 0) {
        fputs("last events:\n", f);
    }
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "  event %lu thread %lu %s", (unsigned long)last[i]->seq,
                (unsigned long)last[i]->thread, event_kind_name(last[i]->kind));
        if (explain_is_host_call(last[i]->kind)) {
            explain_host_call(last[i], text, sizeof text);
            fputs(": ", f);
            xml_text(f, text, 0);
        }
        fputc('\n', f);
    }
    if (res->rerun_synchost != NULL) {
        fputs("rerun alone: ", f);
        xml_text(f, res->rerun_synchost, 0);
        fputc('\n', f);
    }
}

static void system_out(FILE *f, const struct scenario_result *res)
{
    struct debug_out d = {f, 0};
    char hr[32];
    uint32_t code;

    fputs("      <system-out>", f);
    fprintf(f, "status: %s\n", scenario_status_name(res->status));
    if (res->note[0] != '\0') {
        fputs("note: ", f);
        xml_text(f, res->note, 0);
        fputc('\n', f);
    }
    if (judge_returned(&res->judge, &code)) {
        fprintf(f, "returned: %s\n", hresult_format(code, hr, sizeof hr));
    }
    if (judge_done(&res->judge, &code)) {
        fprintf(f, "Done: %s\n", hresult_format(code, hr, sizeof hr));
    }
    if (res->status != STATUS_PASSED && res->status != STATUS_SKIPPED) {
        explanation(f, res);
    }
    trace_visit(&res->trace, put_debug_output, &d);
    if (d.written == (size_t)-1) {
        fprintf(f, "  (debug output cut at %u bytes; the JSON report has it all)\n",
                JUNIT_DEBUG_OUTPUT_MAX);
    }
    fputs("</system-out>\n", f);
    if (res->worker_stderr != NULL && res->worker_stderr_len > 0) {
        /* XML 1.0 cannot hold a NUL: it is written \x00, as other controls. */
        fputs("      <system-err>", f);
        xml_textn(f, res->worker_stderr, res->worker_stderr_len, 0);
        fputs("</system-err>\n", f);
    }
}

static void testcase(FILE *f, const struct run_report *r, const struct scenario_result *res)
{
    char classname[64];
    const char *file = res->sc->file != NULL ? res->sc->file : "";

    /* The built-in suite by level; a scenario file by its path. */
    if (file[0] == '\0' || strncmp(file, "<builtin>", 9) == 0) {
        snprintf(classname, sizeof classname, "synchost.%s", rule_level_name(r->level));
        file = classname;
    }
    fputs("    <testcase", f);
    xml_attr(f, "name", res->sc->name);
    xml_attr(f, "classname", file);
    fprintf(f, " time=\"%.3f\">\n", (double)res->duration_ms / 1000.0);
    verdict_element(f, res);
    system_out(f, res);
    fputs("    </testcase>\n", f);
}

struct junit_counts {
    size_t tests, failures, errors, skipped;
    uint64_t ms;
};

static void count(struct junit_counts *c, const struct scenario_result *res)
{
    c->tests++;
    c->ms += res->duration_ms;
    c->failures += res->status == STATUS_FAILED;
    c->skipped += res->status == STATUS_SKIPPED;
    c->errors += res->status != STATUS_FAILED && res->status != STATUS_SKIPPED &&
                 res->status != STATUS_PASSED;
}

static void counts_attrs(FILE *f, const struct junit_counts *c, uint64_t ms)
{
    fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\"",
            c->tests, c->failures, c->errors, c->skipped, (double)ms / 1000.0);
}

/* The testsuite of the results whose provider is that of results[first]. */
static void testsuite(FILE *f, const struct run_report *r, size_t first)
{
    const char *prov = provider_of(r, &r->results[first]);
    struct junit_counts c = {0};

    for (size_t i = first; i < r->count; i++) {
        if (strcmp(provider_of(r, &r->results[i]), prov) == 0) {
            count(&c, &r->results[i]);
        }
    }
    fputs("  <testsuite", f);
    xml_attr(f, "name", prov[0] != '\0' ? base_name(prov) : "synchost");
    counts_attrs(f, &c, c.ms);
    fputs(">\n    <properties>\n", f);
    fputs("      <property name=\"provider\"", f);
    xml_attr(f, "value", prov);
    fputs("/>\n", f);
    /* The architecture the DLL ran as: the worker of its own machine. */
    for (size_t i = first; i < r->count; i++) {
        if (r->results[i].machine != NULL && strcmp(provider_of(r, &r->results[i]), prov) == 0) {
            fprintf(f, "      <property name=\"machine\" value=\"%s\"/>\n", r->results[i].machine);
            break;
        }
    }
    fprintf(f, "      <property name=\"level\" value=\"%s\"/>\n", rule_level_name(r->level));
    fprintf(f, "      <property name=\"seed\" value=\"%llu\"/>\n", (unsigned long long)r->seed);
    for (size_t i = 0; i < r->rule_skip_count; i++) {
        /* One property per rule skipped: "RULE: REASON". */
        char value[1024];
        snprintf(value, sizeof value, "%s: %s", r->rule_skips[i].rule,
                 r->rule_skips[i].reason != NULL ? r->rule_skips[i].reason : "");
        fputs("      <property name=\"skipped-rule\"", f);
        xml_attr(f, "value", value);
        fputs("/>\n", f);
    }
    fputs("    </properties>\n", f);
    for (size_t i = first; i < r->count; i++) {
        if (strcmp(provider_of(r, &r->results[i]), prov) == 0) {
            testcase(f, r, &r->results[i]);
        }
    }
    fputs("  </testsuite>\n", f);
}

static int junit_write(FILE *f, void *ctx)
{
    const struct run_report *r = ctx;
    struct junit_counts all = {0};
    const char **seen;
    size_t nseen = 0;

    for (size_t i = 0; i < r->count; i++) {
        count(&all, &r->results[i]);
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"synchost\"", f);
    counts_attrs(f, &all, r->duration_ms);
    fputs(">\n", f);
    /* A testsuite per provider, in the order each first appears. */
    seen = calloc(r->count + 1, sizeof *seen);
    if (seen == NULL) {
        return -1;
    }
    for (size_t i = 0; i < r->count; i++) {
        const char *prov = provider_of(r, &r->results[i]);
        size_t k = 0;
        while (k < nseen && strcmp(seen[k], prov) != 0) {
            k++;
        }
        if (k == nseen) {
            seen[nseen++] = prov;
            testsuite(f, r, i);
        }
    }
    free(seen);
    fputs("</testsuites>\n", f);
    return ferror(f) ? -1 : 0;
}

int report_junit_write(const struct run_report *r, const char *path)
{
    return report_file_write(path, junit_write, (void *)r);
}
