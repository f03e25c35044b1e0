/*
 * scenario_faults.c: host.faults, the host services a scenario makes fail
 * (scenario_load.h; the services are faults.h's):
 *
 *   host:
 *     faults:
 *       - { service: MAPIAllocateBuffer, nth: 2 }
 *       - { service: IMAPISupport::OpenProfileSection, from: 1, to: 3,
 *           hresult: MAPI_E_NOT_FOUND }
 *
 * nth: N fails the N-th call only; from: N (default 1) and to: M (default:
 * no end) fail a range; neither fails every call. hresult defaults to
 * MAPI_E_NOT_ENOUGH_MEMORY for the allocators and MAPI_E_CALL_FAILED for the
 * rest.
 */
#include "scenario/scenario_load.h"

#include <stdlib.h>
#include <string.h>

#include "scenario/faults.h"

static struct fault_spec *current_fault(struct scenario *sc)
{
    return &sc->faults[sc->fault_count - 1];
}

/* A call number, from 1. */
static int get_call(struct loader *ld, yaml_node_t *v, const char *key, uint32_t *out)
{
    int rc = -1;

    if (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        rc = yamldoc_parse_u32(v->data.scalar.value, v->data.scalar.length, 0, out);
    }
    if (rc != 0 || *out == 0) {
        return yamldoc_fail_got(
            &ld->yd, v, "host.faults.%s: expected a call number (1 is the first call)", key);
    }
    return 0;
}

static int on_fault_service(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    char what[YAMLDOC_DESCRIBE_BUF];
    const char *name;
    size_t len;
    int svc;

    if (v->type != YAML_SCALAR_NODE || yamldoc_is_null(v)) {
        return yamldoc_fail_got(&ld->yd, v,
                                "host.faults.service: expected a service name (MAPIAllocateBuffer, "
                                "IMAPISupport::OpenProfileSection, ...)");
    }
    name = (const char *)v->data.scalar.value;
    len = v->data.scalar.length;
    svc = fault_service_find(name, len);
    if (svc < 0) {
        return yamldoc_fail(&ld->yd, v,
                            "host.faults.service: unknown service %s; did you mean '%s'? "
                            "(docs/faults.md lists them)",
                            yamldoc_describe(v, what, sizeof what),
                            fault_service_nearest(name, len));
    }
    current_fault(sc)->service = (uint32_t)svc;
    return 0;
}

static int on_fault_nth(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    uint32_t n = 0;

    if (get_call(ld, v, "nth", &n) != 0) {
        return -1;
    }
    current_fault(sc)->from = current_fault(sc)->to = n;
    return 0;
}

static int on_fault_from(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_call(ld, v, "from", &current_fault(sc)->from);
}

static int on_fault_to(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_call(ld, v, "to", &current_fault(sc)->to);
}

static int on_fault_hresult(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_get_hresult(ld, v, "host.faults.hresult", &current_fault(sc)->hresult);
}

static const struct key_handler fault_keys[] = {
    {"service", on_fault_service}, {"nth", on_fault_nth},         {"from", on_fault_from},
    {"to", on_fault_to},           {"hresult", on_fault_hresult},
};
static const struct schema fault_schema = {
    "host.faults", fault_keys, SCENARIO_COUNT_OF(fault_keys), NULL, 0,
};

/* One entry: walked, then its keys checked together and defaults filled. */
static int load_fault(struct loader *ld, struct scenario *sc, yaml_node_t *item)
{
    struct fault_spec *f = current_fault(sc);
    yaml_node_t *nth, *from, *to;

    memset(f, 0, sizeof *f);
    f->service = FAULT_SERVICE_COUNT;
    if (scenario_walk(ld, sc, item, &fault_schema) != 0) {
        return -1;
    }
    if (f->service == FAULT_SERVICE_COUNT) {
        return yamldoc_fail(&ld->yd, item,
                            "host.faults: each entry needs service: (the host service to fail)");
    }
    nth = yamldoc_lookup(&ld->yd, item, "nth");
    from = yamldoc_lookup(&ld->yd, item, "from");
    to = yamldoc_lookup(&ld->yd, item, "to");
    if (nth != NULL && (from != NULL || to != NULL)) {
        return yamldoc_fail(&ld->yd, from != NULL ? from : to,
                            "host.faults: nth: names one call; from:/to: a range; not both");
    }
    if (nth == NULL) {
        f->from = from != NULL ? f->from : 1;
        f->to = to != NULL ? f->to : FAULT_TO_END;
        if (f->to < f->from) {
            return yamldoc_fail(&ld->yd, to, "host.faults.to: %lu comes before from: %lu",
                                (unsigned long)f->to, (unsigned long)f->from);
        }
    }
    if (yamldoc_lookup(&ld->yd, item, "hresult") == NULL) {
        f->hresult = fault_service_default_hr(f->service);
    } else if (f->hresult == 0) {
        return yamldoc_fail(&ld->yd, yamldoc_lookup(&ld->yd, item, "hresult"),
                            "host.faults.hresult: S_OK is not a failure; write the HRESULT the "
                            "service answers instead (a failure code or a warning)");
    }
    return 0;
}

int scenario_on_host_faults(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    size_t n;

    if (scenario_get_list(
            ld, v, "host.faults: expected a list of { service: NAME, nth: N } entries", &n) != 0) {
        return -1;
    }
    if (n > FAULT_MAX_SPECS) {
        return yamldoc_fail(&ld->yd, v, "host.faults: at most %d entries, got %lu", FAULT_MAX_SPECS,
                            (unsigned long)n);
    }
    free(sc->faults);
    sc->fault_count = 0;
    sc->faults = calloc(n > 0 ? n : 1, sizeof *sc->faults);
    if (sc->faults == NULL) {
        return yamldoc_fail(&ld->yd, v, "out of memory");
    }
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = scenario_item(ld, *it);
        if (item == NULL) {
            return -1;
        }
        sc->fault_count++;
        if (load_fault(ld, sc, item) != 0) {
            return -1;
        }
    }
    return 0;
}
