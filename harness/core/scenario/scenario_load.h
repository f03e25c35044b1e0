/*
 * scenario_load.h: the scenario loader's inside, shared by its files (not a
 * public interface; see scenario.h for that).
 *
 *   scenario.c         the document (one scenario or a list), the top-level
 *                      keys, reading files, freeing
 *   scenario_walk.c    walking a mapping by its schema; values (HRESULTs,
 *                      SYNC_* flags, words)
 *   scenario_sync.c    provider: and sync:
 *   scenario_host.c    host:
 *   scenario_expect.c  expect: and rules:
 *
 * Adding a key: write its handler (`int on_x(struct loader *, struct
 * scenario *, yaml_node_t *value)`, 0 or -1 with the error recorded through
 * yamldoc_fail) in the file of its section, or in a file of its own that
 * declares it here, and add a row to that section's key table. A section of
 * its own is a handler that walks the value with a schema of its own.
 */
#ifndef SYNCHOST_SCENARIO_LOAD_H
#define SYNCHOST_SCENARIO_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "scenario/scenario.h"
#include "yaml/yamldoc.h"

struct loader {
    const char *file;
    const char *base_dir;
    struct yamldoc yd; /* the tree, and the first error until it is copied to err */
    struct scenario_error *err;
    /* The scenarios of this file, appended to the caller's list at the end. */
    struct scenario *items;
    yaml_mark_t *name_marks; /* where each one's name is, for duplicates */
    size_t count, cap;
    /* The host.*_returns entry being filled, its list's key path, and which
     * of its keys were written (RET_*). */
    struct scenario_progress_return *ret;
    const char *ret_path;
    unsigned ret_written;
};

/* What a mapping accepts: keys with a handler, keys catalogued in
 * the scenario format but not acted on yet, and how to name it in messages. */
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

#define SCENARIO_COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Checks node against the schema and calls each key's handler, in order. */
int scenario_walk(struct loader *ld, struct scenario *sc, yaml_node_t *node,
                  const struct schema *sch);
/* Defines the key handler fn of a section: a mapping at path whose keys are
 * the table keys, walked against them (with the schema fn##_schema). */
#define SCENARIO_SECTION_HANDLER(fn, path, keys)                                             \
    static const struct schema fn##_schema = {path, keys, SCENARIO_COUNT_OF(keys), NULL, 0}; \
    static int fn(struct loader *ld, struct scenario *sc, yaml_node_t *v)                    \
    {                                                                                        \
        return scenario_walk(ld, sc, v, &fn##_schema);                                       \
    }

/* Values: each 0, or -1 with the error recorded at the node. */
char *scenario_dup(const void *s, size_t len); /* NUL-terminated copy, or NULL */
int scenario_get_hresult(struct loader *ld, yaml_node_t *node, const char *path, uint32_t *out);
int scenario_get_flag(struct loader *ld, yaml_node_t *node, uint32_t *out);
/* One of words (a list ending in NULL), as its index in *out. */
int scenario_get_word(struct loader *ld, yaml_node_t *v, const char *path, const char *const *words,
                      int *out);
/* Defines the key handler fn, which reads path, one of words, into the
 * scenario's field, an enum of type: one definition for every such key. */
#define SCENARIO_WORD_HANDLER(fn, path, words, field, type)               \
    static int fn(struct loader *ld, struct scenario *sc, yaml_node_t *v) \
    {                                                                     \
        int i = 0;                                                        \
                                                                          \
        if (scenario_get_word(ld, v, path, words, &i) != 0) {             \
            return -1;                                                    \
        }                                                                 \
        sc->field = (type)i;                                              \
        return 0;                                                         \
    }

/* A whole decimal number from min to max (sync.overlap, expect.progress.min). */
int scenario_get_count(struct loader *ld, yaml_node_t *v, const char *path, uint32_t min,
                       uint32_t max, uint32_t *out);
/* A list, its length in *n (when n is not NULL); anything else is refused
 * with expected (a message, "host.faults: expected a list of ...") and what
 * it is. */
int scenario_get_list(struct loader *ld, yaml_node_t *v, const char *expected, size_t *n);
/* true or false, as plain words. */
int scenario_get_bool(struct loader *ld, yaml_node_t *v, const char *path, int *out);
/* The node with this index in the tree (a list's item, a key, a value), or
 * NULL with the error recorded. */
yaml_node_t *scenario_item(struct loader *ld, int index);

/* The sections' handlers, for the scenario's own key table. */
int scenario_on_provider(struct loader *ld, struct scenario *sc, yaml_node_t *v);
int scenario_on_sync(struct loader *ld, struct scenario *sc, yaml_node_t *v);
int scenario_on_host(struct loader *ld, struct scenario *sc, yaml_node_t *v);
int scenario_on_expect(struct loader *ld, struct scenario *sc, yaml_node_t *v);
int scenario_on_rules(struct loader *ld, struct scenario *sc, yaml_node_t *v);
/* host.faults (scenario_faults.c) and provider.profile (scenario_profile.c). */
int scenario_on_host_faults(struct loader *ld, struct scenario *sc, yaml_node_t *v);
int scenario_on_provider_profile(struct loader *ld, struct scenario *sc, yaml_node_t *v);

#endif /* SYNCHOST_SCENARIO_LOAD_H */
