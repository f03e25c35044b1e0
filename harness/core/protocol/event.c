/* event.c: names of event kinds, load steps and text states. */
#include "protocol/event.h"

#include <string.h>

static const char *const kind_names[EVENT_KIND_COUNT] = {
#define EVENT(sym, name, text_key, fields, lines) [EVENT_##sym] = name,
#include "events.def"
#undef EVENT
};

static const char *const object_names[HOST_OBJECT_COUNT] = {
    [HOST_OBJECT_OTHER] = "other",
    [HOST_OBJECT_CALLBACK] = "callback",
    [HOST_OBJECT_UNKNOWN_CALLBACK] = "unknown-callback",
    [HOST_OBJECT_SESSION] = "session",
    [HOST_OBJECT_SUPPORT] = "support",
    [HOST_OBJECT_PROFSECT] = "profsect",
};

const char *host_object_name(enum host_object object)
{
    return (unsigned)object < HOST_OBJECT_COUNT ? object_names[object] : "other";
}

enum host_object host_object_from_name(const char *name)
{
    for (int i = 1; name != NULL && i < HOST_OBJECT_COUNT; i++) {
        if (strcmp(object_names[i], name) == 0) {
            return (enum host_object)i;
        }
    }
    return HOST_OBJECT_OTHER;
}

const char *provider_object_name(enum provider_object object)
{
    static const char *const names[PROVIDER_OBJECT_COUNT] = {"store", "IMAPISync"};
    return (unsigned)object < PROVIDER_OBJECT_COUNT ? names[object] : "unknown";
}

const char *event_kind_name(enum event_kind kind)
{
    if ((unsigned)kind >= EVENT_KIND_COUNT) {
        return "unknown";
    }
    return kind_names[kind];
}

int event_kind_from_name(const char *name, size_t len)
{
    for (int i = 0; i < EVENT_KIND_COUNT; i++) {
        if (strlen(kind_names[i]) == len && memcmp(kind_names[i], name, len) == 0) {
            return i;
        }
    }
    return -1;
}

const char *load_step_name(enum load_step step)
{
    static const char *const names[LOAD_STEP_COUNT] = {
        "load-dll",
        "load-entry-point",
        "load-logon",
        "load-qi-imapisync",
        "load-identity",
    };
    return (unsigned)step < LOAD_STEP_COUNT ? names[step] : "load-unknown";
}

const char *fast_step_name(enum fast_step step)
{
    static const char *const names[FAST_STEP_COUNT] = {
        "QueryInterface(IID_IMAPIProviderShutdown)",
        "QueryFastShutdown",
        "NotifyProcessShutdown",
        "DoFastShutdown",
    };
    return (unsigned)step < FAST_STEP_COUNT ? names[step] : "unknown";
}

const char *host_phase_name(enum host_phase phase)
{
    static const char *const names[PHASE_COUNT] = {"load", "sync", "shutdown", "unload"};
    return (unsigned)phase < PHASE_COUNT ? names[phase] : "unknown";
}

const char *text_state_name(enum text_state state)
{
    switch (state) {
    case TEXT_NONE:
        return "none";
    case TEXT_NULL:
        return "null";
    case TEXT_OK:
        return "ok";
    case TEXT_UNREADABLE:
        return "unreadable";
    case TEXT_TOO_LONG:
        return "too_long";
    case TEXT_LONG:
        return "long";
    case TEXT_ILL_FORMED:
        return "ill_formed";
    }
    return "unknown";
}
