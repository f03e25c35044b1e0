/*
 * scenario_walk.c: walking a scenario mapping by its schema, and the values
 * several sections share (scenario_load.h).
 */
#include "scenario_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hresult.h"
#include "nearest.h"

/* Values -------------------------------------------------------------- */

char *scenario_dup(const void *s, size_t len)
{
    char *p = malloc(len + 1);

    if (p != NULL) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

int scenario_get_hresult(struct loader *ld, yaml_node_t *node, const char *path, uint32_t *out)
{
    char what[YAMLDOC_DESCRIBE_BUF];

    if (node->type != YAML_SCALAR_NODE || yamldoc_is_null(node)) {
        return yamldoc_fail(&ld->yd, node,
                            "%s: expected an HRESULT (a name like S_OK, or 0x-hex), got %s", path,
                            yamldoc_describe(node, what, sizeof what));
    }
    if (hresult_parse((const char *)node->data.scalar.value, node->data.scalar.length, out) != 0) {
        const char *near =
            hresult_nearest((const char *)node->data.scalar.value, node->data.scalar.length);
        if (near != NULL) {
            return yamldoc_fail(&ld->yd, node, "%s: unknown HRESULT %s; did you mean %s?", path,
                                yamldoc_describe(node, what, sizeof what), near);
        }
        return yamldoc_fail(&ld->yd, node,
                            "%s: unknown HRESULT %s; write a name (S_OK, E_INVALIDARG, "
                            "MAPI_E_USER_CANCEL, ...) or 0x-hex",
                            path, yamldoc_describe(node, what, sizeof what));
    }
    return 0;
}

int scenario_get_flag(struct loader *ld, yaml_node_t *node, uint32_t *out)
{
    char what[YAMLDOC_DESCRIBE_BUF];
    const unsigned char *s;
    size_t len;
    int rc;

    if (node->type != YAML_SCALAR_NODE || yamldoc_is_null(node)) {
        return yamldoc_fail(&ld->yd, node, "sync.flags: expected a SYNC_* name or a number, got %s",
                            yamldoc_describe(node, what, sizeof what));
    }
    s = node->data.scalar.value;
    len = node->data.scalar.length;
    if (sync_flag_parse((const char *)s, len, out) == 0) {
        return 0;
    }
    rc = yamldoc_parse_u32(s, len, 1, out);
    if (rc == -2) {
        return yamldoc_fail(&ld->yd, node, "sync.flags: %s does not fit in 32 bits",
                            yamldoc_describe(node, what, sizeof what));
    }
    if (rc != 0 && sync_flag_nearest((const char *)s, len) != NULL) {
        return yamldoc_fail(&ld->yd, node, "sync.flags: unknown flag %s; did you mean %s?",
                            yamldoc_describe(node, what, sizeof what),
                            sync_flag_nearest((const char *)s, len));
    }
    if (rc != 0) {
        return yamldoc_fail(&ld->yd, node,
                            "sync.flags: unknown flag %s; write SYNC_* names "
                            "(SYNC_DOWNLOAD_CONTENTS, SYNC_ON_DEMAND, ...) or numbers",
                            yamldoc_describe(node, what, sizeof what));
    }
    return 0;
}

/* Mappings ------------------------------------------------------------- */

/* An unknown key: what the mapping takes, and the key it most likely
 * means when it is near one. Returns -1. */
static int unknown_key(struct loader *ld, yaml_node_t *k, const struct schema *sch, const char *key)
{
    const char *names[64];
    size_t n = 0, w = 0;
    const char *near;
    char takes[320], hint[96] = "";

    for (size_t j = 0; j < sch->key_count && n < 64; j++) {
        names[n++] = sch->keys[j].key;
    }
    for (size_t j = 0; j < sch->unsupported_count && n < 64; j++) {
        names[n++] = sch->unsupported[j];
    }
    near = nearest_name((const char *)k->data.scalar.value, k->data.scalar.length, names, n);
    if (near != NULL) {
        snprintf(hint, sizeof hint, "; did you mean '%s'?", near);
    }
    takes[0] = '\0';
    for (size_t j = 0; j < sch->key_count && w < sizeof takes; j++) {
        int m = snprintf(takes + w, sizeof takes - w, "%s%s", j > 0 ? ", " : "", sch->keys[j].key);
        if (m < 0) {
            break;
        }
        w += (size_t)m;
    }
    /* At the top of a file that may be none of ours (a password file reads
     * as one long key), only a key that looks like one is quoted. */
    if (sch->where[0] == '\0' && !yamldoc_is_word(k)) {
        return yamldoc_fail(&ld->yd, k,
                            "unknown key (not a name; not quoted here) (a scenario takes %s)",
                            takes);
    }
    if (sch->where[0] == '\0') {
        return yamldoc_fail(&ld->yd, k, "unknown key '%s'%s (a scenario takes %s)", key, hint,
                            takes);
    }
    return yamldoc_fail(&ld->yd, k, "unknown key '%s' in %s%s (it takes %s)", key, sch->where, hint,
                        takes);
}

/* Checks node against the schema and calls each key's handler, in order. */
int scenario_walk(struct loader *ld, struct scenario *sc, yaml_node_t *node,
                  const struct schema *sch)
{
    char what[YAMLDOC_DESCRIBE_BUF], key[YAMLDOC_QUOTE_BUF];
    yaml_node_pair_t *pairs;
    size_t count;

    if (node->type != YAML_MAPPING_NODE) {
        return yamldoc_fail(&ld->yd, node, "%s: expected a mapping, got %s", sch->where,
                            yamldoc_describe(node, what, sizeof what));
    }
    pairs = node->data.mapping.pairs.start;
    count = (size_t)(node->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *k = yamldoc_node(&ld->yd, pairs[i].key);
        yaml_node_t *v = yamldoc_node(&ld->yd, pairs[i].value);
        const struct key_handler *handler = NULL;
        const unsigned char *name;
        size_t len;

        if (k == NULL || v == NULL) {
            return yamldoc_fail_at(&ld->yd, 0, 0, "internal error: a YAML node is missing");
        }
        if (k->type != YAML_SCALAR_NODE) {
            return yamldoc_fail(&ld->yd, k, "keys must be names, got %s",
                                yamldoc_describe(k, what, sizeof what));
        }
        name = k->data.scalar.value;
        len = k->data.scalar.length;
        yamldoc_quote(name, len, key, sizeof key);
        /* Pairwise, but the walk stops at the first unknown key, so at most
         * a dozen known keys are compared. */
        for (size_t j = 0; j < i; j++) {
            yaml_node_t *prev = yamldoc_node(&ld->yd, pairs[j].key);
            if (prev != NULL && prev->type == YAML_SCALAR_NODE && prev->data.scalar.length == len &&
                memcmp(prev->data.scalar.value, name, len) == 0) {
                return yamldoc_fail(&ld->yd, k, "duplicate key '%s' (first at %lu:%lu)", key,
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
                    return yamldoc_fail(
                        &ld->yd, k, "key '%s' is not supported by this version of synchost", key);
                }
                return yamldoc_fail(&ld->yd, k,
                                    "key '%s' in %s is not supported by this version of synchost",
                                    key, sch->where);
            }
        }
        return unknown_key(ld, k, sch, key);
    }
    return 0;
}
/* One of words (a list ending in NULL), as its index in *out. */
int scenario_get_word(struct loader *ld, yaml_node_t *v, const char *path, const char *const *words,
                      int *out)
{
    char what[YAMLDOC_DESCRIBE_BUF], takes[128];
    size_t w = 0;

    /* A plain `null` is YAML's null, and also the word null here. */
    if (v->type == YAML_SCALAR_NODE) {
        for (int i = 0; words[i] != NULL; i++) {
            if (yamldoc_is_key(v, words[i])) {
                *out = i;
                return 0;
            }
        }
    }
    takes[0] = '\0';
    for (int i = 0; words[i] != NULL && w < sizeof takes; i++) {
        int n = snprintf(takes + w, sizeof takes - w, "%s%s", i > 0 ? ", " : "", words[i]);
        if (n < 0) {
            break;
        }
        w += (size_t)n;
    }
    if (v->type == YAML_SCALAR_NODE) { /* as written: `NULL` and `~` are not `null` here */
        char q[YAMLDOC_QUOTE_BUF];
        return yamldoc_fail(
            &ld->yd, v, "%s: expected one of %s, got '%s'", path, takes,
            yamldoc_quote(v->data.scalar.value, v->data.scalar.length, q, sizeof q));
    }
    return yamldoc_fail(&ld->yd, v, "%s: expected one of %s, got %s", path, takes,
                        yamldoc_describe(v, what, sizeof what));
}

int scenario_get_count(struct loader *ld, yaml_node_t *v, const char *path, uint32_t min,
                       uint32_t max, uint32_t *out)
{
    char what[YAMLDOC_DESCRIBE_BUF];
    uint32_t n = 0;

    if (v->type != YAML_SCALAR_NODE || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
        yamldoc_parse_u32(v->data.scalar.value, v->data.scalar.length, 0, &n) != 0 || n < min ||
        n > max) {
        return yamldoc_fail(&ld->yd, v, "%s: expected a whole number from %lu to %lu, got %s", path,
                            (unsigned long)min, (unsigned long)max,
                            yamldoc_describe(v, what, sizeof what));
    }
    *out = n;
    return 0;
}

int scenario_get_bool(struct loader *ld, yaml_node_t *v, const char *path, int *out)
{
    char what[YAMLDOC_DESCRIBE_BUF];

    if (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        if (yamldoc_is_key(v, "true")) {
            *out = 1;
            return 0;
        }
        if (yamldoc_is_key(v, "false")) {
            *out = 0;
            return 0;
        }
    }
    return yamldoc_fail(&ld->yd, v, "%s: expected true or false, got %s", path,
                        yamldoc_describe(v, what, sizeof what));
}

yaml_node_t *scenario_item(struct loader *ld, yaml_node_item_t *it)
{
    yaml_node_t *item = yamldoc_node(&ld->yd, *it);

    if (item == NULL) {
        yamldoc_fail_at(&ld->yd, 0, 0, "internal error: a YAML node is missing");
    }
    return item;
}
