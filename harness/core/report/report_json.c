/*
 * report_json.c: the JSON report, in the shape docs/reports.md promises to
 * other people's CI. Fields are added, never renamed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "protocol/event_desc.h"
#include "trace/explain.h"
#include "text/escape.h"
#include "text/hresult.h"
#include "report/passrate.h"
#include "report/report_doc.h"
#include "report/report_file.h"
#include "report/result.h"
#include "text/textkeep.h"

static json_t *hr_json(uint32_t hr)
{
    char buf[32];
    return json_string(hresult_format(hr, buf, sizeof buf));
}

static json_t *hex_json(uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
    return json_string(buf);
}

struct bytes_out {
    char *out;
    size_t o;
};

/* One character of bytes_json(): as it is, or an ill-formed byte as the
 * text "\xNN" (4 bytes: the buffer has room for 4 a byte). */
static void bytes_char(void *ctx, const unsigned char *p, size_t len, int32_t cp)
{
    struct bytes_out *b = ctx;
    char esc[TEXT_ESCAPE_MAX];

    if (cp == TEXT_WALK_BYTE) {
        len = text_escape_byte(esc, p[0], TEXT_HEX_LOWER);
        p = (const unsigned char *)esc;
    }
    memcpy(b->out + b->o, p, len);
    b->o += len;
}

/* n bytes that may hold NULs and ill-formed UTF-8 (the worker's stderr) as
 * a JSON string: well-formed UTF-8 as it is, a NUL as jansson writes it
 * (\u0000), each byte of ill-formed UTF-8 as the text "\xNN" (as the JUnit
 * report and the console write it). NULL out of memory. */
static json_t *bytes_json(const char *s, size_t n)
{
    struct bytes_out b = {n <= SIZE_MAX / 4 ? malloc(n * 4 + 1) : NULL, 0};
    json_t *j;

    if (b.out == NULL) {
        return NULL;
    }
    text_walk(s, n, bytes_char, &b);
    j = json_stringn(b.out, b.o);
    free(b.out);
    return j;
}

/* The worker's stderr: its text, "ok" or "too_long", and when cut the
 * length of the whole (as a cut debug output has, docs/reports.md). */
static void stderr_json(json_t *o, const struct scenario_result *res)
{
    if (res->worker_stderr == NULL || res->worker_stderr_len == 0) {
        return;
    }
    json_object_set_new(o, "worker_stderr", bytes_json(res->worker_stderr, res->worker_stderr_len));
    json_object_set_new(o, "worker_stderr_state",
                        json_string(res->worker_stderr_dropped > 0 ? "too_long" : "ok"));
    if (res->worker_stderr_dropped > 0) {
        json_object_set_new(o, "worker_stderr_length",
                            json_integer((json_int_t)(TEXTKEEP_STDERR_MAX +
                                                      res->worker_stderr_dropped)));
    }
}

/* One field of an event's kind, as events.def describes it. */
static json_t *field_json(const struct event *ev, const struct event_field *f)
{
    uint64_t v = event_member(ev, f->member);
    char flags[SYNC_FLAGS_FORMAT_MAX];

    switch (f->format) {
    case JF_INT:
        return json_integer((json_int_t)v);
    case JF_HEX:
        return hex_json(v);
    case JF_HR:
        return hr_json((uint32_t)v);
    case JF_TRUE:
        return json_true();
    case JF_IS:
        return json_boolean(v == f->a);
    case JF_NOT:
        return json_boolean(v != f->a);
    case JF_MAYBE:
        return v == f->b ? json_null() : json_boolean(v == f->a);
    case JF_LOAD_STEP:
        return json_string(load_step_name((enum load_step)v));
    case JF_PROVIDER_OBJECT:
        return json_string(provider_object_name((enum provider_object)v));
    case JF_FAST_STEP:
        return json_string(fast_step_name((enum fast_step)v));
    case JF_SIDE_EFFECT:
        return json_string(v == SIDE_EFFECT_SIB       ? "sib"
                           : v == SIDE_EFFECT_PROCESS ? "process"
                                                      : "memory");
    case JF_FLAG_NAMES:
        return json_string(sync_flags_format((uint32_t)v, flags, sizeof flags));
    }
    return json_null();
}

/* One event: the common fields, then those its kind carries (events.def),
 * then its text. */
json_t *report_json_event(const struct event *ev)
{
    const struct event_desc *d = event_desc(ev->kind);
    json_t *o = json_object();

    json_object_set_new(o, "seq", json_integer(ev->seq));
    json_object_set_new(o, "t_us", json_integer((json_int_t)ev->t_us));
    json_object_set_new(o, "thread", json_integer(ev->thread));
    json_object_set_new(o, "kind", json_string(event_kind_name(ev->kind)));
    if (ev->call != 0) {
        json_object_set_new(o, "call", json_integer(ev->call));
    }
    for (const struct event_field *f = d->fields; f != NULL && f->name != NULL; f++) {
        if (event_when_holds(ev, &f->when)) {
            json_object_set_new(o, f->name, field_json(ev, f));
        }
    }
    if (ev->text_state != TEXT_NONE) {
        json_object_set_new(o, "text_state", json_string(text_state_name(ev->text_state)));
    }
    if (ev->text != NULL) {
        json_t *s = json_string(ev->text);
        json_object_set_new(o, d->text_key, s != NULL ? s : json_string("(not valid UTF-8)"));
    }
    return o;
}

static void add_event(void *ctx, const struct event *ev)
{
    json_array_append_new((json_t *)ctx, report_json_event(ev));
}

/* For a scenario that did not pass: the provider's last call into the host,
 * and the commands that rerun it alone. */
static void explanation_json(json_t *o, const struct scenario_result *res)
{
    const struct event *last;
    char call[EXPLAIN_CALL_MAX];
    json_t *rerun;

    if (res->status == STATUS_PASSED || res->status == STATUS_SKIPPED) {
        return;
    }
    last = explain_last_host_call(&res->trace);
    if (last != NULL) {
        json_t *lo = json_object();
        explain_host_call(last, call, sizeof call);
        json_object_set_new(lo, "event", json_integer(last->seq));
        json_object_set_new(lo, "thread", json_integer(last->thread));
        json_object_set_new(lo, "call", json_string(call));
        json_object_set_new(o, "last_host_call", lo);
    }
    if (res->rerun_synchost != NULL || res->rerun_winedbg != NULL) {
        rerun = json_object();
        if (res->rerun_synchost != NULL) {
            json_object_set_new(rerun, "synchost", json_string(res->rerun_synchost));
        }
        if (res->rerun_winedbg != NULL) {
            json_object_set_new(rerun, RERUN_DEBUGGER_KEY, json_string(res->rerun_winedbg));
        }
        if (res->rerun_windbg != NULL) {
            json_object_set_new(rerun, "windbg", json_string(res->rerun_windbg));
        }
        json_object_set_new(o, "rerun", rerun);
    }
}

/* What each SynchronizeInBackground call came to, in order. */
static json_t *calls_json(const struct judge *j)
{
    json_t *calls = json_array();
    struct judge_call_outcome c;

    for (size_t i = 0; i < judge_call_count(j); i++) {
        json_t *o;
        if (!judge_call_outcome(j, i, &c)) {
            continue;
        }
        o = json_object();
        json_object_set_new(o, "call", json_integer(c.call));
        json_object_set_new(o, "returned", c.returned ? hr_json(c.return_hr) : json_null());
        json_object_set_new(o, "done_hresult", c.done_count > 0 ? hr_json(c.done_hr) : json_null());
        json_object_set_new(o, "done_calls", json_integer((json_int_t)c.done_count));
        json_object_set_new(o, "event", json_string(c.signaled    ? "signaled"
                                                    : c.timed_out ? "timed_out"
                                                                  : "none"));
        json_array_append_new(calls, o);
    }
    return calls;
}

static json_t *scenario_json(const struct scenario_result *res)
{
    json_t *o = json_object();
    json_t *vs = json_array();
    json_t *evs = json_array();
    uint64_t dropped;
    uint32_t hr;

    json_object_set_new(o, "name", json_string(res->sc->name));
    json_object_set_new(o, "file", json_string(res->sc->file != NULL ? res->sc->file : ""));
    json_object_set_new(o, "status", json_string(scenario_status_name(res->status)));
    json_object_set_new(o, "duration_ms", json_integer((json_int_t)res->duration_ms));
    json_object_set_new(o, "returned",
                        judge_returned(&res->judge, &hr) ? hr_json(hr) : json_null());
    json_object_set_new(o, "done_hresult",
                        judge_done(&res->judge, &hr) ? hr_json(hr) : json_null());
    json_object_set_new(o, "calls", calls_json(&res->judge));
    if (res->provider != NULL) {
        json_object_set_new(o, "provider", json_string(res->provider));
    }
    if (res->machine != NULL) {
        json_object_set_new(o, "machine", json_string(res->machine));
    }
    if (res->note[0] != '\0') {
        json_object_set_new(o, "note", json_string(res->note));
    }
    for (size_t i = 0; i < res->judge.violation_count; i++) {
        const struct violation *v = &res->judge.violations[i];
        json_t *vo = json_object();
        json_object_set_new(vo, "rule", json_string(v->rule));
        json_object_set_new(vo, "level",
                            json_string(strncmp(v->rule, "expect.", 7) == 0
                                            ? "expect"
                                            : rule_level_name(v->level)));
        json_object_set_new(vo, "message", json_string(v->message));
        json_object_set_new(vo, "event", v->event >= 0 ? json_integer(v->event) : json_null());
        json_object_set_new(vo, "repeats", json_integer((json_int_t)v->repeats));
        json_array_append_new(vs, vo);
    }
    json_object_set_new(o, "violations", vs);
    dropped = trace_visit(&res->trace, add_event, evs);
    json_object_set_new(o, "events", evs);
    json_object_set_new(o, "events_dropped", json_integer((json_int_t)dropped));
    if (res->worker_ordinal > 0) {
        json_object_set_new(o, "worker_ordinal", json_integer(res->worker_ordinal));
    }
    if (res->ran_alone) {
        json_object_set_new(o, "rerun_alone", json_string(scenario_status_name(res->alone_status)));
    }
    stderr_json(o, res);
    explanation_json(o, res);
    return o;
}

/* A known failure's change of rules: {"now_breaks": [...],
 * "no_longer_breaks": [...]}, each list its first BASELINE_MAX_CHANGES. */
static json_t *change_json(const struct baseline_judgement *j)
{
    json_t *o = json_object(), *now = json_array(), *gone = json_array();

    for (size_t i = 0; i < j->now_count && i < BASELINE_MAX_CHANGES; i++) {
        json_array_append_new(now, json_string(j->now[i]));
    }
    for (size_t i = 0; i < j->gone_count && i < BASELINE_MAX_CHANGES; i++) {
        json_array_append_new(gone, json_string(j->gone[i]));
    }
    json_object_set_new(o, "now_breaks", now);
    json_object_set_new(o, "no_longer_breaks", gone);
    return o;
}

/* The regression workflow's fields (docs/regression.md): the
 * order, each scenario's pass rate, and with --baseline each run's verdict
 * against it and their counts in the summary. */
static void add_baseline(json_t *o, const struct run_report *r)
{
    json_t *list = json_object_get(o, "scenarios");
    json_t *counts = json_object();
    size_t n[BASELINE_VERDICT_COUNT] = {0}, changed = 0;
    char why[1024];

    json_object_set_new(o, "baseline_file", json_string(r->baseline->path));
    for (size_t i = 0; i < r->count; i++) {
        const struct baseline_judgement *j = &r->judged[i];
        json_t *sc = json_array_get(list, i);
        n[j->verdict]++;
        json_object_set_new(sc, "baseline", json_string(baseline_verdict_name(j->verdict)));
        if (j->entry != NULL) {
            json_object_set_new(sc, "baseline_reason", json_string(j->entry->reason));
        }
        json_object_set_new(
            sc, "baseline_detail",
            json_string(baseline_explain(r->baseline, j, r->results[i].status, why, sizeof why)));
        if (baseline_changed(j)) {
            json_object_set_new(sc, "baseline_changed", change_json(j));
            changed++;
        }
    }
    for (int v = 0; v < BASELINE_VERDICT_COUNT; v++) {
        json_object_set_new(counts, baseline_verdict_name((enum baseline_verdict)v),
                            json_integer((json_int_t)n[v]));
    }
    json_object_set_new(json_object_get(o, "summary"), "baseline", counts);
    json_object_set_new(json_object_get(o, "summary"), "baseline_changed",
                        json_integer((json_int_t)changed));
}

static void add_regression(json_t *o, const struct run_report *r)
{
    struct pass_rate *rates = calloc(r->count + 1, sizeof *rates);
    json_t *list = json_array();
    size_t n = rates != NULL ? pass_rates_compute(r->results, r->count, rates) : 0;

    json_object_set_new(o, "order", json_string(r->shuffled ? "shuffled" : "files"));
    for (size_t i = 0; i < n; i++) {
        json_t *pr = json_object();
        json_object_set_new(pr, "name", json_string(rates[i].name));
        json_object_set_new(pr, "file", json_string(rates[i].file));
        json_object_set_new(pr, "runs", json_integer((json_int_t)rates[i].runs));
        json_object_set_new(pr, "passed", json_integer((json_int_t)rates[i].passed));
        json_array_append_new(list, pr);
    }
    free(rates);
    json_object_set_new(o, "pass_rates", list);
    if (r->baseline != NULL && r->judged != NULL) {
        add_baseline(o, r);
    }
}

/* skipped_rules: every rule skipped for the run, with its reason. */
static json_t *rule_skips_json(const struct run_report *r)
{
    json_t *list = json_array();

    for (size_t i = 0; i < r->rule_skip_count; i++) {
        const struct rule_skip *s = &r->rule_skips[i];
        json_t *o = json_object();
        json_object_set_new(o, "rule", json_string(s->rule));
        json_object_set_new(o, "reason", s->reason ? json_string(s->reason) : json_null());
        json_object_set_new(o, "source", s->source ? json_string(s->source) : json_null());
        json_array_append_new(list, o);
    }
    return list;
}

json_t *report_json_doc(const struct run_report *r)
{
    static const char *const keys[STATUS_COUNT] = {
        "passed", "failed", "crashed", "timed_out", "errored", "skipped", "interrupted",
    };
    json_t *o = json_object();
    json_t *prov = json_object();
    json_t *sum = json_object();
    json_t *list = json_array();
    size_t counts[STATUS_COUNT];

    run_report_summary(r, counts);
    json_object_set_new(o, "tool", json_string("synchost"));
    json_object_set_new(o, "version", json_string(r->version));
    json_object_set_new(o, "seed", json_integer((json_int_t)r->seed));
    json_object_set_new(prov, "path", r->provider ? json_string(r->provider) : json_null());
    json_object_set_new(prov, "machine", r->machine ? json_string(r->machine) : json_null());
    json_object_set_new(o, "provider", prov);
    json_object_set_new(o, "level", json_string(rule_level_name(r->level)));
    json_object_set_new(o, "skipped_rules", rule_skips_json(r));
    json_object_set_new(sum, "total", json_integer((json_int_t)r->count));
    for (int i = 0; i < STATUS_COUNT; i++) {
        json_object_set_new(sum, keys[i], json_integer((json_int_t)counts[i]));
    }
    json_object_set_new(o, "summary", sum);
    json_object_set_new(o, "duration_ms", json_integer((json_int_t)r->duration_ms));
    for (size_t i = 0; i < r->count; i++) {
        json_array_append_new(list, scenario_json(&r->results[i]));
    }
    json_object_set_new(o, "scenarios", list);
    add_regression(o, r);
    return o;
}

int report_json_write(const struct run_report *r, const char *path)
{
    return report_file_write_json(path, report_json_doc(r), JSON_INDENT(2));
}
