/*
 * report_html.c: the HTML report (docs/reports.md): one self-contained
 * page for a person to open after a failing run. No network, no file beside
 * it: the style sheet and the script (report_html/, embedded at build time)
 * are inline, and the JSON report's whole document rides in a script element
 * of type application/json that the script renders from.
 *
 * The header and the summary table are written here as plain HTML, so that
 * the verdicts read without the script; the script adds the filters and, as
 * each scenario is opened, its timeline (a canvas, whatever the number of
 * events) and its event list (only the rows in view exist).
 *
 * Text the run does not control (names, messages, notes, event texts) is
 * escaped: in HTML as entities, ill-formed UTF-8 and control characters as
 * "\xNN"; inside the script element every '<' is written "\u003c", which
 * JSON reads back as '<' and which leaves the HTML parser nothing to end
 * the element or open a comment with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_doc.h"
#include "report/report_file.h"
#include "report/report_html_assets.h"
#include "report/result.h"

/* s as HTML text or attribute value (double-quoted). */
static void html_text(FILE *f, const char *s)
{
    report_markup(f, s != NULL ? s : "", s != NULL ? strlen(s) : 0, MARKUP_HTML);
}

static int not_passed(enum scenario_status s)
{
    return s != STATUS_PASSED && s != STATUS_SKIPPED;
}

/* Does the run fail? With a baseline, as the baseline judges (docs/regression.md); without, when a scenario did not pass. */
static int run_fails(const struct run_report *r)
{
    for (size_t i = 0; i < r->count; i++) {
        if (r->baseline != NULL && r->judged != NULL ? baseline_verdict_fails(r->judged[i].verdict)
                                                     : not_passed(r->results[i].status)) {
            return 1;
        }
    }
    return 0;
}

static void head(FILE *f, const struct run_report *r, const size_t counts[STATUS_COUNT])
{
    size_t bad = r->count - counts[STATUS_PASSED] - counts[STATUS_SKIPPED];

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"synchost\">\n<title>synchost: ",
          f);
    if (bad > 0) {
        fprintf(f, "%zu of %zu did not pass", bad, r->count);
    } else {
        fprintf(f, "%zu scenario%s passed", counts[STATUS_PASSED],
                counts[STATUS_PASSED] == 1 ? "" : "s");
    }
    if (r->provider != NULL) {
        const char *base = strrchr(r->provider, '/');
        fputs(" \xe2\x80\x94 ", f);
        html_text(f, base != NULL ? base + 1 : r->provider);
    }
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n", report_html_css);
}

static void header(FILE *f, const struct run_report *r, const size_t counts[STATUS_COUNT])
{
    fprintf(f, "<header>\n<h1><span class=\"verdict %s\">%s</span> synchost report</h1>\n",
            run_fails(r) ? "bad" : "good", run_fails(r) ? "FAIL" : "PASS");
    fputs("<dl class=\"meta\">", f);
    fputs("<div><dt>provider</dt><dd>", f);
    html_text(f, r->provider != NULL ? r->provider : "each scenario's own (see below)");
    if (r->machine != NULL) {
        fputs(" (", f);
        html_text(f, r->machine);
        fputs(")", f);
    }
    fprintf(f, "</dd></div><div><dt>level</dt><dd>%s</dd></div>", rule_level_name(r->level));
    fprintf(f, "<div><dt>seed</dt><dd>%llu</dd></div>", (unsigned long long)r->seed);
    fprintf(f, "<div><dt>duration</dt><dd>%.1f s</dd></div>", (double)r->duration_ms / 1000.0);
    if (r->baseline != NULL && r->judged != NULL) {
        size_t n[BASELINE_VERDICT_COUNT] = {0};
        for (size_t i = 0; i < r->count; i++) {
            n[r->judged[i].verdict]++;
        }
        fputs("<div><dt>baseline</dt><dd>", f);
        html_text(f, r->baseline->path);
        fprintf(f, ": %zu new, %zu fixed, %zu known</dd></div>", n[BASELINE_NEW_FAILURE],
                n[BASELINE_FIXED], n[BASELINE_KNOWN_FAILURE]);
    }
    fputs("<div><dt>synchost</dt><dd>", f);
    html_text(f, r->version);
    fputs("</dd></div></dl>\n</header>\n", f);
    fputs("<nav id=\"filters\" aria-label=\"filters\">\n<span class=\"label\">status</span>", f);
    for (int s = 0; s < STATUS_COUNT; s++) {
        const char *st = scenario_status_name((enum scenario_status)s);
        if (counts[s] > 0) {
            fprintf(f,
                    "<button type=\"button\" class=\"chip st-%s\" data-status=\"%s\" "
                    "aria-pressed=\"true\">%s <b>%zu</b></button>",
                    st, st, st, counts[s]);
        }
    }
    fputs("\n</nav>\n", f);
}

/* The rule ids of a result's violations, space-separated, for filtering. */
static void rule_list(FILE *f, const struct scenario_result *res)
{
    for (size_t v = 0; v < res->judge.violation_count; v++) {
        if (v > 0) {
            fputc(' ', f);
        }
        html_text(f, res->judge.violations[v].rule);
    }
}

static void summary_row(FILE *f, const struct run_report *r, size_t i)
{
    const struct scenario_result *res = &r->results[i];
    const char *st = scenario_status_name(res->status);

    fprintf(f,
            "<tr id=\"row-%zu\" class=\"scenario-row st-%s\" data-index=\"%zu\" "
            "data-status=\"%s\" data-rules=\"",
            i, st, i, st);
    rule_list(f, res);
    fprintf(f, "\">\n<td class=\"num\">%zu</td><td><a href=\"#scenario-%zu\">", i + 1, i);
    html_text(f, res->sc->name);
    fputs("</a><div class=\"file\">", f);
    html_text(f, res->sc->file != NULL ? res->sc->file : "");
    if (r->provider == NULL && res->provider != NULL) {
        /* Each scenario names its own provider: say which. */
        const char *base = strrchr(res->provider, '/');
        fputs("</div><div class=\"file\">", f);
        html_text(f, base != NULL ? base + 1 : res->provider);
    }
    fprintf(f, "</div></td><td><span class=\"badge st-%s\">%s</span>", st, st);
    if (r->baseline != NULL && r->judged != NULL) {
        fprintf(f, "<div class=\"file\">baseline: %s</div>",
                baseline_verdict_name(r->judged[i].verdict));
    }
    fputs("</td><td class=\"viol\">", f);
    for (size_t v = 0; v < res->judge.violation_count; v++) {
        const struct violation *vi = &res->judge.violations[v];
        fputs("<div class=\"vline\"><span class=\"rule\">", f);
        html_text(f, vi->rule);
        fputs("</span> ", f);
        html_text(f, vi->message);
        if (vi->repeats > 0) {
            fprintf(f, " <span class=\"repeats\">(+%llu more)</span>",
                    (unsigned long long)vi->repeats);
        }
        fputs("</div>", f);
    }
    if (res->judge.violation_count == 0 && not_passed(res->status) && res->note[0] != '\0') {
        fputs("<div class=\"vline note\">", f);
        html_text(f, res->note);
        fputs("</div>", f);
    }
    fprintf(f, "</td><td class=\"num\">%llu ms</td></tr>\n", (unsigned long long)res->duration_ms);
}

static void summary(FILE *f, const struct run_report *r)
{
    fputs("<table id=\"summary\">\n<thead><tr><th class=\"num\">#</th><th>scenario</th>"
          "<th>status</th><th>violations</th><th class=\"num\">duration</th></tr></thead>\n"
          "<tbody>\n",
          f);
    for (size_t i = 0; i < r->count; i++) {
        summary_row(f, r, i);
    }
    fputs("</tbody>\n</table>\n", f);
}

/* The document as JSON inside a script element: '<' as "\u003c". */
static int data(FILE *f, const struct run_report *r)
{
    json_t *doc = report_json_doc(r);
    char *text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
    int rc = -1;

    json_decref(doc);
    if (text == NULL) {
        errno = ENOMEM;
        return -1;
    }
    fputs("<script type=\"application/json\" id=\"synchost-data\">", f);
    for (const char *p = text; *p != '\0';) {
        const char *lt = strchr(p, '<');
        size_t n = lt != NULL ? (size_t)(lt - p) : strlen(p);
        fwrite(p, 1, n, f);
        if (lt == NULL) {
            break;
        }
        fputs("\\u003c", f);
        p = lt + 1;
    }
    fputs("</script>\n", f);
    rc = ferror(f) ? -1 : 0;
    free(text);
    return rc;
}

static int page(FILE *f, void *ctx)
{
    const struct run_report *r = ctx;
    size_t counts[STATUS_COUNT];

    run_report_summary(r, counts);
    head(f, r, counts);
    fputs("<body>\n", f);
    header(f, r, counts);
    summary(f, r);
    fputs("<noscript><p>The timelines and filters need JavaScript; the table above has every "
          "verdict, the JSON report every event.</p></noscript>\n"
          "<main id=\"scenarios\"></main>\n",
          f);
    if (data(f, r) != 0) {
        return -1;
    }
    fprintf(f, "<script>\n%s</script>\n</body>\n</html>\n", report_html_js);
    return ferror(f) ? -1 : 0;
}

int report_html_write(const struct run_report *r, const char *path)
{
    return report_file_write(path, page, (void *)r);
}
