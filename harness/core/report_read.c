/*
 * report_read.c: a previous JSON report read back (see report_read.h).
 */
#include "report_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(char *err, size_t cap, const char *name, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(err, cap, "%s: ", name);

    if (n >= 0 && (size_t)n < cap) {
        va_start(ap, fmt);
        vsnprintf(err + n, cap - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int report_status_parse(const char *name, enum scenario_status *out)
{
    for (int i = 0; i < STATUS_COUNT; i++) {
        if (strcmp(name, scenario_status_name((enum scenario_status)i)) == 0) {
            *out = (enum scenario_status)i;
            return 0;
        }
    }
    return -1;
}

static int ends_with_path(const char *longer, const char *shorter)
{
    size_t a = strlen(longer), b = strlen(shorter);
    return a > b && longer[a - b - 1] == '/' && strcmp(longer + a - b, shorter) == 0;
}

/* The built-in suite's files are scripts/suites/conformance's, wherever
 * that folder is: "<builtin>/" stands for any folder. */
static const char *strip_builtin(const char *path)
{
    static const char prefix[] = "<builtin>/";
    return strncmp(path, prefix, sizeof prefix - 1) == 0 ? path + sizeof prefix - 1 : path;
}

int report_file_matches(const char *want, const char *have)
{
    if (want == NULL || want[0] == '\0') {
        return 1;
    }
    if (have == NULL) {
        return 0;
    }
    if (strcmp(want, have) == 0) {
        return 1;
    }
    want = strip_builtin(want);
    have = strip_builtin(have);
    return strcmp(want, have) == 0 || ends_with_path(have, want) || ends_with_path(want, have);
}

static void run_free(struct report_run *run)
{
    free(run->name);
    free(run->file);
    for (size_t i = 0; i < run->rule_count; i++) {
        free(run->rules[i]);
    }
    free(run->rules);
}

void report_doc_free(struct report_doc *doc)
{
    for (size_t i = 0; i < doc->count; i++) {
        run_free(&doc->runs[i]);
    }
    free(doc->runs);
    doc->runs = NULL;
    doc->count = 0;
}

/* The rules of one scenario's "violations", each once. */
static int read_rules(const char *name, size_t index, json_t *vs, struct report_run *run, char *err,
                      size_t cap)
{
    size_t n = json_array_size(vs);

    run->rules = calloc(n + 1, sizeof *run->rules);
    if (run->rules == NULL) {
        return fail(err, cap, name, "out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        json_t *rule = json_object_get(json_array_get(vs, k), "rule");
        const char *id = json_string_value(rule);
        int seen = 0;
        if (id == NULL || id[0] == '\0') {
            return fail(err, cap, name,
                        "scenarios[%zu].violations[%zu] has no \"rule\" string; not a synchost "
                        "report",
                        index, k);
        }
        for (size_t m = 0; m < run->rule_count && !seen; m++) {
            seen = strcmp(run->rules[m], id) == 0;
        }
        if (!seen && (run->rules[run->rule_count++] = strdup(id)) == NULL) {
            return fail(err, cap, name, "out of memory");
        }
    }
    return 0;
}

static int read_run(const char *name, size_t index, json_t *sc, struct report_run *run, char *err,
                    size_t cap)
{
    const char *scn = json_string_value(json_object_get(sc, "name"));
    const char *status = json_string_value(json_object_get(sc, "status"));
    json_t *file = json_object_get(sc, "file");
    json_t *vs = json_object_get(sc, "violations");

    if (!json_is_object(sc) || scn == NULL || scn[0] == '\0') {
        return fail(err, cap, name, "scenarios[%zu] has no \"name\" string; not a synchost report",
                    index);
    }
    if (status == NULL || report_status_parse(status, &run->status) != 0) {
        return fail(err, cap, name, "scenarios[%zu] (%.100s) has no known \"status\"", index, scn);
    }
    if ((file != NULL && !json_is_string(file)) || (vs != NULL && !json_is_array(vs))) {
        return fail(err, cap, name,
                    "scenarios[%zu] (%.100s): \"file\" must be a string and \"violations\" a "
                    "list",
                    index, scn);
    }
    run->name = strdup(scn);
    run->file = strdup(file != NULL ? json_string_value(file) : "");
    if (run->name == NULL || run->file == NULL) {
        return fail(err, cap, name, "out of memory");
    }
    return read_rules(name, index, vs, run, err, cap); /* vs may be NULL: none */
}

static int read_doc(const char *name, json_t *root, struct report_doc *doc, char *err, size_t cap)
{
    json_t *list = json_object_get(root, "scenarios");
    const char *tool = json_string_value(json_object_get(root, "tool"));
    size_t n;

    if (!json_is_object(root) || tool == NULL || strcmp(tool, "synchost") != 0) {
        return fail(err, cap, name, "not a synchost JSON report (no \"tool\": \"synchost\")");
    }
    if (!json_is_array(list)) {
        return fail(err, cap, name, "not a synchost JSON report (no \"scenarios\" list)");
    }
    n = json_array_size(list);
    doc->runs = calloc(n + 1, sizeof *doc->runs);
    if (doc->runs == NULL) {
        return fail(err, cap, name, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        doc->count = i + 1;
        if (read_run(name, i, json_array_get(list, i), &doc->runs[i], err, cap) != 0) {
            return -1;
        }
    }
    return 0;
}

static int finish(const char *name, json_t *root, const json_error_t *jerr, struct report_doc *doc,
                  char *err, size_t cap)
{
    int rc;

    if (root == NULL) {
        if (jerr->line > 0) {
            snprintf(err, cap, "%s:%d:%d: not valid JSON: %s", name, jerr->line, jerr->column,
                     jerr->text);
        } else {
            snprintf(err, cap, "%s: %s", name, jerr->text);
        }
        return -1;
    }
    rc = read_doc(name, root, doc, err, cap);
    json_decref(root);
    if (rc != 0) {
        report_doc_free(doc);
    }
    return rc;
}

int report_read_file(const char *path, struct report_doc *doc, char *err, size_t cap)
{
    json_error_t jerr;
    json_t *root;

    memset(doc, 0, sizeof *doc);
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    return finish(path, root, &jerr, doc, err, cap);
}

int report_read_buffer(const char *name, const char *data, size_t len, struct report_doc *doc,
                       char *err, size_t cap)
{
    json_error_t jerr;
    json_t *root;

    memset(doc, 0, sizeof *doc);
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    return finish(name, root, &jerr, doc, err, cap);
}
