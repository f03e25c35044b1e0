/* wire.c: the line codec of the worker's event stream (see wire.h). */
#include "protocol/wire.h"

#include "protocol/line.h"

#include <stdio.h>
#include <string.h>

size_t wire_format(const struct event *ev, char *buf, size_t cap)
{
    struct line_out o;
    char head[96];

    /* The kind and the three fields every event carries, zero or not, all
     * or nothing: a line cut before them is no event at all. */
    snprintf(head, sizeof head, "%s seq=%lu t=%llu tid=%lu", event_kind_name(ev->kind),
             (unsigned long)ev->seq, (unsigned long long)ev->t_us, (unsigned long)ev->thread);
    line_out_init(&o, buf, cap, head);
    line_out_u64(&o, "hr", ev->hr, 1);
    line_out_u64(&o, "step", ev->step, 0);
    line_out_u64(&o, "flags", ev->flags, 1);
    line_out_u64(&o, "index", ev->index, 0);
    line_out_u64(&o, "max", ev->index_max, 0);
    line_out_u64(&o, "handle", ev->handle, 1);
    line_out_u64(&o, "value", ev->value, 0);
    line_out_u64(&o, "call", ev->call, 0);
    if (ev->text_state != TEXT_NONE) {
        line_out_word(&o, "ts", text_state_name(ev->text_state));
    }
    if (ev->text != NULL) {
        line_out_text(&o, "text", ev->text);
    }
    return line_out_end(&o);
}
