/*
 * yamlnode.c: a loaded document's nodes and their values, checked as they
 * are read (see yamldoc.h): lookups by key, strings, numbers, durations.
 */
#include "yaml/yamldoc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/number.h"

/* Nodes --------------------------------------------------------------- */

yaml_node_t *yamldoc_node(struct yamldoc *d, int index)
{
    return yaml_document_get_node(&d->doc, index);
}

int yamldoc_is_null(const yaml_node_t *node)
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

int yamldoc_is_key(const yaml_node_t *k, const char *name)
{
    size_t len = strlen(name);

    return k->type == YAML_SCALAR_NODE && k->data.scalar.length == len &&
           memcmp(k->data.scalar.value, name, len) == 0;
}

/* Does the mapping have this key? (Its value, or NULL.) */
yaml_node_t *yamldoc_lookup(struct yamldoc *d, yaml_node_t *map, const char *key)
{
    size_t len = strlen(key);

    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yamldoc_node(d, p->key);
        if (k != NULL && k->type == YAML_SCALAR_NODE && k->data.scalar.length == len &&
            memcmp(k->data.scalar.value, key, len) == 0) {
            return yamldoc_node(d, p->value);
        }
    }
    return NULL;
}

/* Values -------------------------------------------------------------- */

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
int yamldoc_get_string(struct yamldoc *d, yaml_node_t *node, const char *path, char **out)
{
    const unsigned char *s;
    size_t len;

    if (node->type != YAML_SCALAR_NODE || yamldoc_is_null(node)) {
        return yamldoc_fail_got(d, node, "%s: expected a string", path);
    }
    s = node->data.scalar.value;
    len = node->data.scalar.length;
    if (len == 0) {
        return yamldoc_fail(d, node, "%s: must not be empty", path);
    }
    if (memchr(s, '\0', len) != NULL) {
        return yamldoc_fail(d, node, "%s: must not contain a NUL character", path);
    }
    free(*out);
    *out = dup_bytes(s, len);
    if (*out == NULL) {
        return yamldoc_fail(d, node, "out of memory");
    }
    return 0;
}

/* Digits only (hex after "0x" when allow_hex), at most 32 bits.
 * Returns 0, -1 when not a number, -2 when too large. */
int yamldoc_parse_u32(const unsigned char *s, size_t len, int allow_hex, uint32_t *out)
{
    uint64_t v;
    int rc = text_parse_u64((const char *)s, len, allow_hex ? TEXT_NUMBER_HEX : 0, UINT32_MAX, &v);

    if (rc == 0) {
        *out = (uint32_t)v;
    }
    return rc;
}

/* A plain, non-negative, decimal number of milliseconds. */
int yamldoc_get_ms(struct yamldoc *d, yaml_node_t *node, const char *path, uint32_t *out)
{
    char what[YAMLDOC_DESCRIBE_BUF];
    const unsigned char *s;
    size_t len;
    int rc;

    if (node->type != YAML_SCALAR_NODE || yamldoc_is_null(node)) {
        return yamldoc_fail_got(d, node, "%s: expected a number of milliseconds", path);
    }
    s = node->data.scalar.value;
    len = node->data.scalar.length;
    if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        return yamldoc_fail(d, node,
                            "%s: expected a number of milliseconds, got the string %s "
                            "(write it without quotes)",
                            path, yamldoc_describe(node, what, sizeof what));
    }
    if (len > 1 && s[0] == '-' && yamldoc_parse_u32(s + 1, len - 1, 0, &(uint32_t){0}) != -1) {
        return yamldoc_fail_got(d, node, "%s: must not be negative", path);
    }
    rc = yamldoc_parse_u32(s, len, 0, out);
    if (rc == -2) {
        return yamldoc_fail(d, node, "%s: %s is too large (at most 4294967295)", path,
                            yamldoc_describe(node, what, sizeof what));
    }
    if (rc != 0) {
        return yamldoc_fail_got(d, node, "%s: expected a whole number of milliseconds", path);
    }
    return 0;
}

/* A number of milliseconds from min to max. */
int yamldoc_get_ms_in(struct yamldoc *d, yaml_node_t *node, const char *path, uint32_t min,
                      uint32_t max, const char *what, uint32_t *out)
{
    char got[YAMLDOC_DESCRIBE_BUF];
    uint32_t v = 0;
    int too_large =
        node->type == YAML_SCALAR_NODE && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        yamldoc_parse_u32(node->data.scalar.value, node->data.scalar.length, 0, &v) == -2;

    if (!too_large && yamldoc_get_ms(d, node, path, &v) != 0) {
        return -1;
    }
    if (too_large || v < min || v > max) {
        return yamldoc_fail(d, node, "%s: must be from %lu to %lu ms (%s), got %s", path,
                            (unsigned long)min, (unsigned long)max, what,
                            yamldoc_describe(node, got, sizeof got));
    }
    *out = v;
    return 0;
}
