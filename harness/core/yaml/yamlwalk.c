/* yamlwalk.c: a mapping walked against the keys it may hold (yamlwalk.h). */
#include "yaml/yamlwalk.h"

#include <stdio.h>
#include <string.h>

#include "text/nearest.h"

#define NAMES_MAX 64

const char *yamlwalk_key_name(const struct yamlwalk_schema *sch, size_t index)
{
    const char *const *name =
        (const char *const *)(const void *)((const char *)sch->keys + index * sch->key_size);

    return *name;
}

static int is_named(const yaml_node_t *k, const char *name)
{
    return strlen(name) == k->data.scalar.length &&
           memcmp(name, k->data.scalar.value, k->data.scalar.length) == 0;
}

/* "a, b, c": what the mapping takes, cut to fit cap. */
static void list_takes(const struct yamlwalk_schema *sch, char *out, size_t cap)
{
    size_t w = 0;

    out[0] = '\0';
    for (size_t j = 0; j < sch->key_count && w < cap; j++) {
        int m = snprintf(out + w, cap - w, "%s%s", j > 0 ? ", " : "", yamlwalk_key_name(sch, j));
        if (m < 0) {
            break;
        }
        w += (size_t)m;
    }
}

/* An unknown key: what the mapping takes, and the key it most likely
 * means when it is near one. Returns -1. */
static int unknown_key(struct yamldoc *d, yaml_node_t *k, const struct yamlwalk_schema *sch)
{
    const char *names[NAMES_MAX], *guess;
    char takes[320], hint[96] = "", key[YAMLDOC_QUOTE_BUF], in[160] = "", whose[96];
    size_t n = 0;

    for (size_t j = 0; j < sch->key_count && n < NAMES_MAX; j++) {
        names[n++] = yamlwalk_key_name(sch, j);
    }
    for (size_t j = 0; j < sch->unsupported_count && n < NAMES_MAX; j++) {
        names[n++] = sch->unsupported[j];
    }
    guess = nearest_name((const char *)k->data.scalar.value, k->data.scalar.length, names, n);
    if (guess != NULL) {
        snprintf(hint, sizeof hint, "; did you mean '%s'?", guess);
    }
    list_takes(sch, takes, sizeof takes);
    if (sch->where[0] != '\0') {
        snprintf(in, sizeof in, " in %s", sch->where);
        snprintf(whose, sizeof whose, "it");
    } else {
        snprintf(whose, sizeof whose, "%s", sch->top != NULL ? sch->top : "it");
    }
    if (sch->file_top && !yamldoc_is_word(k)) {
        return yamldoc_fail(d, k, "unknown key (not a name; not quoted here)%s (%s takes %s)", in,
                            whose, takes);
    }
    yamldoc_quote(k->data.scalar.value, k->data.scalar.length, key, sizeof key);
    return yamldoc_fail(d, k, "unknown key '%s'%s%s (%s takes %s)", key, in, hint, whose, takes);
}

/* The key k at pairs[i] against the keys before it. Pairwise, but a walk
 * stops at the first unknown key, so few known keys are compared unless
 * the mapping takes any key; even then a file's size bounds it
 * (yamldoc_limits). */
static int check_repeat(struct yamldoc *d, const struct yamlwalk_schema *sch,
                        yaml_node_pair_t *pairs, size_t i, yaml_node_t *k)
{
    char key[YAMLDOC_QUOTE_BUF];

    for (size_t j = 0; j < i; j++) {
        yaml_node_t *prev = yamldoc_node(d, pairs[j].key);
        if (prev != NULL && prev->type == YAML_SCALAR_NODE &&
            prev->data.scalar.length == k->data.scalar.length &&
            memcmp(prev->data.scalar.value, k->data.scalar.value, k->data.scalar.length) == 0) {
            yamldoc_quote(k->data.scalar.value, k->data.scalar.length, key, sizeof key);
            return yamldoc_fail(d, k, "duplicate key '%s'%s%s (first at %lu:%lu)", key,
                                sch->where[0] != '\0' ? " in " : "", sch->where,
                                (unsigned long)prev->start_mark.line + 1,
                                (unsigned long)prev->start_mark.column + 1);
        }
    }
    return 0;
}

/* The key's place in the schema: its index, (size_t)-1 for a mapping of
 * any key, or -1 returned with the error recorded. */
static int find_key(struct yamldoc *d, const struct yamlwalk_schema *sch, yaml_node_t *k,
                    size_t *index)
{
    char key[YAMLDOC_QUOTE_BUF];

    *index = (size_t)-1;
    if (sch->keys == NULL) {
        return 0;
    }
    for (size_t j = 0; j < sch->key_count; j++) {
        if (is_named(k, yamlwalk_key_name(sch, j))) {
            *index = j;
            return 0;
        }
    }
    for (size_t j = 0; j < sch->unsupported_count; j++) {
        if (is_named(k, sch->unsupported[j])) {
            yamldoc_quote(k->data.scalar.value, k->data.scalar.length, key, sizeof key);
            return yamldoc_fail(d, k, "key '%s'%s%s is not supported by this version of synchost",
                                key, sch->where[0] != '\0' ? " in " : "", sch->where);
        }
    }
    return unknown_key(d, k, sch);
}

int yamlwalk_map(struct yamldoc *d, yaml_node_t *node, const struct yamlwalk_schema *sch,
                 yamlwalk_fn fn, void *ctx)
{
    yaml_node_pair_t *pairs;
    size_t count;

    if (node->type != YAML_MAPPING_NODE) {
        const char *name = sch->where[0] != '\0' ? sch->where : sch->top;
        if (sch->file_top) {
            return yamldoc_fail(d, node, "%s: expected a mapping, got %s", name,
                                yamldoc_kind(node));
        }
        return yamldoc_fail_got(d, node, "%s: expected a mapping", name);
    }
    pairs = node->data.mapping.pairs.start;
    count = (size_t)(node->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *k = yamldoc_node(d, pairs[i].key);
        yaml_node_t *v = yamldoc_node(d, pairs[i].value);
        size_t index;

        if (k == NULL || v == NULL) {
            return yamldoc_fail_at(d, 0, 0, "internal error: a YAML node is missing");
        }
        if (k->type != YAML_SCALAR_NODE) {
            return yamldoc_fail_got(d, k, "keys must be names");
        }
        if (check_repeat(d, sch, pairs, i, k) != 0 || find_key(d, sch, k, &index) != 0 ||
            fn(ctx, index, k, v) != 0) {
            return -1;
        }
    }
    return 0;
}
