/*
 * report_tap.c: the TAP version 13 report (docs/reports.md): "ok" or
 * "not ok" per scenario run, "# SKIP" with the reason for a skipped one, and
 * a YAML diagnostics block under each. Descriptions are kept to one line
 * without '#' (escaped as "\#"); YAML strings are double-quoted. Both escape
 * what the console escapes (text_acts.h) and every ill-formed UTF-8 byte.
 */
#include <stdio.h>
#include <string.h>

#include "report/report_file.h"
#include "report/result.h"
#include "text/escape.h"
#include "text/text_acts.h"

/* One character of a TAP description or directive: no line breaks, '#'
 * escaped, C0 controls, DEL and ill-formed bytes as "\xNN", C1 and
 * bidirectional controls as "\uNNNN" (text_acts.h). */
static void tap_char(void *ctx, const unsigned char *p, size_t len, int32_t cp)
{
    FILE *f = ctx;
    char esc[TEXT_ESCAPE_MAX];

    if (cp == TEXT_WALK_BYTE || (cp < 0x80 && text_acts((uint32_t)cp))) {
        text_escape_byte(esc, p[0], TEXT_HEX_UPPER);
        fputs(esc, f);
    } else if (text_acts((uint32_t)cp)) {
        text_escape_cp(esc, (uint32_t)cp, TEXT_HEX_UPPER);
        fputs(esc, f);
    } else if (cp == '#' || cp == '\\') {
        fputc('\\', f);
        fputc(cp, f);
    } else {
        fwrite(p, 1, len, f);
    }
}

static void tap_text(FILE *f, const char *s)
{
    s = s != NULL ? s : "";
    text_walk(s, strlen(s), tap_char, f);
}

/* One character of a YAML double-quoted scalar; an ill-formed byte as
 * U+00NN would be, "\xNN": the byte is not text. */
static void yaml_char(void *ctx, const unsigned char *p, size_t len, int32_t cp)
{
    FILE *f = ctx;
    char esc[TEXT_ESCAPE_MAX];

    if (cp == TEXT_WALK_BYTE) {
        text_escape_byte(esc, p[0], TEXT_HEX_UPPER);
        fputs(esc, f);
    } else if (cp == '"' || cp == '\\') {
        fputc('\\', f);
        fputc(cp, f);
    } else if (cp == '\n') {
        fputs("\\n", f);
    } else if (cp == '\t') {
        fputs("\\t", f);
    } else if (text_acts((uint32_t)cp) || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF) {
        text_escape_cp(esc, (uint32_t)cp, TEXT_HEX_UPPER);
        fputs(esc, f);
    } else {
        fwrite(p, 1, len, f);
    }
}

/* s as a YAML double-quoted scalar. */
static void yaml_string(FILE *f, const char *s)
{
    s = s != NULL ? s : "";
    fputc('"', f);
    text_walk(s, strlen(s), yaml_char, f);
    fputc('"', f);
}

static void diagnostics(FILE *f, const struct scenario_result *res)
{
    const struct judge *j = &res->judge;

    fputs("  ---\n", f);
    fprintf(f, "  status: %s\n", scenario_status_name(res->status));
    fputs("  file: ", f);
    yaml_string(f, res->sc->file != NULL ? res->sc->file : "");
    fputc('\n', f);
    if (res->provider != NULL) {
        fputs("  provider: ", f);
        yaml_string(f, res->provider);
        fputc('\n', f);
    }
    fprintf(f, "  duration_ms: %llu\n", (unsigned long long)res->duration_ms);
    if (res->note[0] != '\0') {
        fputs("  note: ", f);
        yaml_string(f, res->note);
        fputc('\n', f);
    }
    if (j->violation_count > 0) {
        fputs("  violations:\n", f);
    }
    for (size_t i = 0; i < j->violation_count; i++) {
        const struct violation *v = &j->violations[i];
        fputs("    - rule: ", f);
        yaml_string(f, v->rule);
        fprintf(f, "\n      level: %s\n      message: ",
                strncmp(v->rule, "expect.", 7) == 0 ? "expect" : rule_level_name(v->level));
        yaml_string(f, v->message);
        if (v->event >= 0) {
            fprintf(f, "\n      event: %lld\n", (long long)v->event);
        } else {
            fputs("\n      event: null\n", f);
        }
    }
    if (res->rerun_synchost != NULL && res->status != STATUS_PASSED &&
        res->status != STATUS_SKIPPED) {
        fputs("  rerun: ", f);
        yaml_string(f, res->rerun_synchost);
        fputc('\n', f);
    }
    fputs("  ...\n", f);
}

static int tap_write(FILE *f, void *ctx)
{
    const struct run_report *r = ctx;

    fprintf(f, "TAP version 13\n1..%zu\n", r->count);
    for (size_t i = 0; i < r->rule_skip_count; i++) {
        fputs("# skipped rule ", f);
        tap_text(f, r->rule_skips[i].rule);
        fputs(": ", f);
        tap_text(f, r->rule_skips[i].reason);
        fputc('\n', f);
    }
    for (size_t i = 0; i < r->count; i++) {
        const struct scenario_result *res = &r->results[i];
        int ok = res->status == STATUS_PASSED || res->status == STATUS_SKIPPED;
        fprintf(f, "%s %zu - ", ok ? "ok" : "not ok", i + 1);
        tap_text(f, res->sc->name);
        if (res->status == STATUS_SKIPPED) {
            fputs(" # SKIP ", f);
            tap_text(f, res->note[0] != '\0' ? res->note : "skipped");
        }
        fputc('\n', f);
        diagnostics(f, res);
    }
    return ferror(f) ? -1 : 0;
}

int report_tap_write(const struct run_report *r, const char *path)
{
    return report_file_write(path, tap_write, (void *)r);
}
