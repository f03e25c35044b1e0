/*
 * scenario.c: the YAML scenario loader (see scenario.h and docs/scenarios.md).
 *
 * yamldoc.c reads the text into libyaml's node tree, refusing bad syntax, a
 * second document and deep nesting on the way. The loader walks the tree by
 * the schemas of scenario_load.h's files, which bound the walk's depth
 * whatever the tree is (aliases may make it cyclic), and builds the
 * scenarios. This file holds the document and the scenario's own keys.
 *
 * Errors are reported at the first problem found, in document order as far
 * as the walk goes, with libyaml's 0-based marks turned 1-based.
 */
#include "scenario/scenario_load.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/readfile.h"

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

/* memory_growth_mib: a bound of leak-memory, not a deadline; at least 1 MiB,
 * since the host's own records and the allocator move the commit a little
 * from round to round. */
static int on_memory_growth_mib(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_get_count(ld, v, "memory_growth_mib", 1, SCENARIO_MEMORY_GROWTH_MAX_MIB,
                              &sc->memory_growth_mib);
}

static const struct key_handler scenario_keys[] = {
    {"name", on_name},
    {"description", on_description},
    {"provider", scenario_on_provider},
    {"sync", scenario_on_sync},
    {"timeout_ms", on_timeout_ms},
    {"return_within_ms", on_return_within_ms},
    {"settle_ms", on_settle_ms},
    {"load_timeout_ms", on_load_timeout_ms},
    {"shutdown_timeout_ms", on_shutdown_timeout_ms},
    {"memory_growth_mib", on_memory_growth_mib},
    {"expect", scenario_on_expect},
    {"rules", scenario_on_rules},
    {"host", scenario_on_host},
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
    free(sc->faults);
    free(sc->profile);
    for (size_t i = 0; i < sc->skip_rule_count; i++) {
        free(sc->skip_rules[i]);
    }
    free(sc->skip_rules);
    free(sc->skip_rule_marks);
    memset(sc, 0, sizeof *sc);
}

/* What single keys cannot check: keys that do not go together. */
static int check_together(struct loader *ld, struct scenario *sc, yaml_node_t *node)
{
    const struct scenario_expect *e = &sc->expect;

    if (sc->has_logoff_after && sc->repeat > 1) {
        yaml_node_t *at = yamldoc_lookup(&ld->yd, node, "host");
        return yamldoc_fail(&ld->yd, at != NULL ? at : node,
                            "host.logoff_after_ms: the host cannot sync again after it logged "
                            "off; leave sync.repeat at 1 with it");
    }
    if (sc->memory_growth_mib != 0 && sc->repeat < 2) {
        yaml_node_t *at = yamldoc_lookup(&ld->yd, node, "memory_growth_mib");
        return yamldoc_fail(&ld->yd, at != NULL ? at : node,
                            "memory_growth_mib: growth is measured between sync.repeat's "
                            "rounds; set sync.repeat to 2 or more with it");
    }
    if (e->has_progress_min && e->has_progress_max && e->progress_min > e->progress_max) {
        yaml_node_t *at = yamldoc_lookup(&ld->yd, node, "expect");
        return yamldoc_fail(&ld->yd, at != NULL ? at : node,
                            "expect.progress: min (%lu) is above max (%lu)",
                            (unsigned long)e->progress_min, (unsigned long)e->progress_max);
    }
    if (e->has_error_count && e->has_error_codes && e->error_count != e->error_code_count) {
        yaml_node_t *at = yamldoc_lookup(&ld->yd, node, "expect");
        return yamldoc_fail(&ld->yd, at != NULL ? at : node,
                            "expect.errors: count (%lu) and the %lu codes listed disagree",
                            (unsigned long)e->error_count, (unsigned long)e->error_code_count);
    }
    return 0;
}

/* Loads one scenario mapping into the loader's list. */
static int load_scenario(struct loader *ld, yaml_node_t *node)
{
    char q[YAMLDOC_QUOTE_BUF];
    struct scenario *sc;
    yaml_node_t *name_node;

    if (node->type != YAML_MAPPING_NODE) {
        return yamldoc_fail_got(&ld->yd, node, "expected a scenario (a mapping with name:)");
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
    sc->overlap = 1;
    sc->repeat = 1;
    sc->line = (unsigned)node->start_mark.line + 1;
    sc->file = scenario_dup(ld->file, strlen(ld->file));
    if (sc->file == NULL) {
        return yamldoc_fail(&ld->yd, node, "out of memory");
    }
    if (scenario_walk(ld, sc, node, &scenario_schema) != 0 || check_together(ld, sc, node) != 0) {
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
    char key[YAMLDOC_DESCRIBE_BUF];
    yaml_node_t *list = NULL, *first = NULL;
    yaml_node_pair_t *pairs;
    size_t count;

    /* Said without quoting it: a file given by mistake (a key, a token)
     * must not reach a CI log through this message. */
    if (root->type != YAML_MAPPING_NODE) {
        return yamldoc_fail(&ld->yd, root,
                            "expected a scenario (a mapping with name:) or a list of them "
                            "under scenarios:, got %s",
                            yamldoc_kind(root));
    }
    if (yamldoc_lookup(&ld->yd, root, "scenarios") == NULL) {
        return load_scenario(ld, root);
    }
    pairs = root->data.mapping.pairs.start;
    count = (size_t)(root->data.mapping.pairs.top - pairs);
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *k = scenario_item(ld, pairs[i].key);
        if (k == NULL) {
            return -1;
        }
        if (k->type != YAML_SCALAR_NODE) {
            return yamldoc_fail_got(&ld->yd, k, "keys must be names");
        }
        if (!yamldoc_is_key(k, "scenarios")) {
            return yamldoc_fail(
                &ld->yd, k,
                "key %s cannot stand beside scenarios: (a file holds one "
                "scenario, or a list of them under scenarios: and nothing else)",
                yamldoc_is_word(k) ? yamldoc_describe(k, key, sizeof key)
                                   : "(not a name; not quoted here)");
        }
        if (first != NULL) {
            return yamldoc_fail(&ld->yd, k, "duplicate key 'scenarios' (first at %lu:%lu)",
                                (unsigned long)first->start_mark.line + 1,
                                (unsigned long)first->start_mark.column + 1);
        }
        first = k;
        list = scenario_item(ld, pairs[i].value);
        if (list == NULL) {
            return -1;
        }
    }
    if (scenario_get_list(ld, list, "scenarios: expected a list of scenarios", NULL) != 0) {
        return -1;
    }
    if (list->data.sequence.items.top == list->data.sequence.items.start) {
        return yamldoc_fail(&ld->yd, list, "scenarios: the list is empty");
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        yaml_node_t *item = scenario_item(ld, *it);
        if (item == NULL) {
            return -1;
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
    static const struct yamldoc_words words = {
        "empty file: expected a scenario (a mapping with name:) or a list of them under "
        "scenarios:",
        "a file holds one scenario, or a list of them under scenarios:",
        "; no scenario needs that",
    };
    struct loader ld;
    yaml_node_t *root;
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
                 "too large for a scenario file: %zu bytes, more than the limit of %d bytes",
                 len, MAX_FILE_SIZE);
        return -1;
    }
    if (data != NULL && refuse_binary(&ld, data, len) != 0) {
        goto done;
    }
    if (yamldoc_load_as(&ld.yd, data != NULL ? data : "", len, &limits, &words, &root) == 0 &&
        load_root(&ld, root) == 0) {
        rc = append_all(&ld, list);
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
        return scenario_dup(".", 1);
    }
    if (slash == path) {
        return scenario_dup("/", 1);
    }
    return scenario_dup(path, (size_t)(slash - path));
}

int scenario_load_file(const char *path, struct scenario_list *list, struct scenario_error *err)
{
    char *data = NULL, *dir = NULL, why[sizeof err->message + PATH_MAX];
    size_t len = 0, skip = strlen(path) + 2;
    int rc = -1;

    memset(err, 0, sizeof *err);
    snprintf(err->file, sizeof err->file, "%s", path);
    /* Sized before it is read: a huge file costs neither time nor memory.
     * readfile's message starts with the path, which err->file holds. */
    if (readfile_load(path, MAX_FILE_SIZE, "a scenario file", &data, &len, why, sizeof why) != 0) {
        const char *m = strlen(why) >= skip ? why + skip : why;
        len = strlen(m) < sizeof err->message ? strlen(m) : sizeof err->message - 1;
        memcpy(err->message, m, len);
        err->message[len] = '\0';
        return -1;
    }
    dir = dir_of(path);
    if (dir == NULL) {
        snprintf(err->message, sizeof err->message, "cannot read: out of memory");
        goto done;
    }
    rc = scenario_load_buffer(path, dir, data, len, list, err);
done:
    free(dir);
    free(data);
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

uint32_t scenario_call_count(const struct scenario *sc)
{
    uint32_t overlap = sc->overlap > 0 ? sc->overlap : 1;
    uint32_t repeat = sc->repeat > 0 ? sc->repeat : 1;

    return overlap * repeat;
}
