/*
 * report_chrome.c: the run's traces as Chrome trace-event JSON (docs/reports.md), the "JSON Object Format" that Perfetto UI and chrome://tracing
 * open. A process (pid) per scenario run, a track (tid) per Win32 thread,
 * and track 0 for the host's phases and what synchost itself added (the
 * worker's exit, a broken stream). Host calls into the provider are complete
 * events ("X"), everything else instants ("i") whose args are the JSON
 * report's fields for that event; each violation is an instant on the
 * track of the event it points at. Timestamps are microseconds since the
 * scenario's first event, never decreasing in sequence order: the events
 * synchost adds come from its own clock, not the worker's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/explain.h"
#include "report/report_doc.h"
#include "report/report_file.h"
#include "report/result.h"
#include "text/grow.h"

/* The track of the host's phases and of the events synchost adds (their
 * thread is 0, which no Win32 thread has). */
#define HARNESS_TID 0

/* One scenario's kept events, in sequence order, with their timestamps. */
struct chrome_scenario {
    const struct event **ev;
    double *ts;
    size_t count, cap;
    int oom;
};

static void collect(void *ctx, const struct event *ev)
{
    struct chrome_scenario *cs = ctx;

    const struct event **p = grow_room(cs->ev, &cs->cap, cs->count, sizeof *p, 256);

    if (p == NULL) {
        cs->oom = 1;
        return;
    }
    cs->ev = p;
    cs->ev[cs->count++] = ev;
}

/* Microseconds since the first event, kept from going backwards. */
static int timestamps(struct chrome_scenario *cs)
{
    uint64_t t0, last = 0;

    cs->ts = calloc(cs->count + 1, sizeof *cs->ts);
    if (cs->ts == NULL) {
        return -1;
    }
    t0 = cs->count > 0 ? cs->ev[0]->t_us : 0;
    for (size_t i = 0; i < cs->count; i++) {
        uint64_t t = cs->ev[i]->t_us > t0 ? cs->ev[i]->t_us - t0 : 0;
        last = t > last ? t : last;
        cs->ts[i] = (double)last;
    }
    return 0;
}

static json_t *text_json(const char *s)
{
    json_t *j = json_string(s != NULL ? s : "");
    return j != NULL ? j : json_string("(not valid UTF-8)");
}

static json_t *trace_event(const char *ph, unsigned pid, uint32_t tid, double ts, const char *name)
{
    json_t *o = json_object();

    json_object_set_new(o, "ph", json_string(ph));
    json_object_set_new(o, "pid", json_integer(pid));
    json_object_set_new(o, "tid", json_integer(tid));
    json_object_set_new(o, "ts", json_real(ts));
    json_object_set_new(o, "name", text_json(name));
    return o;
}

static void metadata(json_t *list, unsigned pid, uint32_t tid, const char *what, const char *key,
                     json_t *value)
{
    json_t *o = trace_event("M", pid, tid, 0, what);
    json_t *args = json_object();

    json_object_del(o, "ts");
    json_object_set_new(args, key, value);
    json_object_set_new(o, "args", args);
    json_array_append_new(list, o);
}

/* A complete event from ts for dur, with args (stolen). */
static void complete(json_t *list, unsigned pid, uint32_t tid, double ts, double dur,
                     const char *name, const char *cat, json_t *args)
{
    json_t *o = trace_event("X", pid, tid, ts, name);

    json_object_set_new(o, "dur", json_real(dur));
    json_object_set_new(o, "cat", json_string(cat));
    json_object_set_new(o, "args", args != NULL ? args : json_object());
    json_array_append_new(list, o);
}

static void instant(json_t *list, unsigned pid, const struct event *ev, double ts)
{
    char name[EXPLAIN_CALL_MAX];
    json_t *o;

    if (explain_is_host_call(ev->kind)) {
        explain_host_call(ev, name, sizeof name);
    } else if (ev->kind == EVENT_LOAD) {
        snprintf(name, sizeof name, "%s", load_step_name((enum load_step)ev->step));
    } else {
        snprintf(name, sizeof name, "%s", event_kind_name(ev->kind));
    }
    o = trace_event("i", pid, ev->thread, ts, name);
    json_object_set_new(o, "s", json_string("t"));
    json_object_set_new(o, "cat", json_string(event_kind_name(ev->kind)));
    json_object_set_new(o, "args", report_json_event(ev));
    json_array_append_new(list, o);
}

/* The index of the first event of kind at or after from, or count. */
static size_t find_kind(const struct chrome_scenario *cs, size_t from, enum event_kind kind)
{
    while (from < cs->count && cs->ev[from]->kind != kind) {
        from++;
    }
    return from;
}

/* SynchronizeInBackground from its call to its return, then the host's wait
 * for the done event; a call that never returned lasts to the last event. */
static void host_calls(json_t *list, unsigned pid, const struct chrome_scenario *cs)
{
    size_t end = cs->count > 0 ? cs->count - 1 : 0;

    for (size_t c = find_kind(cs, 0, EVENT_CALL); c < cs->count;
         c = find_kind(cs, c + 1, EVENT_CALL)) {
        size_t r = find_kind(cs, c + 1, EVENT_RETURN);
        size_t w = r;
        json_t *args = json_object();

        json_object_set_new(args, "call", report_json_event(cs->ev[c]));
        if (r < cs->count) {
            json_object_set_new(args, "return", report_json_event(cs->ev[r]));
        }
        complete(
            list, pid, cs->ev[c]->thread, cs->ts[c], cs->ts[r < cs->count ? r : end] - cs->ts[c],
            r < cs->count ? "SynchronizeInBackground" : "SynchronizeInBackground (never returned)",
            "host", args);
        while (w < cs->count && cs->ev[w]->kind != EVENT_EVENT_SIGNALED &&
               cs->ev[w]->kind != EVENT_EVENT_TIMEOUT && cs->ev[w]->kind != EVENT_CALL) {
            w++;
        }
        if (r < cs->count && w < cs->count && cs->ev[w]->kind != EVENT_CALL) {
            complete(list, pid, cs->ev[c]->thread, cs->ts[r], cs->ts[w] - cs->ts[r],
                     "waiting for the done event", "host", NULL);
        }
    }
}

/* The host's phases, each from its `phase` event to the next or the end. */
static void phases(json_t *list, unsigned pid, const struct chrome_scenario *cs)
{
    size_t p = find_kind(cs, 0, EVENT_PHASE);

    while (p < cs->count) {
        size_t next = find_kind(cs, p + 1, EVENT_PHASE);
        double end = next < cs->count ? cs->ts[next] : cs->ts[cs->count - 1];
        complete(list, pid, HARNESS_TID, cs->ts[p], end - cs->ts[p],
                 host_phase_name((enum host_phase)cs->ev[p]->step), "phase", NULL);
        p = next;
    }
}

static void violations(json_t *list, unsigned pid, const struct scenario_result *res,
                       const struct chrome_scenario *cs)
{
    for (size_t i = 0; i < res->judge.violation_count; i++) {
        const struct violation *v = &res->judge.violations[i];
        size_t at = cs->count;
        char name[96];
        json_t *o, *args = json_object();

        for (size_t e = 0; v->event >= 0 && e < cs->count; e++) {
            if (cs->ev[e]->seq == (uint64_t)v->event) {
                at = e;
                break;
            }
        }
        snprintf(name, sizeof name, "violation: %s", v->rule);
        o = trace_event("i", pid, at < cs->count ? cs->ev[at]->thread : HARNESS_TID,
                        at < cs->count ? cs->ts[at] : (cs->count ? cs->ts[cs->count - 1] : 0),
                        name);
        json_object_set_new(o, "s", json_string("t"));
        json_object_set_new(o, "cat", json_string("violation"));
        json_object_set_new(args, "rule", text_json(v->rule));
        json_object_set_new(args, "message", text_json(v->message));
        json_object_set_new(args, "event", v->event >= 0 ? json_integer(v->event) : json_null());
        json_object_set_new(args, "repeats", json_integer((json_int_t)v->repeats));
        json_object_set_new(o, "args", args);
        json_array_append_new(list, o);
    }
}

/* Names the process and each thread's track: the thread that called
 * SynchronizeInBackground is the host's, the others the provider's. */
static void names(json_t *list, unsigned pid, const struct scenario_result *res,
                  const struct chrome_scenario *cs)
{
    char name[600];
    size_t call = find_kind(cs, 0, EVENT_CALL);
    uint32_t host = call < cs->count ? cs->ev[call]->thread : 0;
    /* Threads are few: each is looked for among those named. Past 64, a
     * track may be named twice (the format takes the last), never not. */
    uint32_t named[64];
    size_t n = 0;

    snprintf(name, sizeof name, "%s: %s", res->sc->name, scenario_status_name(res->status));
    metadata(list, pid, 0, "process_name", "name", text_json(name));
    metadata(list, pid, 0, "process_sort_index", "sort_index", json_integer(pid));
    metadata(list, pid, HARNESS_TID, "thread_name", "name", json_string("host phases, synchost"));
    metadata(list, pid, HARNESS_TID, "thread_sort_index", "sort_index", json_integer(0));
    for (size_t i = 0; i < cs->count; i++) {
        uint32_t t = cs->ev[i]->thread;
        int seen = t == HARNESS_TID;
        for (size_t j = 0; j < n && !seen; j++) {
            seen = named[j] == t;
        }
        if (seen) {
            continue;
        }
        if (n < sizeof named / sizeof named[0]) {
            named[n++] = t;
        } else if (i > 0 && t == cs->ev[i - 1]->thread) {
            continue;
        }
        snprintf(name, sizeof name, "%s thread %lu", t == host ? "host" : "provider",
                 (unsigned long)t);
        metadata(list, pid, t, "thread_name", "name", json_string(name));
        metadata(list, pid, t, "thread_sort_index", "sort_index", json_integer(t == host ? 1 : 2));
    }
}

/* Appends one scenario's events to list. Returns 0 or -1 (out of memory). */
static int scenario_events(json_t *list, unsigned pid, const struct scenario_result *res)
{
    struct chrome_scenario cs = {0};
    uint64_t dropped = trace_visit(&res->trace, collect, &cs);
    char labels[600];

    if (cs.oom || timestamps(&cs) != 0) {
        free(cs.ev);
        return -1;
    }
    names(list, pid, res, &cs);
    if (dropped > 0) {
        snprintf(labels, sizeof labels, "%s; %llu events of a flood dropped",
                 res->sc->file != NULL ? res->sc->file : "", (unsigned long long)dropped);
    } else {
        snprintf(labels, sizeof labels, "%s", res->sc->file != NULL ? res->sc->file : "");
    }
    metadata(list, pid, 0, "process_labels", "labels", text_json(labels));
    phases(list, pid, &cs);
    host_calls(list, pid, &cs);
    for (size_t i = 0; i < cs.count; i++) {
        enum event_kind k = cs.ev[i]->kind;
        /* Stack frames belong to the crash or the dump: the JSON and HTML
         * reports list them. */
        if (k != EVENT_CALL && k != EVENT_RETURN && k != EVENT_PHASE && k != EVENT_FRAME) {
            instant(list, pid, cs.ev[i], cs.ts[i]);
        }
    }
    violations(list, pid, res, &cs);
    free(cs.ev);
    free(cs.ts);
    return 0;
}

static json_t *chrome_doc(const struct run_report *r)
{
    json_t *doc = json_object(), *list = json_array(), *other = json_object();

    for (size_t i = 0; i < r->count; i++) {
        if (scenario_events(list, (unsigned)i + 1, &r->results[i]) != 0) {
            json_decref(list);
            json_decref(other);
            json_decref(doc);
            return NULL;
        }
    }
    json_object_set_new(other, "tool", json_string("synchost"));
    json_object_set_new(other, "version", json_string(r->version));
    json_object_set_new(other, "seed", json_integer((json_int_t)r->seed));
    json_object_set_new(other, "provider", r->provider ? text_json(r->provider) : json_null());
    json_object_set_new(doc, "traceEvents", list);
    json_object_set_new(doc, "displayTimeUnit", json_string("ms"));
    json_object_set_new(doc, "otherData", other);
    return doc;
}

int report_chrome_trace_write(const struct run_report *r, const char *path)
{
    return report_file_write_json(path, chrome_doc(r), JSON_COMPACT);
}
