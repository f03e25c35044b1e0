/*
 * trace.h: the events of one scenario as the supervisor keeps them.
 *
 * Bounded: the first TRACE_HEAD events and the last TRACE_TAIL are kept, the
 * rest only counted (a provider may flood Progress), except events pinned
 * because a violation points at them. Single-threaded.
 */
#ifndef SYNCHOST_TRACE_H
#define SYNCHOST_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/event.h"

#define TRACE_HEAD 2000
#define TRACE_TAIL 1000

struct trace {
    struct event *head; /* the first events, in order; texts owned */
    size_t head_count;
    struct event *tail; /* a ring of the newest events past the head */
    size_t tail_start, tail_count;
    struct event *pinned; /* events past the head that a violation points at */
    size_t pinned_count, pinned_cap;
    uint64_t total; /* every event appended */
};

void trace_init(struct trace *t);
void trace_free(struct trace *t);

/* Appends a copy of ev (its text is copied). Returns 0 or -1 (out of memory). */
int trace_append(struct trace *t, const struct event *ev);

/* Keeps the newest event (the one just appended) whatever happens later. */
void trace_pin_last(struct trace *t);

/* The events kept, in sequence order, without duplicates: calls fn for each.
 * Returns how many were dropped (total minus those visited). */
uint64_t trace_visit(const struct trace *t, void (*fn)(void *ctx, const struct event *ev),
                     void *ctx);

#endif /* SYNCHOST_TRACE_H */
