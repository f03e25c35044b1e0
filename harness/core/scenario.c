/*
 * scenario.c: the YAML scenario loader (see scenario.h and README,
 * "Scenario file").
 *
 * yamldoc.c reads the text into libyaml's node tree, refusing bad syntax, a
 * second document and deep nesting on the way. This file walks the tree by
 * the schema below, which bounds the walk's depth whatever the tree is
 * (aliases may make it cyclic), and builds the scenarios.
 *
 * Errors are reported at the first problem found, in document order as far
 * as the walk goes, with libyaml's 0-based marks turned 1-based.
 */
#include "scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "hresult.h"
#include "yamldoc.h"

/* Deepest nesting of mappings and lists accepted; a scenario list needs 5. */
#define MAX_DEPTH 32
/* Largest scenario file; the biggest real one is a few kilobytes. */
#define MAX_FILE_SIZE (1024 * 1024)
/* Most scenarios in one file (duplicate names are checked pairwise). */
#define MAX_SCENARIOS 4096
/* The most a file may expand to once every alias is replaced by what it
 * names: far above any real file (a 1 MiB file without aliases stays below
 * both), far below a "billion laughs" file (a 1 MiB description used 4095
 * times is 3.5 GB). The walk below meets each expanded node at most once, so
 * these bound its time and what it copies. */
#define MAX_EXPANDED_NODES (1024u * 1024u)
#define MAX_EXPANDED_BYTES (16u * 1024u * 1024u)

struct loader {
    const char *file;
    const char *base_dir;
    struct yamldoc yd; /* the tree, and the first error until it is copied to err */
    struct scenario_error *err;
    /* The scenarios of this file, appended to the caller's list at the end. */
    struct scenario *items;
    yaml_mark_t *name_marks; /* where each one's name is, for duplicates */
    size_t count, cap;
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

static int get_hresult(struct loader *ld, yaml_node_t *node, const char *path, uint32_t *out)
{
    char what[YAMLDOC_DESCRIBE_BUF];

    if (node->type != YAML_SCALAR_NODE || yamldoc_is_null(node)) {
        return yamldoc_fail(&ld->yd, node,
                            "%s: expected an HRESULT (a name like S_OK, or 0x-hex), got %s", path,
                            yamldoc_describe(node, what, sizeof what));
    }
    if (hresult_parse((const char *)node->data.scalar.value, node->data.scalar.length, out) != 0) {
        return yamldoc_fail(&ld->yd, node,
                            "%s: unknown HRESULT %s; write a name (S_OK, E_INVALIDARG, "
                            "MAPI_E_USER_CANCEL, ...) or 0x-hex",
                            path, yamldoc_describe(node, what, sizeof what));
    }
    return 0;
}

static int get_flag(struct loader *ld, yaml_node_t *node, uint32_t *out)
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
    if (rc != 0) {
        return yamldoc_fail(&ld->yd, node,
                            "sync.flags: unknown flag %s; write SYNC_* names "
                            "(SYNC_DOWNLOAD_CONTENTS, SYNC_ON_DEMAND, ...) or numbers",
                            yamldoc_describe(node, what, sizeof what));
    }
    return 0;
}

/* Mappings ------------------------------------------------------------- */

/* Checks node against the schema and calls each key's handler, in order. */
static int walk(struct loader *ld, struct scenario *sc, yaml_node_t *node, const struct schema *sch)
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
                return yamldoc_fail(&ld->yd, k, "unknown key '%s' (a scenario takes %s)", key,
                                    takes);
            }
            return yamldoc_fail(&ld->yd, k, "unknown key '%s' in %s (it takes %s)", key, sch->where,
                                takes);
        }
    }
    return 0;
}

/* provider: */

static int on_provider_path(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    char *path = NULL;
    size_t blen, plen;
    int absolute;

    if (yamldoc_get_string(&ld->yd, v, "provider.path", &path) != 0) {
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
            return yamldoc_fail(&ld->yd, v, "out of memory");
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
        return yamldoc_fail(&ld->yd, v, "provider: needs path: (the provider DLL to load)");
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
        yaml_node_t *item = yamldoc_node(&ld->yd, *it);
        if (item == NULL) {
            return yamldoc_fail_at(&ld->yd, 0, 0, "internal error: a YAML node is missing");
        }
        if (get_flag(ld, item, &one) != 0) {
            return -1;
        }
        flags |= one;
    }
    sc->flags = flags;
    return 0;
}

/* One of words (a list ending in NULL), as its index in *out. */
static int get_word(struct loader *ld, yaml_node_t *v, const char *path, const char *const *words,
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
        return yamldoc_fail(&ld->yd, v, "%s: expected one of %s, got '%s'", path, takes,
                            yamldoc_quote(v->data.scalar.value, v->data.scalar.length, q,
                                          sizeof q));
    }
    return yamldoc_fail(&ld->yd, v, "%s: expected one of %s, got %s", path, takes,
                        yamldoc_describe(v, what, sizeof what));
}

static int on_sync_size(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    char what[YAMLDOC_DESCRIBE_BUF];
    uint32_t n = 0;

    if (v->type == YAML_SCALAR_NODE && yamldoc_is_key(v, "default")) {
        sc->sib_size = SCENARIO_SIB_SIZE;
        return 0;
    }
    if (v->type != YAML_SCALAR_NODE || yamldoc_is_null(v) ||
        yamldoc_parse_u32(v->data.scalar.value, v->data.scalar.length, 1, &n) != 0 ||
        n > SCENARIO_SIB_SIZE_MAX) {
        return yamldoc_fail(&ld->yd, v,
                            "sync.size: expected default or a number of bytes from 0 to %u "
                            "(sizeof(MAPISIB) is %u), got %s",
                            SCENARIO_SIB_SIZE_MAX, SCENARIO_SIB_SIZE,
                            yamldoc_describe(v, what, sizeof what));
    }
    sc->sib_size = n;
    return 0;
}

static const char *const session_words[] = {"fake", "null", NULL};
static const char *const callback_words[] = {"fake", "null", "unknown-only", NULL};
static const char *const pointer_words[] = {"valid", "null", NULL};

static int on_sync_session(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    int i = 0;

    if (get_word(ld, v, "sync.session", session_words, &i) != 0) {
        return -1;
    }
    sc->session = (enum scenario_session)i;
    return 0;
}

static int on_sync_callback(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    int i = 0;

    if (get_word(ld, v, "sync.callback", callback_words, &i) != 0) {
        return -1;
    }
    sc->callback = (enum scenario_callback)i;
    return 0;
}

static int on_sync_done_event_ptr(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    int i = 0;

    if (get_word(ld, v, "sync.done_event_ptr", pointer_words, &i) != 0) {
        return -1;
    }
    sc->done_event_ptr = (enum scenario_pointer)i;
    return 0;
}

static int on_sync_psib(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    int i = 0;

    if (get_word(ld, v, "sync.psib", pointer_words, &i) != 0) {
        return -1;
    }
    sc->psib = (enum scenario_pointer)i;
    return 0;
}

static const struct key_handler sync_keys[] = {
    {"flags", on_sync_flags},
    {"size", on_sync_size},
    {"session", on_sync_session},
    {"callback", on_sync_callback},
    {"done_event_ptr", on_sync_done_event_ptr},
    {"psib", on_sync_psib},
};
static const char *const sync_unsupported[] = {"overlap", "repeat"};
static const struct schema sync_schema = {
    "sync",
    sync_keys,
    sizeof sync_keys / sizeof sync_keys[0],
    sync_unsupported,
    sizeof sync_unsupported / sizeof sync_unsupported[0],
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
        return yamldoc_fail(&ld->yd, v,
                            "expect.done: needs hresult: (the HRESULT Done should report)");
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
    char what[YAMLDOC_DESCRIBE_BUF];
    size_t n;

    if (v->type != YAML_SEQUENCE_NODE) {
        return yamldoc_fail(&ld->yd, v,
                            "rules.skip: expected a list of rule ids ([progress-monotonic, ...]), "
                            "got %s",
                            yamldoc_describe(v, what, sizeof what));
    }
    n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    for (size_t i = 0; i < sc->skip_rule_count; i++) {
        free(sc->skip_rules[i]);
    }
    free(sc->skip_rules);
    free(sc->skip_rule_marks);
    sc->skip_rules = NULL;
    sc->skip_rule_marks = NULL;
    sc->skip_rule_count = 0;
    if (n == 0) {
        return 0;
    }
    sc->skip_rules = calloc(n, sizeof *sc->skip_rules);
    sc->skip_rule_marks = calloc(n, sizeof *sc->skip_rule_marks);
    if (sc->skip_rules == NULL || sc->skip_rule_marks == NULL) {
        return yamldoc_fail(&ld->yd, v, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yamldoc_node(&ld->yd, v->data.sequence.items.start[i]);
        if (item == NULL) {
            return yamldoc_fail_at(&ld->yd, 0, 0, "internal error: a YAML node is missing");
        }
        if (yamldoc_get_string(&ld->yd, item, "rules.skip", &sc->skip_rules[i]) != 0) {
            return -1;
        }
        sc->skip_rule_marks[i].line = (unsigned)item->start_mark.line + 1;
        sc->skip_rule_marks[i].col = (unsigned)item->start_mark.column + 1;
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

/* host: */

static struct scenario_progress_return *current_return(struct scenario *sc)
{
    return &sc->progress_returns[sc->progress_return_count - 1];
}

static int on_return_from_call(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    uint32_t n = 0;

    if (yamldoc_get_ms(&ld->yd, v, "host.progress_returns.from_call", &n) != 0) {
        return -1;
    }
    if (n == 0) {
        return yamldoc_fail(&ld->yd, v,
                            "host.progress_returns.from_call: calls are counted from 1, not 0");
    }
    current_return(sc)->from_call = n;
    return 0;
}

static int on_return_hresult(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_hresult(ld, v, "host.progress_returns.hresult", &current_return(sc)->hresult);
}

static const struct key_handler progress_return_keys[] = {
    {"from_call", on_return_from_call},
    {"hresult", on_return_hresult},
};
static const struct schema progress_return_schema = {
    "host.progress_returns", progress_return_keys, 2, NULL, 0,
};

static int on_host_progress_returns(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    char what[YAMLDOC_DESCRIBE_BUF];

    if (v->type != YAML_SEQUENCE_NODE) {
        return yamldoc_fail(&ld->yd, v,
                            "host.progress_returns: expected a list of { from_call: N, hresult: "
                            "NAME }, got %s",
                            yamldoc_describe(v, what, sizeof what));
    }
    sc->progress_return_count = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yamldoc_node(&ld->yd, *it);
        if (item == NULL) {
            return yamldoc_fail_at(&ld->yd, 0, 0, "internal error: a YAML node is missing");
        }
        if (sc->progress_return_count == SCENARIO_MAX_PROGRESS_RETURNS) {
            return yamldoc_fail(&ld->yd, item, "host.progress_returns: at most %d entries",
                                SCENARIO_MAX_PROGRESS_RETURNS);
        }
        sc->progress_return_count++;
        current_return(sc)->from_call = 0;
        current_return(sc)->hresult = 0;
        if (walk(ld, sc, item, &progress_return_schema) != 0) {
            return -1;
        }
        if (current_return(sc)->from_call == 0) {
            return yamldoc_fail(&ld->yd, item,
                                "host.progress_returns: each entry needs from_call: (the first "
                                "Progress call it answers, from 1)");
        }
    }
    return 0;
}

static const struct key_handler host_keys[] = {
    {"progress_returns", on_host_progress_returns},
};
static const char *const host_unsupported[] = {"delay_ms", "faults", "logoff_after_ms"};
static const struct schema host_schema = {
    "host", host_keys, 1, host_unsupported, sizeof host_unsupported / sizeof host_unsupported[0],
};

static int on_host(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return walk(ld, sc, v, &host_schema);
}

/* The scenario itself */

static int on_name(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return yamldoc_get_string(&ld->yd, v, "name", &sc->name);
}

static int on_description(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return yamldoc_get_string(&ld->yd, v, "description", &sc->description);
}

/* Deadlines: one rule for every deadline key and for --timeout-ms (see
 * scenario.h). An explicit 0 is refused, never read as "the default". */
#define DEADLINE_WHAT "a deadline: 1 hour at most"

static int get_deadline(struct loader *ld, yaml_node_t *v, const char *key, uint32_t *out)
{
    return yamldoc_get_ms_in(&ld->yd, v, key, SCENARIO_DEADLINE_MIN_MS, SCENARIO_DEADLINE_MAX_MS,
                             DEADLINE_WHAT, out);
}

static int on_timeout_ms(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_deadline(ld, v, "timeout_ms", &sc->timeout_ms);
}

static int on_return_within_ms(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_deadline(ld, v, "return_within_ms", &sc->return_within_ms);
}

static int on_load_timeout_ms(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_deadline(ld, v, "load_timeout_ms", &sc->load_timeout_ms);
}

static int on_shutdown_timeout_ms(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_deadline(ld, v, "shutdown_timeout_ms", &sc->shutdown_timeout_ms);
}

static int on_settle_ms(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return yamldoc_get_ms_in(&ld->yd, v, "settle_ms", 0, SCENARIO_SETTLE_MAX_MS, "1 minute at most",
                             &sc->settle_ms);
}

static const struct key_handler scenario_keys[] = {
    {"name", on_name},
    {"description", on_description},
    {"provider", on_provider},
    {"sync", on_sync},
    {"timeout_ms", on_timeout_ms},
    {"return_within_ms", on_return_within_ms},
    {"settle_ms", on_settle_ms},
    {"load_timeout_ms", on_load_timeout_ms},
    {"shutdown_timeout_ms", on_shutdown_timeout_ms},
    {"expect", on_expect},
    {"rules", on_rules},
    {"host", on_host},
};
static const struct schema scenario_schema = {
    "", scenario_keys, sizeof scenario_keys / sizeof scenario_keys[0], NULL, 0,
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
    free(sc->skip_rule_marks);
    memset(sc, 0, sizeof *sc);
}

/* Loads one scenario mapping into the loader's list. */
static int load_scenario(struct loader *ld, yaml_node_t *node)
{
    char what[YAMLDOC_DESCRIBE_BUF], q[YAMLDOC_QUOTE_BUF];
    struct scenario *sc;
    yaml_node_t *name_node;

    if (node->type != YAML_MAPPING_NODE) {
        return yamldoc_fail(&ld->yd, node, "expected a scenario (a mapping with name:), got %s",
                            yamldoc_describe(node, what, sizeof what));
    }
    if (ld->count == ld->cap) {
        size_t cap = ld->cap ? ld->cap * 2 : 4;
        struct scenario *items;
        yaml_mark_t *marks;
        if (ld->count >= MAX_SCENARIOS) {
            return yamldoc_fail(&ld->yd, node, "more than %d scenarios in one file; split it",
                                MAX_SCENARIOS);
        }
        items = realloc(ld->items, cap * sizeof *items);
        if (items == NULL) {
            return yamldoc_fail(&ld->yd, node, "out of memory");
        }
        ld->items = items;
        marks = realloc(ld->name_marks, cap * sizeof *marks);
        if (marks == NULL) {
            return yamldoc_fail(&ld->yd, node, "out of memory");
        }
        ld->name_marks = marks;
        ld->cap = cap;
    }
    sc = &ld->items[ld->count++];
    memset(sc, 0, sizeof *sc);
    sc->flags = 0x80u; /* SYNC_DOWNLOAD_CONTENTS */
    sc->sib_size = SCENARIO_SIB_SIZE;
    sc->return_within_ms = SCENARIO_DEFAULT_RETURN_WITHIN_MS;
    sc->settle_ms = SCENARIO_DEFAULT_SETTLE_MS;
    sc->load_timeout_ms = SCENARIO_DEFAULT_LOAD_TIMEOUT_MS;
    sc->shutdown_timeout_ms = SCENARIO_DEFAULT_SHUTDOWN_TIMEOUT_MS;
    sc->line = (unsigned)node->start_mark.line + 1;
    sc->file = dup_bytes(ld->file, strlen(ld->file));
    if (sc->file == NULL) {
        return yamldoc_fail(&ld->yd, node, "out of memory");
    }
    if (walk(ld, sc, node, &scenario_schema) != 0) {
        return -1;
    }
    name_node = yamldoc_lookup(&ld->yd, node, "name");
    if (name_node == NULL || sc->name == NULL) {
        return yamldoc_fail(&ld->yd, node, "the scenario has no name: (it is required)");
    }
    ld->name_marks[ld->count - 1] = name_node->start_mark;
    for (size_t i = 0; i + 1 < ld->count; i++) {
        if (strcmp(ld->items[i].name, sc->name) == 0) {
            return yamldoc_fail(
                &ld->yd, name_node, "duplicate scenario name '%s' (first at %lu:%lu)",
                yamldoc_quote((const unsigned char *)sc->name, strlen(sc->name), q, sizeof q),
                (unsigned long)ld->name_marks[i].line + 1,
                (unsigned long)ld->name_marks[i].column + 1);
        }
    }
    return 0;
}

/* The document: one scenario, or a mapping with only scenarios: [...]. */
static int load_root(struct loader *ld, yaml_node_t *root)
{
    char what[YAMLDOC_DESCRIBE_BUF], key[YAMLDOC_QUOTE_BUF];
    yaml_node_t *list = NULL, *first = NULL;
    yaml_node_pair_t *pairs;
    size_t count;

    if (root->type != YAML_MAPPING_NODE) {
        return yamldoc_fail(&ld->yd, root,
                            "expected a scenario (a mapping with name:) or a list of them "
                            "under scenarios:, got %s",
                            yamldoc_describe(root, what, sizeof what));
    }
    if (yamldoc_lookup(&ld->yd, root, "scenarios") == NULL) {
        return load_scenario(ld, root);
    }
    pairs = root->data.mapping.pairs.start;
    count = (size_t)(root->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *k = yamldoc_node(&ld->yd, pairs[i].key);
        if (k == NULL) {
            return yamldoc_fail_at(&ld->yd, 0, 0, "internal error: a YAML node is missing");
        }
        if (k->type != YAML_SCALAR_NODE) {
            return yamldoc_fail(&ld->yd, k, "keys must be names, got %s",
                                yamldoc_describe(k, what, sizeof what));
        }
        if (!yamldoc_is_key(k, "scenarios")) {
            return yamldoc_fail(
                &ld->yd, k,
                "key '%s' cannot stand beside scenarios: (a file holds one "
                "scenario, or a list of them under scenarios: and nothing else)",
                yamldoc_quote(k->data.scalar.value, k->data.scalar.length, key, sizeof key));
        }
        if (first != NULL) {
            return yamldoc_fail(&ld->yd, k, "duplicate key 'scenarios' (first at %lu:%lu)",
                                (unsigned long)first->start_mark.line + 1,
                                (unsigned long)first->start_mark.column + 1);
        }
        first = k;
        list = yamldoc_node(&ld->yd, pairs[i].value);
        if (list == NULL) {
            return yamldoc_fail_at(&ld->yd, 0, 0, "internal error: a YAML node is missing");
        }
    }
    if (list->type != YAML_SEQUENCE_NODE) {
        return yamldoc_fail(&ld->yd, list, "scenarios: expected a list of scenarios, got %s",
                            yamldoc_describe(list, what, sizeof what));
    }
    if (list->data.sequence.items.top == list->data.sequence.items.start) {
        return yamldoc_fail(&ld->yd, list, "scenarios: the list is empty");
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        yaml_node_t *item = yamldoc_node(&ld->yd, *it);
        if (item == NULL) {
            return yamldoc_fail_at(&ld->yd, 0, 0, "internal error: a YAML node is missing");
        }
        if (load_scenario(ld, item) != 0) {
            return -1;
        }
    }
    return 0;
}

/* Loading ------------------------------------------------------------ */

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
            return yamldoc_fail_at(&ld->yd, 0, 0, "out of memory");
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

/* A NUL byte means binary data (a DLL, an archive), not YAML text, unless a
 * byte order mark says UTF-16 (which libyaml reads). Refused at the
 * first NUL, before libyaml's less telling "control characters are not
 * allowed". Returns 0, or -1 recorded. */
static int refuse_binary(struct loader *ld, const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    const char *nul;
    size_t line = 0, col = 0;

    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        return 0;
    }
    nul = memchr(data, '\0', len);
    if (nul == NULL) {
        return 0;
    }
    for (const char *p = data; p < nul; p++) {
        if (*p == '\n') {
            line++;
            col = 0;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            col++;
        }
    }
    return yamldoc_fail_at(&ld->yd, line, col,
                           "binary data (a NUL byte at offset %lu), not a scenario file: scenario "
                           "files are YAML text%s",
                           (unsigned long)(nul - data),
                           len >= 2 && data[0] == 'M' && data[1] == 'Z'
                               ? " (this looks like a DLL or a program: an MZ header)"
                               : "");
}

int scenario_load_buffer(const char *name, const char *base_dir, const char *data, size_t len,
                         struct scenario_list *list, struct scenario_error *err)
{
    static const struct yamldoc_limits limits = {
        MAX_DEPTH,
        MAX_EXPANDED_NODES,
        MAX_EXPANDED_BYTES,
    };
    struct loader ld;
    yaml_mark_t where;
    int rc = -1;

    memset(&ld, 0, sizeof ld);
    yamldoc_init(&ld.yd);
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
    if (data != NULL && refuse_binary(&ld, data, len) != 0) {
        goto done;
    }
    switch (yamldoc_load(&ld.yd, data != NULL ? data : "", len, &limits, &where)) {
    case 0:
        if (load_root(&ld, yamldoc_root(&ld.yd)) == 0) {
            rc = append_all(&ld, list);
        }
        break;
    case YAMLDOC_EMPTY:
        yamldoc_fail_at(&ld.yd, 0, 0,
                        "empty file: expected a scenario (a mapping with name:) or a list of "
                        "them under scenarios:");
        break;
    case YAMLDOC_SECOND_DOCUMENT:
        yamldoc_fail_at(&ld.yd, where.line, where.column,
                        "a second YAML document: a file holds one scenario, or a list of "
                        "them under scenarios:");
        break;
    case YAMLDOC_TOO_DEEP:
        yamldoc_fail_at(&ld.yd, where.line, where.column,
                        "nested more than %d levels deep; no scenario needs that", MAX_DEPTH);
        break;
    default: /* -1: yamldoc recorded why */
        break;
    }
done:
    for (size_t i = 0; i < ld.count; i++) {
        scenario_free(&ld.items[i]);
    }
    free(ld.items);
    free(ld.name_marks);
    yamldoc_free(&ld.yd);
    if (ld.yd.failed) {
        _Static_assert(sizeof err->message == sizeof ld.yd.message,
                       "a message must fit as yamldoc wrote it");
        err->line = ld.yd.line;
        err->col = ld.yd.col;
        memcpy(err->message, ld.yd.message, sizeof err->message);
    }
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

int scenario_args_valid(const struct scenario *sc)
{
    return sc->psib == SCENARIO_POINTER_VALID && sc->done_event_ptr == SCENARIO_POINTER_VALID &&
           sc->sib_size >= SCENARIO_SIB_SIZE && sc->callback == SCENARIO_CALLBACK_FAKE &&
           sc->session == SCENARIO_SESSION_FAKE;
}
