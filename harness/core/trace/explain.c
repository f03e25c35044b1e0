/* explain.c: the last host call, the last events and the stacks of a trace
 * (see explain.h). */
#include "trace/explain.h"

#include <stdio.h>
#include <string.h>

#include "text/hresult.h"

int explain_is_host_call(enum event_kind kind)
{
    switch (kind) {
    case EVENT_PROGRESS:
    case EVENT_ERROR:
    case EVENT_DONE:
    case EVENT_ADDREF:
    case EVENT_RELEASE:
    case EVENT_QI:
    case EVENT_SESSION_CALL:
    case EVENT_SUPPORT_CALL:
    case EVENT_ALLOC:
    case EVENT_FREE:
    case EVENT_DEBUG_OUTPUT:
        return 1;
    default:
        return 0;
    }
}

void explain_host_call(const struct event *ev, char *out, size_t cap)
{
    char hr[HRESULT_NAME_MAX + 16];
    const char *text = ev->text != NULL ? ev->text : "";

    hresult_format(ev->hr, hr, sizeof hr);
    switch (ev->kind) {
    case EVENT_PROGRESS:
        snprintf(out, cap, "Progress(%lu/%lu) -> %s", (unsigned long)ev->index,
                 (unsigned long)ev->index_max, hr);
        break;
    case EVENT_ERROR:
        snprintf(out, cap, "Error(%s)", hr);
        break;
    case EVENT_DONE:
        snprintf(out, cap, "Done(%s)", hr);
        break;
    case EVENT_ADDREF:
    case EVENT_RELEASE:
        snprintf(out, cap, "%s.%s -> %lld", text, ev->kind == EVENT_ADDREF ? "AddRef" : "Release",
                 (long long)ev->value);
        break;
    case EVENT_QI:
        snprintf(out, cap, "QueryInterface(%s) -> %s", text, hr);
        break;
    case EVENT_SESSION_CALL:
    case EVENT_SUPPORT_CALL:
        snprintf(out, cap, "%s.%s -> %s", ev->kind == EVENT_SESSION_CALL ? "session" : "support",
                 text, hr);
        break;
    case EVENT_ALLOC:
        snprintf(out, cap, "%s(%llu bytes)", text, (unsigned long long)ev->value);
        break;
    case EVENT_FREE:
        snprintf(out, cap, "MAPIFreeBuffer(0x%llx)", (unsigned long long)ev->handle);
        break;
    case EVENT_DEBUG_OUTPUT:
        snprintf(out, cap, "OutputDebugString");
        break;
    default:
        snprintf(out, cap, "%s", event_kind_name(ev->kind));
        break;
    }
}

struct scan {
    const struct event *last_call;
    const struct event *ring[EXPLAIN_LAST_EVENTS];
    size_t count; /* events put in the ring */
    int stop;     /* a frame or stacks event was seen: the ring is final */
};

static void scan_one(void *ctx, const struct event *ev)
{
    struct scan *s = ctx;

    if (explain_is_host_call(ev->kind)) {
        s->last_call = ev;
    }
    if (ev->kind == EVENT_FRAME || ev->kind == EVENT_STACKS) {
        s->stop = 1;
    }
    if (s->stop || ev->kind == EVENT_EXIT) {
        return;
    }
    s->ring[s->count % EXPLAIN_LAST_EVENTS] = ev;
    s->count++;
}

const struct event *explain_last_host_call(const struct trace *t)
{
    struct scan s;

    memset(&s, 0, sizeof s);
    trace_visit(t, scan_one, &s);
    return s.last_call;
}

size_t explain_last_events(const struct trace *t, const struct event **out)
{
    struct scan s;
    size_t n;

    memset(&s, 0, sizeof s);
    trace_visit(t, scan_one, &s);
    n = s.count < EXPLAIN_LAST_EVENTS ? s.count : EXPLAIN_LAST_EVENTS;
    for (size_t i = 0; i < n; i++) {
        out[i] = s.ring[(s.count - n + i) % EXPLAIN_LAST_EVENTS];
    }
    return n;
}

struct frames {
    void (*fn)(void *ctx, const struct event *ev);
    void *ctx;
    size_t n;
};

static void frame_one(void *ctx, const struct event *ev)
{
    struct frames *f = ctx;

    if (ev->kind == EVENT_FRAME) {
        f->fn(f->ctx, ev);
        f->n++;
    }
}

size_t explain_frames(const struct trace *t, void (*fn)(void *ctx, const struct event *ev),
                      void *ctx)
{
    struct frames f = {fn, ctx, 0};

    trace_visit(t, frame_one, &f);
    return f.n;
}
