/* event_desc.c: events.def as a table, and the questions its walkers ask. */
#include "protocol/event_desc.h"

#include <string.h>

#define ALWAYS {W_ALWAYS, EV_HR, 0}
#define FIELDS(...) ((const struct event_field[]){__VA_ARGS__, {NULL, EV_HR, JF_INT, 0, 0, ALWAYS}})
#define NO_FIELDS NULL
#define LINES(...) ((const struct event_line[]){__VA_ARGS__, {ALWAYS, NULL}})
#define SERVICE_FIELDS                                                                   \
    {"service_call", EV_INDEX, JF_INT, .when = {W_NOT, EV_INDEX, 0}},                    \
    {                                                                                    \
        "fault_injected", EV_STEP, JF_TRUE, .when = {W_IS, EV_STEP, 1}                   \
    }

static const struct event_desc descs[EVENT_KIND_COUNT] = {
#define EVENT(sym, name, key, fields, lines) [EVENT_##sym] = {name, key, fields, lines},
#include "events.def"
#undef EVENT
};

const struct event_desc *event_desc(enum event_kind kind)
{
    static const struct event_line none[] = {{ALWAYS, " {text}"}, {ALWAYS, NULL}};
    static const struct event_desc unknown = {"unknown", "detail", NULL, none};
    return (unsigned)kind < EVENT_KIND_COUNT ? &descs[kind] : &unknown;
}

uint64_t event_member(const struct event *ev, enum event_member m)
{
    switch (m) {
    case EV_HR:
        return ev->hr;
    case EV_STEP:
        return ev->step;
    case EV_FLAGS:
        return ev->flags;
    case EV_INDEX:
        return ev->index;
    case EV_INDEX_MAX:
        return ev->index_max;
    case EV_HANDLE:
        return ev->handle;
    case EV_VALUE:
        return ev->value;
    case EV_TEXT_LEN:
        return ev->text != NULL ? strlen(ev->text) : 0;
    }
    return 0;
}

int event_when_holds(const struct event *ev, const struct event_when *w)
{
    switch (w->op) {
    case W_IS:
        return event_member(ev, w->member) == w->value;
    case W_NOT:
        return event_member(ev, w->member) != w->value;
    case W_ALWAYS:
        break;
    }
    return 1;
}

int event_member_from_name(const char *name, size_t len)
{
    static const char *const names[] = {
        [EV_HR] = "hr",         [EV_STEP] = "step",           [EV_FLAGS] = "flags",
        [EV_INDEX] = "index",   [EV_INDEX_MAX] = "index_max", [EV_HANDLE] = "handle",
        [EV_VALUE] = "value",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0) {
            return (int)i;
        }
    }
    return -1;
}

const char *event_line(const struct event *ev)
{
    const struct event_line *l = event_desc(ev->kind)->lines;
    for (; l != NULL && l->show != NULL; l++) {
        if (event_when_holds(ev, &l->when)) {
            return l->show;
        }
    }
    return " {text}";
}
