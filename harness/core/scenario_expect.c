/* scenario_expect.c: the expect: and rules: keys (scenario_load.h). */
#include "scenario_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hresult.h"

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

static const struct key_handler expect_keys[] = {
    {"returns", on_expect_returns},
    {"done", on_expect_done},
};
static const char *const expect_unsupported[] = {"progress", "errors"};
static const struct schema expect_schema = {
    "expect", expect_keys, 2, expect_unsupported, 2,
};

int scenario_on_expect(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_walk(ld, sc, v, &expect_schema);
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

int scenario_on_rules(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_walk(ld, sc, v, &rules_schema);
}
