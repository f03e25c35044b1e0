/* scenario_expect.c: the expect: and rules: keys (scenario_load.h). */
#include "scenario/scenario_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/hresult.h"

/* expect: */

static int on_expect_returns(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    if (scenario_get_hresult(ld, v, "expect.returns", &sc->expect_returns) != 0) {
        return -1;
    }
    sc->has_expect_returns = 1;
    return 0;
}

static int on_expect_done_hresult(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    if (scenario_get_hresult(ld, v, "expect.done.hresult", &sc->expect_done_hr) != 0) {
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
    if (scenario_walk(ld, sc, v, &done_schema) != 0) {
        return -1;
    }
    if (!sc->has_expect_done_hr) {
        return yamldoc_fail(&ld->yd, v,
                            "expect.done: needs hresult: (the HRESULT Done should report)");
    }
    return 0;
}

/* expect.progress: { min, max, final_index } */

#define COUNT_MAX 0xFFFFFFFFu

static int on_progress_min(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    sc->expect.has_progress_min = 1;
    return scenario_get_count(ld, v, "expect.progress.min", 0, COUNT_MAX, &sc->expect.progress_min);
}

static int on_progress_max(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    sc->expect.has_progress_max = 1;
    return scenario_get_count(ld, v, "expect.progress.max", 0, COUNT_MAX, &sc->expect.progress_max);
}

static int on_progress_final_index(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    sc->expect.has_final_index = 1;
    return scenario_get_count(ld, v, "expect.progress.final_index", 0, COUNT_MAX,
                              &sc->expect.final_index);
}

static const struct key_handler progress_keys[] = {
    {"min", on_progress_min},
    {"max", on_progress_max},
    {"final_index", on_progress_final_index},
};
SCENARIO_SECTION_HANDLER(on_expect_progress, "expect.progress", progress_keys)

/* expect.errors: { count, codes: [HRESULT, ...] } */

static int on_errors_count(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    sc->expect.has_error_count = 1;
    return scenario_get_count(ld, v, "expect.errors.count", 0, COUNT_MAX, &sc->expect.error_count);
}

static int on_errors_codes(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    struct scenario_expect *e = &sc->expect;

    if (scenario_get_list(
            ld, v, "expect.errors.codes: expected a list of HRESULTs ([MAPI_E_NETWORK_ERROR, ...])",
            NULL) != 0) {
        return -1;
    }
    e->has_error_codes = 1;
    e->error_code_count = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = scenario_item(ld, *it);
        if (item == NULL) {
            return -1;
        }
        if (e->error_code_count == SCENARIO_MAX_ERROR_CODES) {
            return yamldoc_fail(&ld->yd, item, "expect.errors.codes: at most %d codes",
                                SCENARIO_MAX_ERROR_CODES);
        }
        if (scenario_get_hresult(ld, item, "expect.errors.codes",
                                 &e->error_codes[e->error_code_count]) != 0) {
            return -1;
        }
        e->error_code_count++;
    }
    return 0;
}

static const struct key_handler errors_keys[] = {
    {"count", on_errors_count},
    {"codes", on_errors_codes},
};
SCENARIO_SECTION_HANDLER(on_expect_errors, "expect.errors", errors_keys)

/* expect.event: { signaled: true|false } */

static int on_event_signaled(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    sc->expect.has_signaled = 1;
    return scenario_get_bool(ld, v, "expect.event.signaled", &sc->expect.signaled);
}

static const struct key_handler event_keys[] = {
    {"signaled", on_event_signaled},
};
SCENARIO_SECTION_HANDLER(on_expect_event, "expect.event", event_keys)

static const struct key_handler expect_keys[] = {
    {"returns", on_expect_returns}, {"done", on_expect_done},   {"progress", on_expect_progress},
    {"errors", on_expect_errors},   {"event", on_expect_event},
};
static const struct schema expect_schema = {
    "expect", expect_keys, SCENARIO_COUNT_OF(expect_keys), NULL, 0,
};

int scenario_on_expect(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_walk(ld, sc, v, &expect_schema);
}

/* rules: */

static int on_rules_skip(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    size_t n;

    if (scenario_get_list(ld, v,
                          "rules.skip: expected a list of rule ids ([progress-monotonic, ...])",
                          &n) != 0) {
        return -1;
    }
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
        yaml_node_t *item = scenario_item(ld, v->data.sequence.items.start[i]);
        if (item == NULL) {
            return -1;
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

int scenario_on_rules(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_walk(ld, sc, v, &rules_schema);
}
