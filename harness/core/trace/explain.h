/*
 * explain.h: what a person needs under a crash or a timeout, drawn from the
 * scenario's trace: the provider's last call into the host, the last events
 * before the end, and the stacks the worker sent (`frame` events). The
 * console and the JSON report both use it. Portable C, single-threaded;
 * the events handed out point into the trace and live as long as it is not
 * changed.
 */
#ifndef SYNCHOST_EXPLAIN_H
#define SYNCHOST_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"

/* How many events explain_last_events gives at most. */
#define EXPLAIN_LAST_EVENTS 6

/* Longest host call description, NUL included. */
#define EXPLAIN_CALL_MAX 200

/* Is this kind a call the provider made into the host (Progress, Error,
 * Done, a method of a host object, an allocation, debug output)? */
int explain_is_host_call(enum event_kind kind);

/* "Progress(2/5) -> S_OK", "Done(S_OK)", "session.OpenEntry -> ...": the
 * call as a person names it. */
void explain_host_call(const struct event *ev, char *out, size_t cap);

/* The newest host call in the trace, or NULL. */
const struct event *explain_last_host_call(const struct trace *t);

/* The newest events (at most EXPLAIN_LAST_EVENTS) before the first `frame`
 * or `stacks` event (the report's own) and without the supervisor's `exit`,
 * oldest first, into out. Returns how many. */
size_t explain_last_events(const struct trace *t, const struct event **out);

/* Calls fn for each `frame` event in the trace, in order. Returns how many. */
size_t explain_frames(const struct trace *t, void (*fn)(void *ctx, const struct event *ev),
                      void *ctx);

#endif /* SYNCHOST_EXPLAIN_H */
