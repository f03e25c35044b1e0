/*
 * baseline_yaml.c: the expectations file, read strictly (see baseline.h for
 * its shape): every error is reported at its line and column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regress/baseline.h"
#include "text/optstr.h"
#include "yaml/yamldoc.h"
#include "yaml/yamlwalk.h"

/* An expectations file is a short list written by hand; these bound what a
 * hostile one can cost (yamldoc.h). */
#define MAX_FILE_SIZE      BASELINE_YAML_MAX_SIZE
#define MAX_DEPTH          8
#define MAX_EXPANDED_NODES (1024u * 1024u)
#define MAX_EXPANDED_BYTES (16u * 1024u * 1024u)

static const char *const entry_keys[] = {"scenario", "file", "status", "rule", "rules", "reason"};
enum { KEY_SCENARIO, KEY_FILE, KEY_STATUS, KEY_RULE, KEY_RULES, KEY_REASON, KEY_COUNT };

static int keep_value(void *ctx, size_t index, yaml_node_t *k, yaml_node_t *v)
{
    yaml_node_t **vals = ctx;

    (void)k;
    vals[index] = v;
    return 0;
}

/* The values of map's keys, each at most once, into vals (NULL when absent);
 * any other key is an error naming the ones it takes (yamlwalk.h). */
static int get_keys(struct yamldoc *d, yaml_node_t *map, const char *where, const char *const *keys,
                    size_t n, yaml_node_t **vals)
{
    const struct yamlwalk_schema sch = {
        .where = where, .keys = keys, .key_count = n, .key_size = sizeof *keys};
    char takes[128] = "";
    size_t w = 0;

    if (map->type != YAML_MAPPING_NODE) {
        for (size_t j = 0; j < n && w < sizeof takes; j++) {
            int m = snprintf(takes + w, sizeof takes - w, "%s%s", j > 0 ? ", " : "", keys[j]);
            w += m > 0 ? (size_t)m : 0;
        }
        return yamldoc_fail_got(d, map, "%s: expected a mapping (of %s)", where, takes);
    }
    memset(vals, 0, n * sizeof *vals);
    return yamlwalk_map(d, map, &sch, keep_value, vals);
}

static int parse_kind(struct yamldoc *d, yaml_node_t *v, struct baseline_entry *e)
{
    static const struct {
        const char *name;
        enum baseline_kind kind;
        enum scenario_status status;
    } kinds[] = {
        {"failed", BASELINE_KIND_FAILURE, STATUS_FAILED},
        {"crashed", BASELINE_KIND_FAILURE, STATUS_CRASHED},
        {"timed_out", BASELINE_KIND_FAILURE, STATUS_TIMED_OUT},
        {"flaky", BASELINE_KIND_FLAKY, STATUS_FAILED},
        {"skip", BASELINE_KIND_SKIP, STATUS_SKIPPED},
    };

    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (v->type == YAML_SCALAR_NODE && yamldoc_is_key(v, kinds[i].name)) {
            e->kind = kinds[i].kind;
            e->status = kinds[i].status;
            return 0;
        }
    }
    return yamldoc_fail_got(d, v, "status: expected failed, crashed, timed_out, flaky or skip");
}

/* rules: exact or may-change, on an entry that names a rule: how the rules
 * a failure of its scenario breaks are matched (baseline_judge()). */
static int parse_rules(struct yamldoc *d, yaml_node_t *v, struct baseline_entry *e)
{
    if (v->type != YAML_SCALAR_NODE ||
        (!yamldoc_is_key(v, "exact") && !yamldoc_is_key(v, "may-change"))) {
        return yamldoc_fail_got(d, v, "rules: expected exact or may-change");
    }
    if (e->rule == NULL || e->kind != BASELINE_KIND_FAILURE) {
        return yamldoc_fail(d, v,
                            "rules: says how the rules of a known failure are matched; it goes "
                            "with rule: and a status of failed, crashed or timed_out");
    }
    e->exact = yamldoc_is_key(v, "exact");
    return 0;
}

/* Entry k against those before it: no duplicate, no skip beside another.
 * Says why at the first earlier entry it clashes with. */
static int check_entry(struct yamldoc *d, const struct baseline *b, size_t k)
{
    const struct baseline_entry *e = &b->entries[k];

    for (size_t i = 0; i < k; i++) {
        const struct baseline_entry *o = &b->entries[i];
        char q[YAMLDOC_QUOTE_BUF];
        if (strcmp(o->scenario, e->scenario) != 0 || optstr_cmp(o->file, e->file) != 0) {
            continue;
        }
        if (o->kind == e->kind && o->status == e->status && optstr_cmp(o->rule, e->rule) == 0) {
            return yamldoc_fail_at(d, e->line - 1, e->col - 1, "the same entry as at %u:%u",
                                   o->line, o->col);
        }
        if (o->kind == BASELINE_KIND_SKIP || e->kind == BASELINE_KIND_SKIP) {
            return yamldoc_fail_at(
                d, e->line - 1, e->col - 1,
                "scenario '%s' is skipped, and has another entry at %u:%u; a skipped scenario "
                "does not run, so keep one",
                yamldoc_quote((const unsigned char *)e->scenario, strlen(e->scenario), q,
                              sizeof q),
                o->line, o->col);
        }
    }
    return 0;
}

/* Entries by scenario and file, then by all they say, then by place. */
static int cmp_place(const void *pa, const void *pb)
{
    const struct baseline_entry *a = *(const struct baseline_entry *const *)pa;
    const struct baseline_entry *b = *(const struct baseline_entry *const *)pb;
    int c = strcmp(a->scenario, b->scenario);

    c = c != 0 ? c : optstr_cmp(a->file, b->file);
    c = c != 0 ? c : (int)a->kind - (int)b->kind;
    c = c != 0 ? c : (int)a->status - (int)b->status;
    c = c != 0 ? c : optstr_cmp(a->rule, b->rule);
    return c != 0 ? c : (a > b) - (a < b);
}

static int same_scenario(const struct baseline_entry *a, const struct baseline_entry *b)
{
    return strcmp(a->scenario, b->scenario) == 0 && optstr_cmp(a->file, b->file) == 0;
}

static int same_entry(const struct baseline_entry *a, const struct baseline_entry *b)
{
    return same_scenario(a, b) && a->kind == b->kind && a->status == b->status &&
           optstr_cmp(a->rule, b->rule) == 0;
}

/* The place in the file of the first entry that clashes with an earlier
 * one, given the n entries sorted, or n. An entry clashes when it repeats
 * an earlier one, or when it or an earlier one of its scenario is a skip.
 * Sorting makes a long file cost n log n, not n squared. */
static size_t first_clash(const struct baseline *b, struct baseline_entry *const *by, size_t n)
{
    size_t first = n;

    for (size_t lo = 0, hi; lo < n; lo = hi) {
        size_t min = n, second = n, skip = n;
        for (hi = lo; hi < n && same_scenario(by[lo], by[hi]); hi++) {
            size_t at = (size_t)(by[hi] - b->entries);
            second = at < min ? min : at < second ? at : second;
            min = at < min ? at : min;
            skip = by[hi]->kind == BASELINE_KIND_SKIP && at < skip ? at : skip;
            if (hi > lo && same_entry(by[hi - 1], by[hi]) && at < first) {
                first = at; /* repeats the one before it in the file */
            }
        }
        if (skip < n && hi - lo > 1) {
            size_t at = skip == min ? second : skip;
            first = at < first ? at : first;
        }
    }
    return first;
}

/* Checks the first n entries against each other. A clash before the place
 * of an error already recorded is reported instead, as the file is checked
 * in order. */
static int check_entries(struct yamldoc *d, struct baseline *b, size_t n)
{
    struct baseline_entry **by = malloc((n + 1) * sizeof *by);
    size_t k;

    if (by == NULL) {
        return yamldoc_fail_at(d, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        by[i] = &b->entries[i];
    }
    qsort(by, n, sizeof *by, cmp_place);
    k = first_clash(b, by, n);
    free(by);
    if (k == n) {
        return d->failed ? -1 : 0;
    }
    d->failed = 0;
    return check_entry(d, b, k);
}

static int read_entry(struct yamldoc *d, struct baseline *b, yaml_node_t *node)
{
    yaml_node_t *v[KEY_COUNT];
    struct baseline_entry *e;

    if (get_keys(d, node, "a known entry", entry_keys, KEY_COUNT, v) != 0) {
        return -1;
    }
    if (v[KEY_SCENARIO] == NULL || v[KEY_STATUS] == NULL || v[KEY_REASON] == NULL) {
        return yamldoc_fail(d, node,
                            "a known entry needs scenario:, status: and reason: (%s is "
                            "missing)",
                            v[KEY_SCENARIO] == NULL ? "scenario"
                            : v[KEY_STATUS] == NULL ? "status"
                                                    : "reason");
    }
    if ((e = baseline_add_entry(b)) == NULL) {
        return yamldoc_fail(d, node, "out of memory");
    }
    e->line = (unsigned)node->start_mark.line + 1;
    e->col = (unsigned)node->start_mark.column + 1;
    if (yamldoc_get_string(d, v[KEY_SCENARIO], "scenario", &e->scenario) != 0 ||
        yamldoc_get_string(d, v[KEY_REASON], "reason", &e->reason) != 0 ||
        (v[KEY_FILE] != NULL && yamldoc_get_string(d, v[KEY_FILE], "file", &e->file) != 0) ||
        (v[KEY_RULE] != NULL && yamldoc_get_string(d, v[KEY_RULE], "rule", &e->rule) != 0) ||
        parse_kind(d, v[KEY_STATUS], e) != 0) {
        return -1;
    }
    if (e->rule != NULL && e->kind == BASELINE_KIND_SKIP) {
        return yamldoc_fail(d, v[KEY_RULE],
                            "rule: a skipped scenario does not run, so it breaks "
                            "no rule; leave rule: out");
    }
    if (v[KEY_RULES] != NULL && parse_rules(d, v[KEY_RULES], e) != 0) {
        return -1;
    }
    if (e->rule != NULL && rules_find(e->rule) == NULL && strncmp(e->rule, "expect.", 7) != 0) {
        char q[YAMLDOC_QUOTE_BUF];
        return yamldoc_fail(
            d, v[KEY_RULE], "rule: no rule '%s' (synchost list rules)",
            yamldoc_quote((const unsigned char *)e->rule, strlen(e->rule), q, sizeof q));
    }
    return 0;
}

static int read_root(struct yamldoc *d, struct baseline *b, yaml_node_t *root)
{
    static const char *const root_keys[] = {"known"};
    yaml_node_t *known;

    /* Said without quoting it: a file given by mistake (a key, a password
     * file) must not reach a CI log through this message. */
    if (root->type != YAML_MAPPING_NODE) {
        return yamldoc_fail(d, root,
                            "not a baseline: expected an expectations file (a mapping with "
                            "known:) or a synchost JSON report (an object), found %s",
                            root->type == YAML_SEQUENCE_NODE ? "a list" : "a line of plain text");
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yamldoc_node(d, p->key);
        if (k != NULL && !yamldoc_is_key(k, "known") && !yamldoc_is_word(k)) {
            return yamldoc_fail(d, k,
                                "not a baseline: expected known: at the top of an expectations "
                                "file, found a key that is no word (not quoted here)");
        }
    }
    if (get_keys(d, root, "an expectations file", root_keys, 1, &known) != 0) {
        return -1;
    }
    if (known == NULL) {
        return yamldoc_fail(d, root, "an expectations file needs known: (a list of entries)");
    }
    if (yamldoc_is_null(known)) {
        return 0; /* `known:` with nothing under it: no entries */
    }
    if (known->type != YAML_SEQUENCE_NODE) {
        return yamldoc_fail_got(d, known, "known: expected a list of entries");
    }
    for (yaml_node_item_t *it = known->data.sequence.items.start;
         it < known->data.sequence.items.top; it++) {
        yaml_node_t *item = yamldoc_node(d, *it);
        size_t before = b->count;
        if (item == NULL) {
            yamldoc_fail_at(d, 0, 0, "internal error: a node is missing");
        }
        if (item == NULL || read_entry(d, b, item) != 0) {
            return check_entries(d, b, before);
        }
    }
    return check_entries(d, b, b->count);
}

int baseline_load_yaml(const char *name, const char *data, size_t len, struct baseline *b,
                       char *err, size_t cap)
{
    static const struct yamldoc_limits limits = {MAX_DEPTH, MAX_EXPANDED_NODES, MAX_EXPANDED_BYTES};
    static const struct yamldoc_words words = {"empty: expected known: and a list of entries",
                                               "keep one", ""};
    struct yamldoc d;
    yaml_node_t *root;
    int rc = -1;

    if (len > MAX_FILE_SIZE) {
        snprintf(err, cap,
                 "%s: too large for a baseline (an expectations file): %zu bytes, more than the "
                 "limit of %d bytes (%d MiB)",
                 name, len, MAX_FILE_SIZE, MAX_FILE_SIZE >> 20);
        return -1;
    }
    yamldoc_init(&d);
    if (yamldoc_load_as(&d, data, len, &limits, &words, &root) == 0) {
        rc = read_root(&d, b, root);
    }
    yamldoc_free(&d);
    if (rc != 0) {
        snprintf(err, cap, "%s:%u:%u: %s", name, d.line, d.col, d.message);
    }
    return rc;
}
