/* scenario_host.c: the host: keys (scenario_load.h). */
#include "scenario_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hresult.h"

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
    return scenario_get_hresult(ld, v, "host.progress_returns.hresult",
                                &current_return(sc)->hresult);
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
        if (scenario_walk(ld, sc, item, &progress_return_schema) != 0) {
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
    {"faults", scenario_on_host_faults},
};
static const char *const host_unsupported[] = {"delay_ms", "logoff_after_ms"};
static const struct schema host_schema = {
    "host", host_keys, SCENARIO_COUNT_OF(host_keys), host_unsupported,
    sizeof host_unsupported / sizeof host_unsupported[0],
};

int scenario_on_host(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_walk(ld, sc, v, &host_schema);
}
