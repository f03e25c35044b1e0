/* trace.c: the bounded event store (see trace.h). */
#include "trace/trace.h"
#include "text/grow.h"

#include <stdlib.h>
#include <string.h>

void trace_init(struct trace *t)
{
    memset(t, 0, sizeof *t);
}

static void event_free_text(struct event *ev)
{
    free((char *)ev->text);
    ev->text = NULL;
}

void trace_free(struct trace *t)
{
    for (size_t i = 0; i < t->head_count; i++) {
        event_free_text(&t->head[i]);
    }
    for (size_t i = 0; i < t->tail_count; i++) {
        event_free_text(&t->tail[(t->tail_start + i) % TRACE_TAIL]);
    }
    for (size_t i = 0; i < t->pinned_count; i++) {
        event_free_text(&t->pinned[i]);
    }
    free(t->head);
    free(t->tail);
    free(t->pinned);
    memset(t, 0, sizeof *t);
}

static int copy_event(struct event *dst, const struct event *src)
{
    *dst = *src;
    if (src->text != NULL) {
        size_t n = strlen(src->text) + 1;
        char *s = malloc(n);
        if (s == NULL) {
            dst->text = NULL;
            return -1;
        }
        memcpy(s, src->text, n);
        dst->text = s;
    }
    return 0;
}

static struct event *newest(struct trace *t)
{
    if (t->tail_count > 0) {
        return &t->tail[(t->tail_start + t->tail_count - 1) % TRACE_TAIL];
    }
    return t->head_count > 0 ? &t->head[t->head_count - 1] : NULL;
}

int trace_append(struct trace *t, const struct event *ev)
{
    struct event *slot;

    if (t->head == NULL) {
        t->head = calloc(TRACE_HEAD, sizeof *t->head);
        t->tail = calloc(TRACE_TAIL, sizeof *t->tail);
        if (t->head == NULL || t->tail == NULL) {
            return -1;
        }
    }
    t->total++;
    if (t->head_count < TRACE_HEAD) {
        return copy_event(&t->head[t->head_count++], ev);
    }
    /* A flood passes here millions of times: no division on the way. */
    if (t->tail_count == TRACE_TAIL) {
        slot = &t->tail[t->tail_start];
        event_free_text(slot);
        if (++t->tail_start == TRACE_TAIL) {
            t->tail_start = 0;
        }
        t->tail_count--;
    }
    {
        size_t at = t->tail_start + t->tail_count;
        slot = &t->tail[at >= TRACE_TAIL ? at - TRACE_TAIL : at];
    }
    t->tail_count++;
    return copy_event(slot, ev);
}

void trace_pin_last(struct trace *t)
{
    struct event *ev = newest(t), *p;

    if (ev == NULL || t->tail_count == 0) {
        return; /* still in the head, which is never dropped */
    }
    p = grow_room(t->pinned, &t->pinned_cap, t->pinned_count, sizeof *p, 8);
    if (p == NULL) {
        return;
    }
    t->pinned = p;
    if (copy_event(&t->pinned[t->pinned_count], ev) == 0) {
        t->pinned_count++;
    }
}

uint64_t trace_visit(const struct trace *t, void (*fn)(void *ctx, const struct event *ev),
                     void *ctx)
{
    uint64_t visited = 0;
    size_t p = 0;
    uint32_t first_tail = t->tail_count ? t->tail[t->tail_start].seq : UINT32_MAX;

    for (size_t i = 0; i < t->head_count; i++, visited++) {
        fn(ctx, &t->head[i]);
    }
    /* Pinned events are in sequence order; those the tail still holds are
     * visited from the tail. */
    for (; p < t->pinned_count && t->pinned[p].seq < first_tail; p++, visited++) {
        fn(ctx, &t->pinned[p]);
    }
    for (size_t i = 0; i < t->tail_count; i++, visited++) {
        fn(ctx, &t->tail[(t->tail_start + i) % TRACE_TAIL]);
    }
    return t->total - visited;
}
