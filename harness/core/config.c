/*
 * config.c: synchost.yaml read strictly (config.h), on yamldoc.h as the
 * scenario and baseline loaders are.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "readfile.h"
#include "rules.h"
#include "scenario.h"
#include "yamldoc.h"

/* A configuration file is short and written by hand; these bound what a
 * hostile one costs (yamldoc.h). */
#define MAX_FILE_SIZE      (1024 * 1024)
#define MAX_DEPTH          8
#define MAX_EXPANDED_NODES (64u * 1024u)
#define MAX_EXPANDED_BYTES (4u * 1024u * 1024u)

/* Each pair of the mapping map: the key's text checked against keys (n of
 * them; NULL: any key), repeats refused, then fn(d, key, value, ctx). */
typedef int (*pair_fn)(struct yamldoc *d, yaml_node_t *k, yaml_node_t *v, void *ctx);

static int each_pair(struct yamldoc *d, yaml_node_t *map, const char *where, pair_fn fn, void *ctx)
{
    char what[YAMLDOC_DESCRIBE_BUF];

    if (map->type != YAML_MAPPING_NODE) {
        return yamldoc_fail(d, map, "%s: expected a mapping, got %s", where,
                            yamldoc_describe(map, what, sizeof what));
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yamldoc_node(d, p->key), *v = yamldoc_node(d, p->value);
        if (k == NULL || v == NULL) {
            return yamldoc_fail_at(d, 0, 0, "internal error: a YAML node is missing");
        }
        if (k->type != YAML_SCALAR_NODE) {
            return yamldoc_fail(d, k, "%s: a key must be a name, got %s", where,
                                yamldoc_describe(k, what, sizeof what));
        }
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            if (yamldoc_is_key(yamldoc_node(d, q->key), (const char *)k->data.scalar.value)) {
                return yamldoc_fail(d, k, "duplicate key '%s' in %s", k->data.scalar.value, where);
            }
        }
        if (fn(d, k, v, ctx) != 0) {
            return -1;
        }
    }
    return 0;
}

static int unknown_key(struct yamldoc *d, yaml_node_t *k, const char *where, const char *takes)
{
    char what[YAMLDOC_DESCRIBE_BUF];

    return yamldoc_fail(d, k, "unknown key %s in %s (it takes %s)",
                        yamldoc_describe(k, what, sizeof what), where, takes);
}

static void *grow(void *items, size_t count, size_t size)
{
    return realloc(items, (count + 1) * size);
}

/* options: NAME: scalar. */
static int on_option(struct yamldoc *d, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
    struct config *c = ctx;
    struct config_option *o;
    char what[YAMLDOC_DESCRIBE_BUF];

    if (v->type != YAML_SCALAR_NODE || yamldoc_is_null(v)) {
        return yamldoc_fail(d, v, "options.%s: expected a value, got %s", k->data.scalar.value,
                            yamldoc_describe(v, what, sizeof what));
    }
    if ((o = grow(c->options, c->option_count, sizeof *o)) == NULL) {
        return yamldoc_fail(d, k, "out of memory");
    }
    c->options = o;
    o = &c->options[c->option_count];
    memset(o, 0, sizeof *o);
    o->name = strdup((const char *)k->data.scalar.value);
    o->value = strndup((const char *)v->data.scalar.value, v->data.scalar.length);
    if (o->name == NULL || o->value == NULL) {
        free(o->name);
        free(o->value);
        return yamldoc_fail(d, k, "out of memory");
    }
    o->plain = v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    o->line = (unsigned)k->start_mark.line + 1;
    o->col = (unsigned)k->start_mark.column + 1;
    o->value_line = (unsigned)v->start_mark.line + 1;
    o->value_col = (unsigned)v->start_mark.column + 1;
    c->option_count++;
    return 0;
}

struct skip_ctx {
    struct config_skip *s;
    yaml_node_t *rule, *reason;
};

static int on_skip_key(struct yamldoc *d, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
    struct skip_ctx *sc = ctx;

    if (yamldoc_is_key(k, "rule")) {
        sc->rule = v;
        return yamldoc_get_string(d, v, "skip.rule", &sc->s->rule);
    }
    if (yamldoc_is_key(k, "reason")) {
        sc->reason = v;
        return yamldoc_get_string(d, v, "skip.reason", &sc->s->reason);
    }
    return unknown_key(d, k, "a skip entry", "rule, reason");
}

static int read_skip(struct yamldoc *d, struct config *c, yaml_node_t *item)
{
    struct config_skip *s = grow(c->skips, c->skip_count, sizeof *s);
    struct skip_ctx sc = {NULL, NULL, NULL};
    char q[YAMLDOC_QUOTE_BUF];

    if (s == NULL) {
        return yamldoc_fail(d, item, "out of memory");
    }
    c->skips = s;
    sc.s = &c->skips[c->skip_count++];
    memset(sc.s, 0, sizeof *sc.s);
    sc.s->line = (unsigned)item->start_mark.line + 1;
    sc.s->col = (unsigned)item->start_mark.column + 1;
    if (each_pair(d, item, "a skip entry", on_skip_key, &sc) != 0) {
        return -1;
    }
    if (sc.rule == NULL || sc.reason == NULL) {
        return yamldoc_fail(d, item, "a skip entry needs %s: every skipped rule says why",
                            sc.rule == NULL ? "rule: (a rule id)" : "reason: (why it is skipped)");
    }
    if (rules_find(sc.s->rule) == NULL) {
        return yamldoc_fail(
            d, sc.rule, "skip.rule names no rule '%s' (synchost list rules)",
            yamldoc_quote((const unsigned char *)sc.s->rule, strlen(sc.s->rule), q, sizeof q));
    }
    for (size_t i = 0; i + 1 < c->skip_count; i++) {
        if (strcmp(c->skips[i].rule, sc.s->rule) == 0) {
            return yamldoc_fail(d, sc.rule, "rule '%s' is skipped already, at %u:%u", sc.s->rule,
                                c->skips[i].line, c->skips[i].col);
        }
    }
    return 0;
}

static int read_skips(struct yamldoc *d, struct config *c, yaml_node_t *list)
{
    char what[YAMLDOC_DESCRIBE_BUF];

    if (yamldoc_is_null(list)) {
        return 0;
    }
    if (list->type != YAML_SEQUENCE_NODE) {
        return yamldoc_fail(d, list, "skip: expected a list of {rule, reason}, got %s",
                            yamldoc_describe(list, what, sizeof what));
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yamldoc_node(d, *it);
        if (item == NULL || read_skip(d, c, item) != 0) {
            return item == NULL ? yamldoc_fail_at(d, 0, 0, "internal error: a node is missing")
                                : -1;
        }
    }
    return 0;
}

/* scenarios: NAME: {timeout_ms, load_timeout_ms, shutdown_timeout_ms}. */
static int on_deadline(struct yamldoc *d, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
    struct config_deadlines *s = ctx;
    static const char *const keys[] = {"timeout_ms", "load_timeout_ms", "shutdown_timeout_ms"};
    uint32_t *vals[] = {&s->timeout_ms, &s->load_timeout_ms, &s->shutdown_timeout_ms};
    char path[320];

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (yamldoc_is_key(k, keys[i])) {
            snprintf(path, sizeof path, "scenarios.%s.%s", s->scenario, keys[i]);
            return yamldoc_get_ms_in(d, v, path, SCENARIO_DEADLINE_MIN_MS, SCENARIO_DEADLINE_MAX_MS,
                                     "a deadline: 1 hour at most", vals[i]);
        }
    }
    return unknown_key(d, k, "a scenario's deadlines",
                       "timeout_ms, load_timeout_ms, shutdown_timeout_ms");
}

static int on_scenario(struct yamldoc *d, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
    struct config *c = ctx;
    struct config_deadlines *s = grow(c->scenarios, c->scenario_count, sizeof *s);
    char where[320];

    if (s == NULL) {
        return yamldoc_fail(d, k, "out of memory");
    }
    c->scenarios = s;
    s = &c->scenarios[c->scenario_count++];
    memset(s, 0, sizeof *s);
    s->line = (unsigned)k->start_mark.line + 1;
    s->col = (unsigned)k->start_mark.column + 1;
    if (yamldoc_get_string(d, k, "a scenario's name", &s->scenario) != 0) {
        return -1;
    }
    snprintf(where, sizeof where, "scenarios.%s", s->scenario);
    return each_pair(d, v, where, on_deadline, s);
}

static int on_root(struct yamldoc *d, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
    struct config *c = ctx;

    if (yamldoc_is_key(k, "options")) {
        return yamldoc_is_null(v) ? 0 : each_pair(d, v, "options", on_option, c);
    }
    if (yamldoc_is_key(k, "skip")) {
        return read_skips(d, c, v);
    }
    if (yamldoc_is_key(k, "scenarios")) {
        return yamldoc_is_null(v) ? 0 : each_pair(d, v, "scenarios", on_scenario, c);
    }
    return unknown_key(d, k, "the configuration", "options, skip, scenarios");
}

int config_load(const char *name, const char *data, size_t len, struct config *c, char *err,
                size_t cap)
{
    static const struct yamldoc_limits limits = {MAX_DEPTH, MAX_EXPANDED_NODES, MAX_EXPANDED_BYTES};
    struct yamldoc d;
    yaml_mark_t where = {0};
    int rc = -1;

    memset(c, 0, sizeof *c);
    if ((c->path = strdup(name)) == NULL) {
        snprintf(err, cap, "%s: out of memory", name);
        return -1;
    }
    if (len > MAX_FILE_SIZE) {
        snprintf(err, cap, "%s: too large for a configuration file (more than %d bytes)", name,
                 MAX_FILE_SIZE);
        return -1;
    }
    yamldoc_init(&d);
    switch (yamldoc_load(&d, data, len, &limits, &where)) {
    case 0:
        rc = each_pair(&d, yamldoc_root(&d), "the configuration", on_root, c);
        break;
    case YAMLDOC_EMPTY:
        rc = 0; /* every key is optional */
        break;
    case YAMLDOC_SECOND_DOCUMENT:
        yamldoc_fail_at(&d, where.line, where.column, "a second YAML document: keep one");
        break;
    case YAMLDOC_TOO_DEEP:
        yamldoc_fail_at(&d, where.line, where.column, "nested more than %d levels deep", MAX_DEPTH);
        break;
    default:
        break;
    }
    yamldoc_free(&d);
    if (rc != 0) {
        snprintf(err, cap, "%s:%u:%u: %s", name, d.line, d.col, d.message);
    }
    return rc;
}

int config_load_file(const char *path, struct config *c, char *err, size_t cap)
{
    char *buf = NULL;
    size_t n = 0;
    int rc;

    memset(c, 0, sizeof *c);
    /* Sized before it is read (readfile.h): a huge file costs nothing. */
    if (readfile_load(path, MAX_FILE_SIZE, "a configuration file", &buf, &n, err, cap) != 0) {
        return -1;
    }
    rc = config_load(path, buf, n, c, err, cap);
    free(buf);
    return rc;
}

void config_free(struct config *c)
{
    for (size_t i = 0; i < c->option_count; i++) {
        free(c->options[i].name);
        free(c->options[i].value);
    }
    for (size_t i = 0; i < c->skip_count; i++) {
        free(c->skips[i].rule);
        free(c->skips[i].reason);
    }
    for (size_t i = 0; i < c->scenario_count; i++) {
        free(c->scenarios[i].scenario);
    }
    free(c->options);
    free(c->skips);
    free(c->scenarios);
    free(c->path);
    memset(c, 0, sizeof *c);
}

struct config_deadlines *config_find_scenario(struct config *c, const char *name)
{
    for (size_t i = 0; i < c->scenario_count; i++) {
        if (strcmp(c->scenarios[i].scenario, name) == 0) {
            return &c->scenarios[i];
        }
    }
    return NULL;
}
