/*
 * yamlwalk.h: a mapping walked against the keys it may hold, the one way
 * every file synchost reads is walked (scenario files, synchost.yaml,
 * baselines), so that each says the same things the same way: a key
 * repeated ("duplicate key 'x' in sync (first at 3:5)"), a key it does not
 * take, with the one it most likely means ("unknown key 'overlpa' in sync;
 * did you mean 'overlap'? (it takes ...)"), a key this version knows of but
 * does not support. Each message is recorded in the yamldoc at the key's
 * line and column (yamldoc.h); a key is quoted escaped and cut
 * (yamldoc_quote), and at the top of a file that may be none of ours (a
 * password file reads as one long key) only a key that looks like one is
 * quoted at all.
 *
 * Keys are handed to the caller in document order, so the first error a
 * walk meets is the first in the file.
 */
#ifndef SYNCHOST_YAMLWALK_H
#define SYNCHOST_YAMLWALK_H

#include <stddef.h>

#include "yaml/yamldoc.h"

struct yamlwalk_schema {
    /* The mapping in messages: a key path ("sync", "scenarios.repeat") or a
     * description ("a skip entry", "the configuration"); or "", and then
     * it is called top ("a scenario": "unknown key 'x' (a scenario takes
     * ...)"). */
    const char *where;
    const char *top;
    /* Is it the top of the file? Only a key that looks like one is quoted
     * there (yamldoc_is_word). */
    int file_top;
    /* The keys it takes: key_count items of key_size bytes, each starting
     * with its name (a const char *), so that a table of names, or of
     * names with their handlers, serves as it is. NULL: any key (a mapping
     * whose keys the file names, such as options), repeats still refused. */
    const void *keys;
    size_t key_count, key_size;
    /* Keys known but not supported by this version (may be NULL). */
    const char *const *unsupported;
    size_t unsupported_count;
};

/* The keys of a schema that are a table of names (const char *names[]),
 * as designated initializers. */
#define YAMLWALK_NAMES_INIT(names)                                                                \
    .keys = (names), .key_count = sizeof(names) / sizeof((names)[0]), .key_size = sizeof((names)[0])

/* Called for each pair in document order: index is the key's place in the
 * schema's keys ((size_t)-1 when it takes any key). Returns 0, or -1 with
 * the error recorded. */
typedef int (*yamlwalk_fn)(void *ctx, size_t index, yaml_node_t *key, yaml_node_t *value);

/* Checks that node is a mapping of the schema's keys, each once, calling
 * fn for each pair. Returns 0, or -1 with the first error recorded. */
int yamlwalk_map(struct yamldoc *d, yaml_node_t *node, const struct yamlwalk_schema *sch,
                 yamlwalk_fn fn, void *ctx);

/* The name of the schema's key at index. */
const char *yamlwalk_key_name(const struct yamlwalk_schema *sch, size_t index);

#endif /* SYNCHOST_YAMLWALK_H */
