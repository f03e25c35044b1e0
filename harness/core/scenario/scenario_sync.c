/* scenario_sync.c: the provider: and sync: keys (scenario_load.h). */
#include "scenario/scenario_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/hresult.h"

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
    {"profile", scenario_on_provider_profile},
};
static const struct schema provider_schema = {
    "provider", provider_keys, SCENARIO_COUNT_OF(provider_keys), NULL, 0,
};

int scenario_on_provider(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    if (scenario_walk(ld, sc, v, &provider_schema) != 0) {
        return -1;
    }
    if (sc->provider_path == NULL && yamldoc_lookup(&ld->yd, v, "profile") == NULL) {
        return yamldoc_fail(&ld->yd, v, "provider: needs path: (the provider DLL to load)");
    }
    return 0;
}

/* sync: */

static int on_sync_flags(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    uint32_t flags = 0, one;

    if (v->type != YAML_SEQUENCE_NODE) {
        if (scenario_get_flag(ld, v, &one) != 0) {
            return -1;
        }
        sc->flags = one;
        return 0;
    }
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *item = scenario_item(ld, *it);
        if (item == NULL) {
            return -1;
        }
        if (scenario_get_flag(ld, item, &one) != 0) {
            return -1;
        }
        flags |= one;
    }
    sc->flags = flags;
    return 0;
}

static int on_sync_size(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    uint32_t n = 0;

    if (v->type == YAML_SCALAR_NODE && yamldoc_is_key(v, "default")) {
        sc->sib_size = SCENARIO_SIB_SIZE;
        return 0;
    }
    if (v->type != YAML_SCALAR_NODE || yamldoc_is_null(v) ||
        yamldoc_parse_u32(v->data.scalar.value, v->data.scalar.length, 1, &n) != 0 ||
        n > SCENARIO_SIB_SIZE_MAX) {
        return yamldoc_fail_got(
            &ld->yd, v,
            "sync.size: expected default or a number of bytes from 0 to %u (sizeof(MAPISIB) is %u)",
            SCENARIO_SIB_SIZE_MAX, SCENARIO_SIB_SIZE);
    }
    sc->sib_size = n;
    return 0;
}

static const char *const session_words[] = {"fake", "null", NULL};
static const char *const callback_words[] = {"fake", "null", "unknown-only", NULL};
static const char *const pointer_words[] = {"valid", "null", NULL};

SCENARIO_WORD_HANDLER(on_sync_session, "sync.session", session_words, session,
                      enum scenario_session)
SCENARIO_WORD_HANDLER(on_sync_callback, "sync.callback", callback_words, callback,
                      enum scenario_callback)
SCENARIO_WORD_HANDLER(on_sync_done_event_ptr, "sync.done_event_ptr", pointer_words, done_event_ptr,
                      enum scenario_pointer)
SCENARIO_WORD_HANDLER(on_sync_psib, "sync.psib", pointer_words, psib, enum scenario_pointer)

/* sync.overlap: calls made one after the other without waiting for the
 * previous one's sync to end, each with its own MAPISIB, callback and done
 * event. */
static int on_sync_overlap(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_get_count(ld, v, "sync.overlap", 1, SCENARIO_OVERLAP_MAX, &sc->overlap);
}

/* sync.repeat: rounds of calls in one logon, each after the previous ended. */
static int on_sync_repeat(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_get_count(ld, v, "sync.repeat", 1, SCENARIO_REPEAT_MAX, &sc->repeat);
}

static const struct key_handler sync_keys[] = {
    {"flags", on_sync_flags},
    {"size", on_sync_size},
    {"session", on_sync_session},
    {"callback", on_sync_callback},
    {"done_event_ptr", on_sync_done_event_ptr},
    {"psib", on_sync_psib},
    {"overlap", on_sync_overlap},
    {"repeat", on_sync_repeat},
};
static const struct schema sync_schema = {
    "sync", sync_keys, SCENARIO_COUNT_OF(sync_keys), NULL, 0,
};

int scenario_on_sync(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    return scenario_walk(ld, sc, v, &sync_schema);
}
