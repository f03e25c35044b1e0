/*
 * event_desc.h: the description of each event kind (events.def), for the
 * writers that render events: the JSON report walks a kind's fields, the
 * console its lines. Data only: no writer's code lives here.
 */
#ifndef SYNCHOST_EVENT_DESC_H
#define SYNCHOST_EVENT_DESC_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/event.h"

/* The members of struct event a description reads. EV_TEXT_LEN is the
 * text's length in bytes (0 for none). */
enum event_member {
    EV_HR,
    EV_STEP,
    EV_FLAGS,
    EV_INDEX,
    EV_INDEX_MAX,
    EV_HANDLE,
    EV_VALUE,
    EV_TEXT_LEN,
};

/* When a field is written or a line chosen: always, or when a member is
 * (W_IS) or is not (W_NOT) a value. */
enum event_when_op {
    W_ALWAYS,
    W_IS,
    W_NOT,
};

struct event_when {
    enum event_when_op op;
    enum event_member member;
    uint64_t value;
};

/* How a field is written in JSON (events.def says what each means). */
enum event_json_format {
    JF_INT,
    JF_HEX,
    JF_HR,
    JF_TRUE,
    JF_IS,
    JF_NOT,
    JF_MAYBE,
    JF_LOAD_STEP,
    JF_PROVIDER_OBJECT,
    JF_FAST_STEP,
    JF_SIDE_EFFECT,
    JF_FLAG_NAMES,
};

struct event_field {
    const char *name; /* NULL ends a kind's list */
    enum event_member member;
    enum event_json_format format;
    uint64_t a, b;
    struct event_when when;
};

struct event_line {
    struct event_when when;
    const char *show; /* NULL ends a kind's list */
};

struct event_desc {
    const char *name;     /* the kind as reports print it */
    const char *text_key; /* the JSON member its text goes under */
    const struct event_field *fields;
    const struct event_line *lines;
};

/* The kind's description; a kind out of range gets one with no fields. */
const struct event_desc *event_desc(enum event_kind kind);

uint64_t event_member(const struct event *ev, enum event_member m);
int event_when_holds(const struct event *ev, const struct event_when *w);
/* The member a line's "{name}" names ("hr", "step", "flags", "index",
 * "index_max", "handle", "value"); -1 for none. */
int event_member_from_name(const char *name, size_t len);
/* The line the console shows for ev after its kind's name: its "show". */
const char *event_line(const struct event *ev);

#endif /* SYNCHOST_EVENT_DESC_H */
