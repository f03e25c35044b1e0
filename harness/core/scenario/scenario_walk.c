/*
 * scenario_walk.c: walking a scenario mapping by its schema, and the values
 * several sections share (scenario_load.h).
 */
#include "scenario/scenario_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/hresult.h"
#include "yaml/yamlwalk.h"

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
        return yamldoc_fail_got(&ld->yd, node,
                                "%s: expected an HRESULT (a name like S_OK, or 0x-hex)", path);
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
        return yamldoc_fail_got(&ld->yd, node, "sync.flags: expected a SYNC_* name or a number");
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

struct walk {
    struct loader *ld;
    struct scenario *sc;
    const struct schema *sch;
};

static int visit(void *ctx, size_t index, yaml_node_t *key, yaml_node_t *value)
{
    struct walk *w = ctx;

    (void)key;
    return w->sch->keys[index].fn(w->ld, w->sc, value);
}

/* Checks node against the schema and calls each key's handler, in order. */
int scenario_walk(struct loader *ld, struct scenario *sc, yaml_node_t *node,
                  const struct schema *sch)
{
    const struct yamlwalk_schema ws = {
        .where = sch->where,
        .top = "a scenario",
        .file_top = sch->where[0] == '\0',
        .keys = sch->keys,
        .key_count = sch->key_count,
        .key_size = sizeof *sch->keys,
        .unsupported = sch->unsupported,
        .unsupported_count = sch->unsupported_count,
    };
    struct walk w = {ld, sc, sch};

    return yamlwalk_map(&ld->yd, node, &ws, visit, &w);
}

int scenario_get_list(struct loader *ld, yaml_node_t *v, const char *expected, size_t *n)
{
    if (v->type != YAML_SEQUENCE_NODE) {
        return yamldoc_fail_got(&ld->yd, v, "%s", expected);
    }
    if (n != NULL) {
        *n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    }
    return 0;
}

/* One of words (a list ending in NULL), as its index in *out. */
int scenario_get_word(struct loader *ld, yaml_node_t *v, const char *path, const char *const *words,
                      int *out)
{
    char takes[128];
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
    return yamldoc_fail_got(&ld->yd, v, "%s: expected one of %s", path, takes);
}

int scenario_get_count(struct loader *ld, yaml_node_t *v, const char *path, uint32_t min,
                       uint32_t max, uint32_t *out)
{
    uint32_t n = 0;

    if (v->type != YAML_SCALAR_NODE || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
        yamldoc_parse_u32(v->data.scalar.value, v->data.scalar.length, 0, &n) != 0 || n < min ||
        n > max) {
        return yamldoc_fail_got(&ld->yd, v, "%s: expected a whole number from %lu to %lu", path,
                                (unsigned long)min, (unsigned long)max);
    }
    *out = n;
    return 0;
}

int scenario_get_bool(struct loader *ld, yaml_node_t *v, const char *path, int *out)
{
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
    return yamldoc_fail_got(&ld->yd, v, "%s: expected true or false", path);
}

yaml_node_t *scenario_item(struct loader *ld, int index)
{
    yaml_node_t *item = yamldoc_node(&ld->yd, index);

    if (item == NULL) {
        yamldoc_fail_at(&ld->yd, 0, 0, "internal error: a YAML node is missing");
    }
    return item;
}
