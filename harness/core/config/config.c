/*
 * config.c: synchost.yaml read strictly (config.h), on yamldoc.h as the
 * scenario and baseline loaders are.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "text/readfile.h"
#include "rules/rules.h"
#include "scenario/scenario.h"
#include "yaml/yamldoc.h"
#include "yaml/yamlwalk.h"

/* A configuration file is short and written by hand; these bound what a
 * hostile one costs (yamldoc.h). */
#define MAX_FILE_SIZE      (1024 * 1024)
#define MAX_DEPTH          8
#define MAX_EXPANDED_NODES (64u * 1024u)
#define MAX_EXPANDED_BYTES (4u * 1024u * 1024u)

/* What a walk's handlers are given: the document and where its values go. */
struct walk {
    struct yamldoc *d;
    struct config *c;
    void *item; /* the skip entry or scenario being read */
    yaml_node_t *rule, *reason;
};

static void *grow(void *items, size_t count, size_t size)
{
    return realloc(items, (count + 1) * size);
}

/* options: NAME: scalar. */
static int on_option(void *ctx, size_t index, yaml_node_t *k, yaml_node_t *v)
{
    struct walk *w = ctx;
    struct config *c = w->c;
    struct config_option *o;
    char key[YAMLDOC_QUOTE_BUF];

    (void)index;
    if (v->type != YAML_SCALAR_NODE || yamldoc_is_null(v)) {
        return yamldoc_fail_got(
            w->d, v, "options.%s: expected a value",
            yamldoc_quote(k->data.scalar.value, k->data.scalar.length, key, sizeof key));
    }
    if ((o = grow(c->options, c->option_count, sizeof *o)) == NULL) {
        return yamldoc_fail(w->d, k, "out of memory");
    }
    c->options = o;
    o = &c->options[c->option_count];
    memset(o, 0, sizeof *o);
    o->name = strndup((const char *)k->data.scalar.value, k->data.scalar.length);
    o->value = strndup((const char *)v->data.scalar.value, v->data.scalar.length);
    if (o->name == NULL || o->value == NULL) {
        free(o->name);
        free(o->value);
        return yamldoc_fail(w->d, k, "out of memory");
    }
    o->plain = v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    o->line = (unsigned)k->start_mark.line + 1;
    o->col = (unsigned)k->start_mark.column + 1;
    o->value_line = (unsigned)v->start_mark.line + 1;
    o->value_col = (unsigned)v->start_mark.column + 1;
    c->option_count++;
    return 0;
}

static const char *const skip_keys[] = {"rule", "reason"};
static const struct yamlwalk_schema skip_schema = {.where = "a skip entry",
                                                   YAMLWALK_NAMES_INIT(skip_keys)};

static int on_skip_key(void *ctx, size_t index, yaml_node_t *k, yaml_node_t *v)
{
    struct walk *w = ctx;
    struct config_skip *s = w->item;

    (void)k;
    if (index == 0) {
        w->rule = v;
        return yamldoc_get_string(w->d, v, "skip.rule", &s->rule);
    }
    w->reason = v;
    return yamldoc_get_string(w->d, v, "skip.reason", &s->reason);
}

static int read_skip(struct walk *w, yaml_node_t *item)
{
    struct config *c = w->c;
    struct config_skip *s = grow(c->skips, c->skip_count, sizeof *s);
    char q[YAMLDOC_QUOTE_BUF];

    if (s == NULL) {
        return yamldoc_fail(w->d, item, "out of memory");
    }
    c->skips = s;
    s = &c->skips[c->skip_count++];
    memset(s, 0, sizeof *s);
    s->line = (unsigned)item->start_mark.line + 1;
    s->col = (unsigned)item->start_mark.column + 1;
    w->item = s;
    w->rule = w->reason = NULL;
    if (yamlwalk_map(w->d, item, &skip_schema, on_skip_key, w) != 0) {
        return -1;
    }
    if (w->rule == NULL || w->reason == NULL) {
        return yamldoc_fail(w->d, item, "a skip entry needs %s: every skipped rule says why",
                            w->rule == NULL ? "rule: (a rule id)" : "reason: (why it is skipped)");
    }
    if (rules_find(s->rule) == NULL) {
        return yamldoc_fail(
            w->d, w->rule, "skip.rule names no rule '%s' (synchost list rules)",
            yamldoc_quote((const unsigned char *)s->rule, strlen(s->rule), q, sizeof q));
    }
    for (size_t i = 0; i + 1 < c->skip_count; i++) {
        if (strcmp(c->skips[i].rule, s->rule) == 0) {
            return yamldoc_fail(w->d, w->rule, "rule '%s' is skipped already, at %u:%u", s->rule,
                                c->skips[i].line, c->skips[i].col);
        }
    }
    return 0;
}

static int read_skips(struct walk *w, yaml_node_t *list)
{
    if (yamldoc_is_null(list)) {
        return 0;
    }
    if (list->type != YAML_SEQUENCE_NODE) {
        return yamldoc_fail_got(w->d, list, "skip: expected a list of {rule, reason}");
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yamldoc_node(w->d, *it);
        if (item == NULL || read_skip(w, item) != 0) {
            return item == NULL ? yamldoc_fail_at(w->d, 0, 0, "internal error: a node is missing")
                                : -1;
        }
    }
    return 0;
}

/* scenarios: NAME: {timeout_ms, load_timeout_ms, shutdown_timeout_ms}. */
static const char *const deadline_keys[] = {"timeout_ms", "load_timeout_ms",
                                            "shutdown_timeout_ms"};

static int on_deadline(void *ctx, size_t index, yaml_node_t *k, yaml_node_t *v)
{
    struct walk *w = ctx;
    struct config_deadlines *s = w->item;
    uint32_t *vals[] = {&s->timeout_ms, &s->load_timeout_ms, &s->shutdown_timeout_ms};
    char path[320];

    (void)k;
    char name[YAMLDOC_QUOTE_BUF];

    snprintf(path, sizeof path, "scenarios.%s.%s",
             yamldoc_quote((const unsigned char *)s->scenario, strlen(s->scenario), name,
                           sizeof name),
             deadline_keys[index]);
    return yamldoc_get_ms_in(w->d, v, path, SCENARIO_DEADLINE_MIN_MS, SCENARIO_DEADLINE_MAX_MS,
                             "a deadline: 1 hour at most", vals[index]);
}

static int on_scenario(void *ctx, size_t index, yaml_node_t *k, yaml_node_t *v)
{
    struct walk *w = ctx;
    struct config *c = w->c;
    struct config_deadlines *s = grow(c->scenarios, c->scenario_count, sizeof *s);
    char where[YAMLDOC_QUOTE_BUF + 16], path[YAMLDOC_QUOTE_BUF];
    const struct yamlwalk_schema sch = {.where = where, YAMLWALK_NAMES_INIT(deadline_keys)};

    (void)index;
    if (s == NULL) {
        return yamldoc_fail(w->d, k, "out of memory");
    }
    c->scenarios = s;
    s = &c->scenarios[c->scenario_count++];
    memset(s, 0, sizeof *s);
    s->line = (unsigned)k->start_mark.line + 1;
    s->col = (unsigned)k->start_mark.column + 1;
    if (yamldoc_get_string(w->d, k, "a scenario's name", &s->scenario) != 0) {
        return -1;
    }
    snprintf(where, sizeof where, "scenarios.%s",
             yamldoc_quote(k->data.scalar.value, k->data.scalar.length, path, sizeof path));
    w->item = s;
    return yamlwalk_map(w->d, v, &sch, on_deadline, w);
}

static const char *const root_keys[] = {"options", "skip", "scenarios"};

static int on_root(void *ctx, size_t index, yaml_node_t *k, yaml_node_t *v)
{
    static const struct yamlwalk_schema options = {.where = "options"};
    static const struct yamlwalk_schema scenarios = {.where = "scenarios"};
    struct walk *w = ctx;

    (void)k;
    switch (index) {
    case 0:
        return yamldoc_is_null(v) ? 0 : yamlwalk_map(w->d, v, &options, on_option, w);
    case 1:
        return read_skips(w, v);
    default:
        return yamldoc_is_null(v) ? 0 : yamlwalk_map(w->d, v, &scenarios, on_scenario, w);
    }
}

int config_load(const char *name, const char *data, size_t len, struct config *c, char *err,
                size_t cap)
{
    static const struct yamldoc_limits limits = {MAX_DEPTH, MAX_EXPANDED_NODES, MAX_EXPANDED_BYTES};
    static const struct yamlwalk_schema root_schema = {
        .where = "the configuration", .file_top = 1, YAMLWALK_NAMES_INIT(root_keys)};
    struct yamldoc d;
    static const struct yamldoc_words words = {NULL, "keep one", ""}; /* every key is optional */
    struct walk w = {&d, c, NULL, NULL, NULL};
    yaml_node_t *root;
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
    if (yamldoc_load_as(&d, data, len, &limits, &words, &root) == 0) {
        rc = root != NULL ? yamlwalk_map(&d, root, &root_schema, on_root, &w) : 0;
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
