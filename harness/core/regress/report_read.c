/*
 * report_read.c: a previous JSON report read back (see report_read.h).
 */
#include "regress/report_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "text/readfile.h"
#include "yaml/yamldoc.h"

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
        char q[YAMLDOC_QUOTE_BUF];
        return fail(err, cap, name, "scenarios[%zu] ('%s') has no known \"status\"", index,
                    yamldoc_quote((const unsigned char *)scn, strlen(scn), q, sizeof q));
    }
    if ((file != NULL && !json_is_string(file)) || (vs != NULL && !json_is_array(vs))) {
        char q[YAMLDOC_QUOTE_BUF];
        return fail(err, cap, name,
                    "scenarios[%zu] ('%s'): \"file\" must be a string and \"violations\" a "
                    "list",
                    index, yamldoc_quote((const unsigned char *)scn, strlen(scn), q, sizeof q));
    }
    run->name = strdup(scn);
    run->file = strdup(file != NULL ? json_string_value(file) : "");
    if (run->name == NULL || run->file == NULL) {
        return fail(err, cap, name, "out of memory");
    }
    return read_rules(name, index, vs, run, err, cap); /* vs may be NULL: none */
}

/* Reading the document ------------------------------------------------
 *
 * A report of 100,000 scenarios is some 100 MB; as one jansson tree it
 * took ten times that. So the document is walked here, one top-level key
 * and one scenario at a time: jansson parses each scenario (and each other
 * value) alone, and it is freed before the next, so memory is the text plus
 * what is kept. Positions in messages are the whole text's. */

struct scan {
    const char *name, *data;
    size_t len, pos;
    char *err;
    size_t cap;
};

static void skip_space(struct scan *s)
{
    while (s->pos < s->len && strchr(" \t\r\n", s->data[s->pos]) != NULL && s->data[s->pos]) {
        s->pos++;
    }
}

/* "NAME:LINE:COL: " for byte offset at, then the words. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail_at(struct scan *s, size_t at, const char *fmt, ...)
{
    unsigned line = 1, col = 1;
    va_list ap;
    int n;

    for (size_t i = 0; i < at && i < s->len; i++) {
        line += s->data[i] == '\n';
        col = s->data[i] == '\n' ? 1 : col + 1;
    }
    n = snprintf(s->err, s->cap, "%s:%u:%u: ", s->name, line, col);
    if (n >= 0 && (size_t)n < s->cap) {
        va_start(ap, fmt);
        vsnprintf(s->err + n, s->cap - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* jansson's words for an error, with the token it quotes (" near '...'")
 * escaped and cut: the text is the file's, and may be anything. */
static const char *json_words(const json_error_t *jerr, char *buf, size_t cap)
{
    const char *near = strstr(jerr->text, " near '");
    size_t n = near != NULL ? (size_t)(near - jerr->text) : strlen(jerr->text), w = 0;

    for (size_t i = 0; i < n && w + 1 < cap; i++) {
        unsigned char c = (unsigned char)jerr->text[i];
        buf[w++] = c >= ' ' && c < 0x7f ? (char)c : '?';
    }
    buf[w] = '\0';
    if (near != NULL) {
        const char *tok = near + 7;
        size_t tlen = strlen(tok);
        char q[YAMLDOC_QUOTE_BUF];
        tlen -= tlen > 0 && tok[tlen - 1] == '\'';
        tlen = tlen > 24 ? 24 : tlen; /* enough to find it, too little to leak a secret */
        snprintf(buf + w, cap - w, " near '%s'",
                 yamldoc_quote((const unsigned char *)tok, tlen, q, sizeof q));
    }
    return buf;
}

/* Where the string starting at s->pos ends (past its closing quote), or 0. */
static size_t string_end(const struct scan *s)
{
    for (size_t i = s->pos + 1; i < s->len; i++) {
        if (s->data[i] == '\\') {
            i++;
        } else if (s->data[i] == '"') {
            return i + 1;
        }
    }
    return 0;
}

/* The JSON value at s->pos, parsed; s->pos moves past it. NULL with err
 * set when it is not valid JSON. */
static json_t *next_value(struct scan *s)
{
    size_t start = s->pos, end = start;
    char c = start < s->len ? s->data[start] : '\0';
    json_error_t jerr;
    json_t *v;
    char words[256];

    if (c == '{' || c == '[') {
        v = json_loadb(s->data + start, s->len - start,
                       JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &jerr);
        end = v != NULL ? start + (size_t)jerr.position : start;
    } else {
        if (c == '"') {
            end = string_end(s);
        } else {
            while (end < s->len && s->data[end] != '\0' &&
                   strchr("+-.0123456789Eeaflnrstu", s->data[end]) != NULL) {
                end++;
            }
        }
        if (end == 0 || end == start) {
            fail_at(s, start, "not valid JSON: %s",
                    end == 0 ? "a string does not end" : "a value was expected");
            return NULL;
        }
        v = json_loadb(s->data + start, end - start, JSON_DECODE_ANY, &jerr);
    }
    if (v == NULL) {
        fail_at(s, start + (jerr.position > 0 ? (size_t)jerr.position - 1 : 0),
                "not valid JSON: %s", json_words(&jerr, words, sizeof words));
        return NULL;
    }
    s->pos = end;
    return v;
}

/* Past white space, then one of the characters of want (returned), or 0
 * with err set. */
static char expect(struct scan *s, const char *want, const char *words)
{
    char c;

    skip_space(s);
    c = s->pos < s->len ? s->data[s->pos] : '\0';
    if (c == '\0' || strchr(want, c) == NULL) {
        fail_at(s, s->pos, "not valid JSON: %s expected", words);
        return '\0';
    }
    s->pos++;
    return c;
}

/* The "scenarios" list, s->pos at its '['. */
static int read_scenarios(struct scan *s, struct report_doc *doc)
{
    size_t room = 0;
    char c;

    s->pos++;
    skip_space(s);
    if (s->pos < s->len && s->data[s->pos] == ']') {
        s->pos++;
        return 0;
    }
    do {
        json_t *sc;
        int rc;
        skip_space(s);
        if ((sc = next_value(s)) == NULL) {
            return -1;
        }
        if (doc->count == room) {
            size_t more = room ? room * 2 : 256;
            struct report_run *grown = realloc(doc->runs, more * sizeof *grown);
            if (grown == NULL) {
                json_decref(sc);
                return fail(s->err, s->cap, s->name, "out of memory");
            }
            doc->runs = grown;
            room = more;
        }
        memset(&doc->runs[doc->count], 0, sizeof doc->runs[0]);
        doc->count++;
        rc = read_run(s->name, doc->count - 1, sc, &doc->runs[doc->count - 1], s->err, s->cap);
        json_decref(sc);
        if (rc != 0) {
            return -1;
        }
    } while ((c = expect(s, ",]", "',' or ']'")) == ',');
    return c == ']' ? 0 : -1;
}

/* One top-level key and its value. *tool is set to 1 for "tool":
 * "synchost", -1 for another tool; *list to 1 once "scenarios" is read. */
static int read_member(struct scan *s, struct report_doc *doc, int *tool, int *list)
{
    const char *key;
    json_t *k, *v;
    size_t at;
    int rc = 0;

    skip_space(s);
    at = s->pos;
    if (s->pos >= s->len || s->data[s->pos] != '"') {
        return fail_at(s, s->pos, "not valid JSON: a key string expected");
    }
    if ((k = next_value(s)) == NULL) {
        return -1;
    }
    key = json_string_value(k);
    if ((strcmp(key, "tool") == 0 && *tool != 0) || (strcmp(key, "scenarios") == 0 && *list)) {
        json_decref(k);
        return fail_at(s, at, "not valid JSON: duplicate object key");
    }
    if (expect(s, ":", "':'") == '\0') {
        json_decref(k);
        return -1;
    }
    skip_space(s);
    if (strcmp(key, "scenarios") == 0 && s->pos < s->len && s->data[s->pos] == '[') {
        *list = 1;
        rc = read_scenarios(s, doc);
    } else if ((v = next_value(s)) == NULL) {
        rc = -1;
    } else {
        if (strcmp(key, "tool") == 0) {
            const char *t = json_string_value(v);
            *tool = t != NULL && strcmp(t, "synchost") == 0 ? 1 : -1;
        } else if (strcmp(key, "scenarios") == 0) {
            *list = -1; /* there, but not a list */
        }
        json_decref(v);
    }
    json_decref(k);
    return rc;
}

static int read_doc(struct scan *s, struct report_doc *doc)
{
    int tool = 0, list = 0;

    skip_space(s);
    if (s->pos >= s->len || s->data[s->pos] != '{') {
        return fail(s->err, s->cap, s->name,
                    "not a synchost JSON report (expected a JSON object at 1:1)");
    }
    s->pos++;
    skip_space(s);
    if (s->pos < s->len && s->data[s->pos] == '}') {
        s->pos++;
    } else {
        char c;
        do {
            if (read_member(s, doc, &tool, &list) != 0) {
                return -1;
            }
        } while ((c = expect(s, ",}", "',' or '}'")) == ',');
        if (c == '\0') {
            return -1;
        }
    }
    skip_space(s);
    if (s->pos < s->len) {
        return fail_at(s, s->pos, "not valid JSON: end of file expected after the object");
    }
    if (tool != 1) {
        return fail(s->err, s->cap, s->name,
                    "not a synchost JSON report (no \"tool\": \"synchost\")");
    }
    if (list != 1) {
        return fail(s->err, s->cap, s->name, "not a synchost JSON report (no \"scenarios\" list)");
    }
    return 0;
}

int report_read_buffer(const char *name, const char *data, size_t len, struct report_doc *doc,
                       char *err, size_t cap)
{
    struct scan s = {name, data, len, 0, err, cap};

    memset(doc, 0, sizeof *doc);
    if (len > REPORT_READ_MAX_SIZE) {
        return fail(err, cap, name, "too large for a JSON report: %zu bytes, more than %d MiB",
                    len, REPORT_READ_MAX_SIZE >> 20);
    }
    if (read_doc(&s, doc) != 0) {
        report_doc_free(doc);
        return -1;
    }
    return 0;
}

int report_read_file(const char *path, struct report_doc *doc, char *err, size_t cap)
{
    char *data;
    size_t len;
    int rc;

    memset(doc, 0, sizeof *doc);
    if (readfile_load(path, REPORT_READ_MAX_SIZE, "a JSON report", &data, &len, err, cap) != 0) {
        return -1;
    }
    rc = report_read_buffer(path, data, len, doc, err, cap);
    free(data);
    return rc;
}
