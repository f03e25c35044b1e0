/*
 * scenario_host.c: the host: keys (scenario_load.h): what the host's
 * callback answers (host.progress_returns, error_returns, done_returns), how
 * long it takes to answer (host.delay_ms), and a logoff in the middle of the
 * sync (host.logoff_after_ms), and how the session ends (host.shutdown).
 * host.faults is another file's.
 */
#include "scenario/scenario_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/hresult.h"

/* What an entry of a returns list says it answers. */
#define RET_FROM 1u
#define RET_TO   2u
#define RET_CALL 4u

/* A call number of an entry: from 1. */
static int get_call_number(struct loader *ld, yaml_node_t *v, const char *key, uint32_t *out)
{
    char path[96];

    snprintf(path, sizeof path, "%s.%s", ld->ret_path, key);
    if (v->type == YAML_SCALAR_NODE && yamldoc_is_key(v, "0")) {
        return yamldoc_fail(&ld->yd, v, "%s: calls are counted from 1, not 0", path);
    }
    return scenario_get_count(ld, v, path, 1, 0xFFFFFFFFu, out);
}

static int on_return_from_call(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    (void)sc;
    ld->ret_written |= RET_FROM;
    return get_call_number(ld, v, "from_call", &ld->ret->from_call);
}

static int on_return_to_call(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    (void)sc;
    ld->ret_written |= RET_TO;
    return get_call_number(ld, v, "to_call", &ld->ret->to_call);
}

static int on_return_call(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    (void)sc;
    ld->ret_written |= RET_CALL;
    if (get_call_number(ld, v, "call", &ld->ret->from_call) != 0) {
        return -1;
    }
    ld->ret->to_call = ld->ret->from_call;
    return 0;
}

static int on_return_hresult(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    char path[96];

    (void)sc;
    snprintf(path, sizeof path, "%s.hresult", ld->ret_path);
    return scenario_get_hresult(ld, v, path, &ld->ret->hresult);
}

static const struct key_handler return_keys[] = {
    {"from_call", on_return_from_call},
    {"to_call", on_return_to_call},
    {"call", on_return_call},
    {"hresult", on_return_hresult},
};

/* What an entry needs: one of call or from_call (to_call only with
 * from_call, not before it); hresult: is S_OK when left out. */
static int check_entry(struct loader *ld, yaml_node_t *item)
{
    const char *path = ld->ret_path;
    unsigned w = ld->ret_written;

    if ((w & RET_CALL) && (w & (RET_FROM | RET_TO))) {
        return yamldoc_fail(&ld->yd, item,
                            "%s: an entry takes call: (one call) or from_call: with an optional "
                            "to_call: (a range), not both",
                            path);
    }
    if (!(w & (RET_CALL | RET_FROM))) {
        return yamldoc_fail(&ld->yd, item,
                            "%s: each entry needs from_call: (the first call it answers, from 1) "
                            "or call: (the one call it answers)",
                            path);
    }
    if ((w & RET_TO) && ld->ret->to_call < ld->ret->from_call) {
        return yamldoc_fail(&ld->yd, item, "%s: to_call (%lu) is before from_call (%lu)", path,
                            (unsigned long)ld->ret->to_call, (unsigned long)ld->ret->from_call);
    }
    return 0; /* without hresult:, S_OK */
}

/* A list of { from_call: N, to_call: M, hresult: X } or { call: N, hresult:
 * X } into list (at most SCENARIO_MAX_PROGRESS_RETURNS). */
static int get_returns(struct loader *ld, struct scenario *sc, yaml_node_t *v, const char *path,
                       struct scenario_progress_return *list, size_t *count)
{
    const struct schema sch = {path, return_keys, SCENARIO_COUNT_OF(return_keys), NULL, 0};

    if (v->type != YAML_SEQUENCE_NODE) {
        return yamldoc_fail_got(
            &ld->yd, v,
            "%s: expected a list of { from_call: N, hresult: NAME } or { call: N, hresult: NAME }",
            path);
    }
    *count = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = scenario_item(ld, *it);
        if (item == NULL) {
            return -1;
        }
        if (*count == SCENARIO_MAX_PROGRESS_RETURNS) {
            return yamldoc_fail(&ld->yd, item, "%s: at most %d entries", path,
                                SCENARIO_MAX_PROGRESS_RETURNS);
        }
        ld->ret = &list[(*count)++];
        memset(ld->ret, 0, sizeof *ld->ret);
        ld->ret_path = path;
        ld->ret_written = 0;
        if (scenario_walk(ld, sc, item, &sch) != 0 || check_entry(ld, item) != 0) {
            return -1;
        }
    }
    return 0;
}

static int on_host_progress_returns(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_returns(ld, sc, v, "host.progress_returns", sc->progress_returns,
                       &sc->progress_return_count);
}

static int on_host_error_returns(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_returns(ld, sc, v, "host.error_returns", sc->error_returns, &sc->error_return_count);
}

static int on_host_done_returns(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_returns(ld, sc, v, "host.done_returns", sc->done_returns, &sc->done_return_count);
}

/* host.delay_ms: { progress: ms, error: ms, done: ms } */

static int get_delay(struct loader *ld, yaml_node_t *v, const char *path, uint32_t *out)
{
    return yamldoc_get_ms_in(&ld->yd, v, path, 0, SCENARIO_DELAY_MAX_MS, "1 minute at most", out);
}

static int on_delay_progress(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_delay(ld, v, "host.delay_ms.progress", &sc->delay_ms[SCENARIO_METHOD_PROGRESS]);
}

static int on_delay_error(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_delay(ld, v, "host.delay_ms.error", &sc->delay_ms[SCENARIO_METHOD_ERROR]);
}

static int on_delay_done(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return get_delay(ld, v, "host.delay_ms.done", &sc->delay_ms[SCENARIO_METHOD_DONE]);
}

static const struct key_handler delay_keys[] = {
    {"progress", on_delay_progress},
    {"error", on_delay_error},
    {"done", on_delay_done},
};
SCENARIO_SECTION_HANDLER(on_host_delay_ms, "host.delay_ms", delay_keys)

/* host.jitter_ms: the bound of the seeded extra delay of every answer. */
static int on_host_jitter_ms(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return yamldoc_get_ms_in(&ld->yd, v, "host.jitter_ms", 0, SCENARIO_DELAY_MAX_MS,
                             "1 minute at most", &sc->jitter_ms);
}

/* host.logoff_after_ms: a number of milliseconds from the call, or null
 * (the default: no logoff during the sync). */
static int on_host_logoff_after_ms(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    if (v->type == YAML_SCALAR_NODE && yamldoc_is_null(v)) {
        sc->has_logoff_after = 0;
        sc->logoff_after_ms = 0;
        return 0;
    }
    if (yamldoc_get_ms_in(&ld->yd, v, "host.logoff_after_ms", 0, SCENARIO_DEADLINE_MAX_MS,
                          "from the call; null for none", &sc->logoff_after_ms) != 0) {
        return -1;
    }
    sc->has_logoff_after = 1;
    return 0;
}

/* host.shutdown: plain | fast */
SCENARIO_WORD_HANDLER(on_host_shutdown, "host.shutdown", scenario_shutdown_words, shutdown,
                      enum scenario_shutdown)

static const struct key_handler host_keys[] = {
    {"progress_returns", on_host_progress_returns}, {"error_returns", on_host_error_returns},
    {"done_returns", on_host_done_returns},         {"delay_ms", on_host_delay_ms},
    {"logoff_after_ms", on_host_logoff_after_ms},   {"faults", scenario_on_host_faults},
    {"shutdown", on_host_shutdown},                 {"jitter_ms", on_host_jitter_ms},
};
static const struct schema host_schema = {
    "host", host_keys, SCENARIO_COUNT_OF(host_keys), NULL, 0,
};

int scenario_on_host(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_walk(ld, sc, v, &host_schema);
}
