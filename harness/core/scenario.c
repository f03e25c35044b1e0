/*
 * scenario.c: the YAML scenario loader (see scenario.h and INTERFACE.md,
 * "Scenario file").
 *
 * Two passes over the text. The first runs libyaml's event parser only, to
 * report syntax errors, refuse a second document and refuse nesting deeper
 * than any scenario needs (libyaml's scanner is quadratic in the nesting
 * depth: 50,000 '[' take seconds, and the loader will be fuzzed). The second
 * builds libyaml's node tree and walks it by the schema below, which bounds
 * the walk's depth whatever the tree is (aliases may make it cyclic).
 *
 * Errors are reported at the first problem found, in document order as far
 * as the walk goes, with libyaml's 0-based marks turned 1-based.
 */
#include "scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "hresult.h"

/* Deepest nesting of mappings and lists accepted; a scenario list needs 5. */
#define MAX_DEPTH 32
/* Largest scenario file; the biggest real one is a few kilobytes. */
#define MAX_FILE_SIZE (1024 * 1024)
/* Most scenarios in one file (duplicate names are checked pairwise). */
#define MAX_SCENARIOS 4096
/* Longest excerpt of the file quoted in a message. */
#define QUOTE_MAX 64
/* Room for quote()'s output (every byte escaped, "..."), and for describe()'s. */
#define QUOTE_BUF    (QUOTE_MAX * 4 + 8)
#define DESCRIBE_BUF (QUOTE_BUF + 8)

struct loader {
    const char *file;
    const char *base_dir;
    yaml_document_t *doc;
    struct scenario_error *err;
    int failed;
    /* The scenarios of this file, appended to the caller's list at the end. */
    struct scenario *items;
    yaml_mark_t *name_marks; /* where each one's name is, for duplicates */
    size_t count, cap;
};

/* What a mapping accepts: keys with a handler, keys catalogued in
 * INTERFACE.md but not acted on yet, and how to name it in messages. */
struct key_handler {
    const char *key;
    int (*fn)(struct loader *ld, struct scenario *sc, yaml_node_t *value);
};

struct schema {
    const char *where; /* "" for a scenario, else the key path ("sync", "expect.done") */
    const struct key_handler *keys;
    size_t key_count;
    const char *const *unsupported;
    size_t unsupported_count;
};

/* Errors ------------------------------------------------------------- */

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

static int vfail_at(struct loader *ld, size_t line, size_t col, const char *fmt, va_list ap)
{
    if (ld->failed) {
        return -1;
    }
    ld->failed = 1;
    ld->err->line = line > 0xFFFFFFFEu ? 0xFFFFFFFFu : (unsigned)line + 1;
    ld->err->col = col > 0xFFFFFFFEu ? 0xFFFFFFFFu : (unsigned)col + 1;
    vsnprintf(ld->err->message, sizeof ld->err->message, fmt, ap);
    return -1;
}

/* Records the first error at a 0-based line and column. Returns -1. */
PRINTF_LIKE(4, 5)
static int fail_at(struct loader *ld, size_t line, size_t col, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfail_at(ld, line, col, fmt, ap);
    va_end(ap);
    return rc;
}

/* The same at where node starts. */
PRINTF_LIKE(3, 4)
static int fail(struct loader *ld, const yaml_node_t *node, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfail_at(ld, node->start_mark.line, node->start_mark.column, fmt, ap);
    va_end(ap);
    return rc;
}

/* Copies up to QUOTE_MAX bytes of s into buf for a message, with bytes
 * outside printable ASCII (and the quote) written as \xNN, and "..." when
 * cut. UTF-8 text is escaped too: messages go to terminals and CI logs. */
static const char *quote(const unsigned char *s, size_t len, char *buf, size_t cap)
{
    static const char hexdig[] = "0123456789ABCDEF";
    size_t w = 0;
    size_t i;

    if (cap < 8) {
        if (cap > 0) {
            buf[0] = '\0';
        }
        return buf;
    }
    for (i = 0; i < len && i < QUOTE_MAX; i++) {
        unsigned char c = s[i];
        if (c >= ' ' && c < 0x7f && c != '\'' && c != '\\') {
            if (w + 1 + 4 >= cap) {
                break;
            }
            buf[w++] = (char)c;
        } else {
            if (w + 4 + 4 >= cap) {
                break;
            }
            buf[w++] = '\\';
            buf[w++] = 'x';
            buf[w++] = hexdig[c >> 4];
            buf[w++] = hexdig[c & 15];
        }
    }
    if (i < len) {
        memcpy(buf + w, "...", 3);
        w += 3;
    }
    buf[w] = '\0';
    return buf;
}

static const char *quote_node(const yaml_node_t *node, char *buf, size_t cap)
{
    return quote(node->data.scalar.value, node->data.scalar.length, buf, cap);
}

static int is_null(const yaml_node_t *node)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    size_t len = node->data.scalar.length;

    if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        return 0;
    }
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++) {
        if (strlen(nulls[i]) == len && memcmp(nulls[i], node->data.scalar.value, len) == 0) {
            return 1;
        }
    }
    return 0;
}

/* "a mapping", "a list", "nothing", "'text'": what was found, for messages. */
static const char *describe(const yaml_node_t *node, char *buf, size_t cap)
{
    char q[QUOTE_BUF];

    switch (node->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_SCALAR_NODE:
        if (is_null(node)) {
            return "nothing (null)";
        }
        snprintf(buf, cap, "'%s'", quote_node(node, q, sizeof q));
        return buf;
    case YAML_NO_NODE:
        break;
    }
    return "nothing";
}

/* The first pass: libyaml's error to ours. */
static void syntax_error(struct loader *ld, const yaml_parser_t *p, const char *data, size_t len)
{
    const char *problem = p->problem != NULL ? p->problem : "unknown error";

    if (p->error == YAML_MEMORY_ERROR) {
        fail_at(ld, 0, 0, "out of memory while reading YAML");
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        /* libyaml gives a byte offset, not a mark: count lines and
         * characters (UTF-8 lead bytes) up to it. */
        size_t line = 0, col = 0;
        size_t end = p->problem_offset < len ? p->problem_offset : len;
        for (size_t i = 0; i < end; i++) {
            if (data[i] == '\n') {
                line++;
                col = 0;
            } else if (((unsigned char)data[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        if (p->problem_value != -1) {
            fail_at(ld, line, col, "invalid text: %s (0x%X)", problem, (unsigned)p->problem_value);
        } else {
            fail_at(ld, line, col, "invalid text: %s", problem);
        }
        return;
    }
    if (p->context != NULL) {
        fail_at(ld, p->problem_mark.line, p->problem_mark.column,
                "invalid YAML: %s (%s at %lu:%lu)", problem, p->context,
                (unsigned long)p->context_mark.line + 1, (unsigned long)p->context_mark.column + 1);
    } else {
        fail_at(ld, p->problem_mark.line, p->problem_mark.column, "invalid YAML: %s", problem);
    }
}

/* The first pass: syntax, one document, bounded depth. */
static int prescan(struct loader *ld, const char *data, size_t len)
{
    yaml_parser_t parser;
    int depth = 0, documents = 0, rc = 0;

    if (!yaml_parser_initialize(&parser)) {
        return fail_at(ld, 0, 0, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    for (;;) {
        yaml_event_t ev;
        yaml_event_type_t type;
        yaml_mark_t mark;

        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(ld, &parser, data, len);
            rc = -1;
            break;
        }
        type = ev.type;
        mark = ev.start_mark;
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT) {
            break;
        }
        if (type == YAML_DOCUMENT_START_EVENT && ++documents > 1) {
            rc = fail_at(ld, mark.line, mark.column,
                         "a second YAML document: a file holds one scenario, or a list of "
                         "them under scenarios:");
            break;
        }
        if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
            if (++depth > MAX_DEPTH) {
                rc = fail_at(ld, mark.line, mark.column,
                             "nested more than %d levels deep; no scenario needs that", MAX_DEPTH);
                break;
            }
        } else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
            depth--;
        }
    }
    yaml_parser_delete(&parser);
    if (rc == 0 && documents == 0) {
        rc = fail_at(ld, 0, 0,
                     "empty file: expected a scenario (a mapping with name:) or a list of "
                     "them under scenarios:");
    }
    return rc;
}

/* Values -------------------------------------------------------------- */

static yaml_node_t *node_at(struct loader *ld, int index)
{
    return yaml_document_get_node(ld->doc, index);
}

static char *dup_bytes(const void *s, size_t len)
{
    char *p = malloc(len + 1);

    if (p != NULL) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* A non-empty string without NUL bytes, copied into *out (freed first). */
static int get_string(struct loader *ld, yaml_node_t *node, const char *path, char **out)
{
    char what[DESCRIBE_BUF];
    const unsigned char *s;
    size_t len;

    if (node->type != YAML_SCALAR_NODE || is_null(node)) {
        return fail(ld, node, "%s: expected a string, got %s", path,
                    describe(node, what, sizeof what));
    }
    s = node->data.scalar.value;
    len = node->data.scalar.length;
    if (len == 0) {
        return fail(ld, node, "%s: must not be empty", path);
    }
    if (memchr(s, '\0', len) != NULL) {
        return fail(ld, node, "%s: must not contain a NUL character", path);
    }
    free(*out);
    *out = dup_bytes(s, len);
    if (*out == NULL) {
        return fail(ld, node, "out of memory");
    }
    return 0;
}

/* Digits only (hex after "0x" when allow_hex), at most 32 bits.
 * Returns 0, -1 when not a number, -2 when too large. */
static int parse_u32(const unsigned char *s, size_t len, int allow_hex, uint32_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    size_t i = 0;

    if (allow_hex && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == len) {
        return -1;
    }
    for (; i < len; i++) {
        unsigned d;
        if (s[i] >= '0' && s[i] <= '9') {
            d = (unsigned)(s[i] - '0');
        } else if (base == 16 && s[i] >= 'a' && s[i] <= 'f') {
            d = (unsigned)(s[i] - 'a' + 10);
        } else if (base == 16 && s[i] >= 'A' && s[i] <= 'F') {
            d = (unsigned)(s[i] - 'A' + 10);
        } else {
            return -1;
        }
        if (v <= 0xFFFFFFFFu) {
            v = v * base + d; /* keeps going past the limit to tell "too large" */
        }
    }
    if (v > 0xFFFFFFFFu) {
        return -2;
    }
    *out = (uint32_t)v;
    return 0;
}

/* A plain, non-negative, decimal number of milliseconds. */
static int get_ms(struct loader *ld, yaml_node_t *node, const char *path, uint32_t *out)
{
    char what[DESCRIBE_BUF];
    const unsigned char *s;
    size_t len;
    int rc;

    if (node->type != YAML_SCALAR_NODE || is_null(node)) {
        return fail(ld, node, "%s: expected a number of milliseconds, got %s", path,
                    describe(node, what, sizeof what));
    }
    s = node->data.scalar.value;
    len = node->data.scalar.length;
    if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        return fail(ld, node,
                    "%s: expected a number of milliseconds, got the string %s "
                    "(write it without quotes)",
                    path, describe(node, what, sizeof what));
    }
    if (len > 1 && s[0] == '-' && parse_u32(s + 1, len - 1, 0, &(uint32_t){0}) != -1) {
        return fail(ld, node, "%s: must not be negative, got %s", path,
                    describe(node, what, sizeof what));
    }
    rc = parse_u32(s, len, 0, out);
    if (rc == -2) {
        return fail(ld, node, "%s: %s is too large (at most 4294967295)", path,
                    describe(node, what, sizeof what));
    }
    if (rc != 0) {
        return fail(ld, node, "%s: expected a whole number of milliseconds, got %s", path,
                    describe(node, what, sizeof what));
    }
    return 0;
}

static int get_hresult(struct loader *ld, yaml_node_t *node, const char *path, uint32_t *out)
{
    char what[DESCRIBE_BUF];

    if (node->type != YAML_SCALAR_NODE || is_null(node)) {
        return fail(ld, node, "%s: expected an HRESULT (a name like S_OK, or 0x-hex), got %s", path,
                    describe(node, what, sizeof what));
    }
    if (hresult_parse((const char *)node->data.scalar.value, node->data.scalar.length, out) != 0) {
        return fail(ld, node,
                    "%s: unknown HRESULT %s; write a name (S_OK, E_INVALIDARG, "
                    "MAPI_E_USER_CANCEL, ...) or 0x-hex",
                    path, describe(node, what, sizeof what));
    }
    return 0;
}

static int get_flag(struct loader *ld, yaml_node_t *node, uint32_t *out)
{
    char what[DESCRIBE_BUF];
    const unsigned char *s;
    size_t len;
    int rc;

    if (node->type != YAML_SCALAR_NODE || is_null(node)) {
        return fail(ld, node, "sync.flags: expected a SYNC_* name or a number, got %s",
                    describe(node, what, sizeof what));
    }
    s = node->data.scalar.value;
    len = node->data.scalar.length;
    if (sync_flag_parse((const char *)s, len, out) == 0) {
        return 0;
    }
    rc = parse_u32(s, len, 1, out);
    if (rc == -2) {
        return fail(ld, node, "sync.flags: %s does not fit in 32 bits",
                    describe(node, what, sizeof what));
    }
    if (rc != 0) {
        return fail(ld, node,
                    "sync.flags: unknown flag %s; write SYNC_* names "
                    "(SYNC_DOWNLOAD_CONTENTS, SYNC_ON_DEMAND, ...) or numbers",
                    describe(node, what, sizeof what));
    }
    return 0;
}

/* Mappings ------------------------------------------------------------- */

/* Checks node against the schema and calls each key's handler, in order. */
static int walk(struct loader *ld, struct scenario *sc, yaml_node_t *node, const struct schema *sch)
{
    char what[DESCRIBE_BUF], key[QUOTE_BUF];
    yaml_node_pair_t *pairs;
    size_t count;

    if (node->type != YAML_MAPPING_NODE) {
        return fail(ld, node, "%s: expected a mapping, got %s", sch->where,
                    describe(node, what, sizeof what));
    }
    pairs = node->data.mapping.pairs.start;
    count = (size_t)(node->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *k = node_at(ld, pairs[i].key);
        yaml_node_t *v = node_at(ld, pairs[i].value);
        const struct key_handler *handler = NULL;
        const unsigned char *name;
        size_t len;

        if (k == NULL || v == NULL) {
            return fail_at(ld, 0, 0, "internal error: a YAML node is missing");
        }
        if (k->type != YAML_SCALAR_NODE) {
            return fail(ld, k, "keys must be names, got %s", describe(k, what, sizeof what));
        }
        name = k->data.scalar.value;
        len = k->data.scalar.length;
        quote(name, len, key, sizeof key);
        /* Pairwise, but the walk stops at the first unknown key, so at most
         * a dozen known keys are compared. */
        for (size_t j = 0; j < i; j++) {
            yaml_node_t *prev = node_at(ld, pairs[j].key);
            if (prev != NULL && prev->type == YAML_SCALAR_NODE && prev->data.scalar.length == len &&
                memcmp(prev->data.scalar.value, name, len) == 0) {
                return fail(ld, k, "duplicate key '%s' (first at %lu:%lu)", key,
                            (unsigned long)prev->start_mark.line + 1,
                            (unsigned long)prev->start_mark.column + 1);
            }
        }
        for (size_t j = 0; j < sch->key_count; j++) {
            if (strlen(sch->keys[j].key) == len && memcmp(sch->keys[j].key, name, len) == 0) {
                handler = &sch->keys[j];
                break;
            }
        }
        if (handler != NULL) {
            if (handler->fn(ld, sc, v) != 0) {
                return -1;
            }
            continue;
        }
        for (size_t j = 0; j < sch->unsupported_count; j++) {
            if (strlen(sch->unsupported[j]) == len && memcmp(sch->unsupported[j], name, len) == 0) {
                if (sch->where[0] == '\0') {
                    return fail(ld, k, "key '%s' is not supported by this version of synchost",
                                key);
                }
                return fail(ld, k, "key '%s' in %s is not supported by this version of synchost",
                            key, sch->where);
            }
        }
        {
            char takes[256];
            size_t w = 0;
            takes[0] = '\0';
            for (size_t j = 0; j < sch->key_count && w < sizeof takes; j++) {
                int n = snprintf(takes + w, sizeof takes - w, "%s%s", j > 0 ? ", " : "",
                                 sch->keys[j].key);
                if (n < 0) {
                    break;
                }
                w += (size_t)n;
            }
            if (sch->where[0] == '\0') {
                return fail(ld, k, "unknown key '%s' (a scenario takes %s)", key, takes);
            }
            return fail(ld, k, "unknown key '%s' in %s (it takes %s)", key, sch->where, takes);
        }
    }
    return 0;
}

/* Does the mapping have this key? (Its value, or NULL.) */
static yaml_node_t *lookup(struct loader *ld, yaml_node_t *map, const char *key)
{
    size_t len = strlen(key);

    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node_at(ld, p->key);
        if (k != NULL && k->type == YAML_SCALAR_NODE && k->data.scalar.length == len &&
            memcmp(k->data.scalar.value, key, len) == 0) {
            return node_at(ld, p->value);
        }
    }
    return NULL;
}

/* provider: */

static int on_provider_path(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    char *path = NULL;
    size_t blen, plen;
    int absolute;

    if (get_string(ld, v, "provider.path", &path) != 0) {
        return -1;
    }
    plen = strlen(path);
    absolute = path[0] == '/' || path[0] == '\\' ||
               (plen >= 2 && path[1] == ':' &&
                ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')));
    if (!absolute && ld->base_dir != NULL && ld->base_dir[0] != '\0') {
        int slash;
        char *joined;
        blen = strlen(ld->base_dir);
        slash = ld->base_dir[blen - 1] != '/';
        joined = malloc(blen + (size_t)slash + plen + 1);
        if (joined == NULL) {
            free(path);
            return fail(ld, v, "out of memory");
        }
        memcpy(joined, ld->base_dir, blen);
        if (slash) {
            joined[blen] = '/';
        }
        memcpy(joined + blen + (size_t)slash, path, plen + 1);
        free(path);
        path = joined;
    }
    free(sc->provider_path);
    sc->provider_path = path;
    return 0;
}

static const struct key_handler provider_keys[] = {
    {"path", on_provider_path},
};
static const char *const provider_unsupported[] = {"profile"};
static const struct schema provider_schema = {
    "provider", provider_keys, 1, provider_unsupported, 1,
};

static int on_provider(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    if (walk(ld, sc, v, &provider_schema) != 0) {
        return -1;
    }
    if (sc->provider_path == NULL) {
        return fail(ld, v, "provider: needs path: (the provider DLL to load)");
    }
    return 0;
}

/* sync: */

static int on_sync_flags(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    uint32_t flags = 0, one;

    if (v->type != YAML_SEQUENCE_NODE) {
        if (get_flag(ld, v, &one) != 0) {
            return -1;
        }
        sc->flags = one;
        return 0;
    }
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = node_at(ld, *it);
        if (item == NULL) {
            return fail_at(ld, 0, 0, "internal error: a YAML node is missing");
        }
        if (get_flag(ld, item, &one) != 0) {
            return -1;
        }
        flags |= one;
    }
    sc->flags = flags;
    return 0;
}

static const struct key_handler sync_keys[] = {
    {"flags", on_sync_flags},
};
static const char *const sync_unsupported[] = {
    "size", "session", "callback", "done_event_ptr", "psib", "overlap", "repeat",
};
static const struct schema sync_schema = {
    "sync", sync_keys, 1, sync_unsupported, sizeof sync_unsupported / sizeof sync_unsupported[0],
};

static int on_sync(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return walk(ld, sc, v, &sync_schema);
}

/* expect: */

static int on_expect_returns(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    if (get_hresult(ld, v, "expect.returns", &sc->expect_returns) != 0) {
        return -1;
    }
    sc->has_expect_returns = 1;
    return 0;
}

static int on_expect_done_hresult(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    if (get_hresult(ld, v, "expect.done.hresult", &sc->expect_done_hr) != 0) {
        return -1;
    }
    sc->has_expect_done_hr = 1;
    return 0;
}

static const struct key_handler done_keys[] = {
    {"hresult", on_expect_done_hresult},
};
static const struct schema done_schema = {"expect.done", done_keys, 1, NULL, 0};

static int on_expect_done(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    if (walk(ld, sc, v, &done_schema) != 0) {
        return -1;
    }
    if (!sc->has_expect_done_hr) {
        return fail(ld, v, "expect.done: needs hresult: (the HRESULT Done should report)");
    }
    return 0;
}

static const struct key_handler expect_keys[] = {
    {"returns", on_expect_returns},
    {"done", on_expect_done},
};
static const char *const expect_unsupported[] = {"progress", "errors"};
static const struct schema expect_schema = {
    "expect", expect_keys, 2, expect_unsupported, 2,
};

static int on_expect(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return walk(ld, sc, v, &expect_schema);
}

/* rules: */

static int on_rules_skip(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    char what[DESCRIBE_BUF];
    size_t n;

    if (v->type != YAML_SEQUENCE_NODE) {
        return fail(ld, v,
                    "rules.skip: expected a list of rule ids ([progress-monotonic, ...]), "
                    "got %s",
                    describe(v, what, sizeof what));
    }
    n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    for (size_t i = 0; i < sc->skip_rule_count; i++) {
        free(sc->skip_rules[i]);
    }
    free(sc->skip_rules);
    sc->skip_rules = NULL;
    sc->skip_rule_count = 0;
    if (n == 0) {
        return 0;
    }
    sc->skip_rules = calloc(n, sizeof *sc->skip_rules);
    if (sc->skip_rules == NULL) {
        return fail(ld, v, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = node_at(ld, v->data.sequence.items.start[i]);
        if (item == NULL) {
            return fail_at(ld, 0, 0, "internal error: a YAML node is missing");
        }
        if (get_string(ld, item, "rules.skip", &sc->skip_rules[i]) != 0) {
            return -1;
        }
        sc->skip_rule_count = i + 1;
    }
    return 0;
}

static const struct key_handler rules_keys[] = {
    {"skip", on_rules_skip},
};
static const struct schema rules_schema = {"rules", rules_keys, 1, NULL, 0};

static int on_rules(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return walk(ld, sc, v, &rules_schema);
}

/* The scenario itself */

static int on_name(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_string(ld, v, "name", &sc->name);
}

static int on_description(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_string(ld, v, "description", &sc->description);
}

static int on_timeout_ms(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_ms(ld, v, "timeout_ms", &sc->timeout_ms);
}

static int on_return_within_ms(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_ms(ld, v, "return_within_ms", &sc->return_within_ms);
}

static int on_settle_ms(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_ms(ld, v, "settle_ms", &sc->settle_ms);
}

static const struct key_handler scenario_keys[] = {
    {"name", on_name},
    {"description", on_description},
    {"provider", on_provider},
    {"sync", on_sync},
    {"timeout_ms", on_timeout_ms},
    {"return_within_ms", on_return_within_ms},
    {"settle_ms", on_settle_ms},
    {"expect", on_expect},
    {"rules", on_rules},
};
static const char *const scenario_unsupported[] = {"host"};
static const struct schema scenario_schema = {
    "", scenario_keys, sizeof scenario_keys / sizeof scenario_keys[0], scenario_unsupported, 1,
};

static void scenario_free(struct scenario *sc)
{
    free(sc->name);
    free(sc->description);
    free(sc->file);
    free(sc->provider_path);
    for (size_t i = 0; i < sc->skip_rule_count; i++) {
        free(sc->skip_rules[i]);
    }
    free(sc->skip_rules);
    memset(sc, 0, sizeof *sc);
}

/* Loads one scenario mapping into the loader's list. */
static int load_scenario(struct loader *ld, yaml_node_t *node)
{
    char what[DESCRIBE_BUF], q[QUOTE_BUF];
    struct scenario *sc;
    yaml_node_t *name_node;

    if (node->type != YAML_MAPPING_NODE) {
        return fail(ld, node, "expected a scenario (a mapping with name:), got %s",
                    describe(node, what, sizeof what));
    }
    if (ld->count == ld->cap) {
        size_t cap = ld->cap ? ld->cap * 2 : 4;
        struct scenario *items;
        yaml_mark_t *marks;
        if (ld->count >= MAX_SCENARIOS) {
            return fail(ld, node, "more than %d scenarios in one file; split it", MAX_SCENARIOS);
        }
        items = realloc(ld->items, cap * sizeof *items);
        if (items == NULL) {
            return fail(ld, node, "out of memory");
        }
        ld->items = items;
        marks = realloc(ld->name_marks, cap * sizeof *marks);
        if (marks == NULL) {
            return fail(ld, node, "out of memory");
        }
        ld->name_marks = marks;
        ld->cap = cap;
    }
    sc = &ld->items[ld->count++];
    memset(sc, 0, sizeof *sc);
    sc->flags = 0x80u; /* SYNC_DOWNLOAD_CONTENTS */
    sc->return_within_ms = SCENARIO_DEFAULT_RETURN_WITHIN_MS;
    sc->settle_ms = SCENARIO_DEFAULT_SETTLE_MS;
    sc->line = (unsigned)node->start_mark.line + 1;
    sc->file = dup_bytes(ld->file, strlen(ld->file));
    if (sc->file == NULL) {
        return fail(ld, node, "out of memory");
    }
    if (walk(ld, sc, node, &scenario_schema) != 0) {
        return -1;
    }
    name_node = lookup(ld, node, "name");
    if (name_node == NULL || sc->name == NULL) {
        return fail(ld, node, "the scenario has no name: (it is required)");
    }
    ld->name_marks[ld->count - 1] = name_node->start_mark;
    for (size_t i = 0; i + 1 < ld->count; i++) {
        if (strcmp(ld->items[i].name, sc->name) == 0) {
            return fail(ld, name_node, "duplicate scenario name '%s' (first at %lu:%lu)",
                        quote((const unsigned char *)sc->name, strlen(sc->name), q, sizeof q),
                        (unsigned long)ld->name_marks[i].line + 1,
                        (unsigned long)ld->name_marks[i].column + 1);
        }
    }
    return 0;
}

static int is_key(const yaml_node_t *k, const char *name)
{
    size_t len = strlen(name);

    return k->type == YAML_SCALAR_NODE && k->data.scalar.length == len &&
           memcmp(k->data.scalar.value, name, len) == 0;
}

/* The document: one scenario, or a mapping with only scenarios: [...]. */
static int load_root(struct loader *ld, yaml_node_t *root)
{
    char what[DESCRIBE_BUF], key[QUOTE_BUF];
    yaml_node_t *list = NULL, *first = NULL;
    yaml_node_pair_t *pairs;
    size_t count;

    if (root->type != YAML_MAPPING_NODE) {
        return fail(ld, root,
                    "expected a scenario (a mapping with name:) or a list of them "
                    "under scenarios:, got %s",
                    describe(root, what, sizeof what));
    }
    if (lookup(ld, root, "scenarios") == NULL) {
        return load_scenario(ld, root);
    }
    pairs = root->data.mapping.pairs.start;
    count = (size_t)(root->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *k = node_at(ld, pairs[i].key);
        if (k == NULL) {
            return fail_at(ld, 0, 0, "internal error: a YAML node is missing");
        }
        if (k->type != YAML_SCALAR_NODE) {
            return fail(ld, k, "keys must be names, got %s", describe(k, what, sizeof what));
        }
        if (!is_key(k, "scenarios")) {
            return fail(ld, k,
                        "key '%s' cannot stand beside scenarios: (a file holds one "
                        "scenario, or a list of them under scenarios: and nothing else)",
                        quote(k->data.scalar.value, k->data.scalar.length, key, sizeof key));
        }
        if (first != NULL) {
            return fail(ld, k, "duplicate key 'scenarios' (first at %lu:%lu)",
                        (unsigned long)first->start_mark.line + 1,
                        (unsigned long)first->start_mark.column + 1);
        }
        first = k;
        list = node_at(ld, pairs[i].value);
        if (list == NULL) {
            return fail_at(ld, 0, 0, "internal error: a YAML node is missing");
        }
    }
    if (list->type != YAML_SEQUENCE_NODE) {
        return fail(ld, list, "scenarios: expected a list of scenarios, got %s",
                    describe(list, what, sizeof what));
    }
    if (list->data.sequence.items.top == list->data.sequence.items.start) {
        return fail(ld, list, "scenarios: the list is empty");
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        yaml_node_t *item = node_at(ld, *it);
        if (item == NULL) {
            return fail_at(ld, 0, 0, "internal error: a YAML node is missing");
        }
        if (load_scenario(ld, item) != 0) {
            return -1;
        }
    }
    return 0;
}

/* Hands the loaded scenarios over to the caller's list. */
static int append_all(struct loader *ld, struct scenario_list *list)
{
    if (list->count + ld->count > list->cap) {
        size_t cap = list->cap ? list->cap : 8;
        struct scenario *items;
        while (cap < list->count + ld->count) {
            cap *= 2;
        }
        items = realloc(list->items, cap * sizeof *items);
        if (items == NULL) {
            return fail_at(ld, 0, 0, "out of memory");
        }
        list->items = items;
        list->cap = cap;
    }
    if (ld->count > 0) {
        memcpy(list->items + list->count, ld->items, ld->count * sizeof *ld->items);
    }
    list->count += ld->count;
    ld->count = 0;
    return 0;
}

int scenario_load_buffer(const char *name, const char *base_dir, const char *data, size_t len,
                         struct scenario_list *list, struct scenario_error *err)
{
    struct loader ld;
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root;
    int rc = -1;

    memset(&ld, 0, sizeof ld);
    memset(err, 0, sizeof *err);
    ld.file = name != NULL ? name : "<buffer>";
    ld.base_dir = base_dir;
    ld.err = err;
    snprintf(err->file, sizeof err->file, "%s", ld.file);
    if (data == NULL && len > 0) {
        snprintf(err->message, sizeof err->message, "no data");
        return -1;
    }
    if (len > MAX_FILE_SIZE) {
        snprintf(err->message, sizeof err->message,
                 "too large for a scenario file (more than %d bytes)", MAX_FILE_SIZE);
        return -1;
    }
    if (prescan(&ld, data != NULL ? data : "", len) != 0) {
        return -1;
    }
    if (!yaml_parser_initialize(&parser)) {
        return fail_at(&ld, 0, 0, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)(data != NULL ? data : ""), len);
    if (!yaml_parser_load(&parser, &doc)) {
        /* The first pass saw no error; only memory can run out here. */
        syntax_error(&ld, &parser, data, len);
        yaml_parser_delete(&parser);
        return -1;
    }
    ld.doc = &doc;
    root = yaml_document_get_root_node(&doc);
    if (root == NULL) {
        fail_at(&ld, 0, 0,
                "empty file: expected a scenario (a mapping with name:) or a list of "
                "them under scenarios:");
    } else if (load_root(&ld, root) == 0) {
        rc = append_all(&ld, list);
    }
    for (size_t i = 0; i < ld.count; i++) {
        scenario_free(&ld.items[i]);
    }
    free(ld.items);
    free(ld.name_marks);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

/* The folder part of path, as dirname(3) gives it, into a new string. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
#ifdef _WIN32
    const char *bslash = strrchr(path, '\\');
    if (bslash != NULL && (slash == NULL || bslash > slash)) {
        slash = bslash;
    }
#endif
    if (slash == NULL) {
        return dup_bytes(".", 1);
    }
    if (slash == path) {
        return dup_bytes("/", 1);
    }
    return dup_bytes(path, (size_t)(slash - path));
}

int scenario_load_file(const char *path, struct scenario_list *list, struct scenario_error *err)
{
    FILE *fp;
    char *data = NULL, *dir = NULL;
    size_t len = 0, cap = 0;
    int rc = -1;

    memset(err, 0, sizeof *err);
    snprintf(err->file, sizeof err->file, "%s", path);
    fp = fopen(path, "rb");
    if (fp == NULL) {
        snprintf(err->message, sizeof err->message, "cannot read: %s", strerror(errno));
        return -1;
    }
    for (;;) {
        size_t n;
        if (len == cap) {
            char *grown;
            if (cap > MAX_FILE_SIZE) {
                snprintf(err->message, sizeof err->message,
                         "too large for a scenario file (more than %d bytes)", MAX_FILE_SIZE);
                goto done;
            }
            cap = cap ? cap * 2 : 4096;
            grown = realloc(data, cap + 1);
            if (grown == NULL) {
                snprintf(err->message, sizeof err->message, "cannot read: out of memory");
                goto done;
            }
            data = grown;
        }
        n = fread(data + len, 1, cap - len, fp);
        len += n;
        if (n == 0) {
            if (ferror(fp)) {
                snprintf(err->message, sizeof err->message, "cannot read: %s", strerror(errno));
                goto done;
            }
            break;
        }
    }
    dir = dir_of(path);
    if (dir == NULL) {
        snprintf(err->message, sizeof err->message, "cannot read: out of memory");
        goto done;
    }
    rc = scenario_load_buffer(path, dir, data != NULL ? data : "", len, list, err);
done:
    free(dir);
    free(data);
    fclose(fp);
    return rc;
}

const char *scenario_error_format(const struct scenario_error *err, char *buf, size_t cap)
{
    if (cap == 0) {
        return buf;
    }
    if (err->line == 0) {
        snprintf(buf, cap, "%s: %s", err->file, err->message);
    } else {
        snprintf(buf, cap, "%s:%u:%u: %s", err->file, err->line, err->col, err->message);
    }
    return buf;
}

void scenario_list_free(struct scenario_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        scenario_free(&list->items[i]);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
    list->cap = 0;
}
