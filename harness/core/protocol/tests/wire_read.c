/* wire_read.c: the tests' reader of the worker's event lines (see wire_read.h). */
#include "wire_read.h"

#include <stdint.h>
#include <string.h>

#include "protocol/line.h"

static const char *const text_states[] = {"none",     "null", "ok",        "unreadable",
                                          "too_long", "long", "ill_formed"};

static int parse_text_state(const struct line_field *f, enum text_state *out)
{
    for (size_t i = 0; i < sizeof text_states / sizeof text_states[0]; i++) {
        if (strlen(text_states[i]) == f->vallen && memcmp(text_states[i], f->val, f->vallen) == 0) {
            *out = (enum text_state)i;
            return 0;
        }
    }
    return -1;
}

int wire_read(const char *line, size_t len, struct event *ev, char *textbuf, size_t textcap)
{
    size_t pos = line_word(line, len);
    struct line_field f;
    int kind, rc;

    memset(ev, 0, sizeof *ev);
    kind = event_kind_from_name(line, pos);
    if (kind < 0) {
        return -1;
    }
    ev->kind = (enum event_kind)kind;
    while ((rc = line_next(line, len, &pos, &f)) == 1) {
        uint64_t v = 0;

        if (line_key_is(&f, "text")) {
            if (line_val_text(&f, textbuf, textcap) != 0) {
                return -1;
            }
            ev->text = textbuf;
            continue;
        }
        if (line_key_is(&f, "ts")) {
            if (parse_text_state(&f, &ev->text_state) != 0) {
                return -1;
            }
            continue;
        }
        if (line_val_u64(&f, &v) != 0) {
            return -1;
        }
        if (line_key_is(&f, "seq")) {
            ev->seq = (uint32_t)v;
        } else if (line_key_is(&f, "t")) {
            ev->t_us = v;
        } else if (line_key_is(&f, "tid")) {
            ev->thread = (uint32_t)v;
        } else if (line_key_is(&f, "hr")) {
            ev->hr = (uint32_t)v;
        } else if (line_key_is(&f, "step")) {
            ev->step = (uint32_t)v;
        } else if (line_key_is(&f, "flags")) {
            ev->flags = (uint32_t)v;
        } else if (line_key_is(&f, "index")) {
            ev->index = (uint32_t)v;
        } else if (line_key_is(&f, "max")) {
            ev->index_max = (uint32_t)v;
        } else if (line_key_is(&f, "handle")) {
            ev->handle = v;
        } else if (line_key_is(&f, "value")) {
            ev->value = v;
        } else if (line_key_is(&f, "call")) {
            ev->call = v <= EVENT_CALL_MAX ? (uint32_t)v : 0;
        }
    }
    return rc < 0 ? -1 : 0;
}
