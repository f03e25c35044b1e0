/*
 * test_report_html.c: the HTML report and the Chrome trace (report_html.c,
 * report_chrome.c) on a small run with text they do not control. The page
 * is self-contained (nothing fetched), its table escaped, its embedded JSON
 * unable to end its script element and read back whole; a flood's trace
 * rides in it bounded. The Chrome trace has the trace-event format's
 * structure: metadata naming a process per scenario and a track per thread,
 * the host's call as a complete event, instants with the report's fields,
 * the violation on its event's track, time never going backwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "report/report_file.h"
#include "text/utf8.h"
#include "report_written.h"
#include "report/result.h"

/* Valid UTF-8 that would end a script element, open a comment, or inject. */
#define SCRIPTY "</script><!--<script>alert(1)</script> \xc3\xa9 & \"q\" 'a'"
/* And bytes that are not text at all. */
#define BROKEN "bad \x01 \xc0\x80 \xed\xa0\x80 end"

struct fixture {
    struct scenario sc[2];
    struct scenario_result res[2];
    struct violation v;
    struct run_report r;
};

static void add(struct trace *t, uint32_t seq, uint64_t t_us, uint32_t thread, enum event_kind kind,
                const char *text)
{
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.seq = seq;
    ev.t_us = t_us;
    ev.thread = thread;
    ev.kind = kind;
    ev.text = text;
    ev.text_state = text != NULL ? TEXT_OK : TEXT_NONE;
    ev.index = 1;
    ev.index_max = 2;
    if (kind == EVENT_PHASE) {
        ev.step = strcmp(text, "load") == 0 ? PHASE_LOAD : PHASE_SYNC;
    }
    assert_int_equal(trace_append(t, &ev), 0);
}

/* A failed scenario: the host thread 100 calls, the provider's thread 200
 * reports, synchost adds the worker's exit with a time from its own clock
 * (earlier than the worker's). A violation points at event 7. */
static void fixture_init(struct fixture *fx)
{
    static char *const names[2] = {SCRIPTY, BROKEN};
    static char *const files[2] = {"dir/<x>.yaml", "y.yaml"};
    struct trace *t = &fx->res[0].trace;

    memset(fx, 0, sizeof *fx);
    two_scenarios_init(fx->sc, fx->res, &fx->v, names, files, SCRIPTY);
    add(t, 0, 1000, 100, EVENT_HELLO, "x64");
    add(t, 1, 1100, 100, EVENT_PHASE, "load");
    add(t, 2, 1200, 100, EVENT_LOAD, NULL);
    add(t, 3, 4000, 100, EVENT_PHASE, "sync");
    add(t, 4, 5000, 100, EVENT_CALL, NULL);
    add(t, 5, 5500, 200, EVENT_PROGRESS, "one");
    add(t, 6, 6000, 100, EVENT_RETURN, NULL);
    add(t, 7, 6500, 200, EVENT_PROGRESS, SCRIPTY);
    add(t, 8, 7000, 200, EVENT_DONE, NULL);
    add(t, 9, 7100, 100, EVENT_EVENT_SIGNALED, NULL);
    add(t, 10, 10, 0, EVENT_EXIT, "killed");
    fx->res[0].status = STATUS_FAILED;
    fx->res[0].duration_ms = 42;
    fx->res[0].judge.violations = &fx->v;
    fx->res[0].judge.violation_count = 1;
    snprintf(fx->res[1].note, sizeof fx->res[1].note, "%s", BROKEN);
    fx->res[1].status = STATUS_ERRORED;
    fx->r.version = "test";
    fx->r.provider = "/p/" SCRIPTY ".dll";
    fx->r.level = RULE_RECOMMENDED;
    fx->r.results = fx->res;
    fx->r.count = 2;
}

static void fixture_free(struct fixture *fx)
{
    trace_free(&fx->res[0].trace);
    trace_free(&fx->res[1].trace);
}


static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* The document inside the data script element, parsed. */
static json_t *embedded(const char *html)
{
    const char *open = "<script type=\"application/json\" id=\"synchost-data\">";
    const char *start = strstr(html, open), *end;
    json_error_t err;
    json_t *doc;

    assert_non_null(start);
    start += strlen(open);
    end = strstr(start, "</script>");
    assert_non_null(end);
    assert_null(memchr(start, '<', (size_t)(end - start)));
    doc = json_loadb(start, (size_t)(end - start), 0, &err);
    if (doc == NULL) {
        print_error("embedded JSON: %s at %d:%d\n", err.text, err.line, err.column);
        fail();
    }
    return doc;
}

static void test_html_self_contained_and_escaped(void **state)
{
    struct fixture fx;
    char *h;
    size_t n;
    uint32_t cp;
    json_t *doc, *ev;

    (void)state;
    fixture_init(&fx);
    h = write_report(report_html_write, &fx.r);
    assert_true(strncmp(h, "<!DOCTYPE html>\n", 16) == 0);
    n = strlen(h);
    for (size_t i = 0; i < n;) {
        size_t len = text_utf8_next((const unsigned char *)h + i, n - i, &cp);
        assert_true(len > 0);
        i += len;
    }
    /* Nothing from elsewhere: no source, link, import or URL. */
    assert_null(strstr(h, " src="));
    assert_null(strstr(h, "<link"));
    assert_null(strstr(h, "@import"));
    assert_null(strstr(h, "url("));
    assert_null(strstr(h, "http://"));
    assert_null(strstr(h, "https://"));
    /* Our elements only: the data and the script, no comment opened. */
    assert_int_equal(count(h, "<script"), 2);
    assert_int_equal(count(h, "</script>"), 2);
    assert_null(strstr(h, "<!--"));
    /* The table: a row per scenario, status, rules, escaped text. */
    assert_non_null(strstr(h, "<tr id=\"row-0\" class=\"scenario-row st-failed\" data-index=\"0\" "
                              "data-status=\"failed\" data-rules=\"progress-text-valid\">"));
    assert_non_null(strstr(h, "data-status=\"errored\" data-rules=\"\">"));
    assert_non_null(strstr(h, "&lt;/script&gt;&lt;!--&lt;script&gt;alert(1)"));
    assert_non_null(strstr(h, "&amp; &quot;q&quot; &#39;a&#39;"));
    assert_non_null(strstr(h, "bad \\x01 \\xC0\\x80 \\xED\\xA0\\x80 end"));
    assert_non_null(strstr(h, "dir/&lt;x&gt;.yaml</div></td>"));
    assert_non_null(strstr(h, "<td class=\"num\">42 ms</td>"));
    assert_non_null(strstr(h, "data-status=\"failed\" aria-pressed=\"true\">failed <b>1</b>"));
    assert_non_null(strstr(h, "<title>synchost: 2 of 2 did not pass"));
    assert_non_null(strstr(h, "<span class=\"verdict bad\">FAIL</span>"));
    /* The data: the JSON report, whole, text intact. */
    doc = embedded(h);
    assert_string_equal(json_string_value(json_object_get(doc, "tool")), "synchost");
    ev = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "scenarios"), 0), "events"), 7);
    assert_string_equal(json_string_value(json_object_get(ev, "text")), SCRIPTY);
    assert_int_equal(json_array_size(json_object_get(doc, "scenarios")), 2);
    json_decref(doc);
    free(h);
    fixture_free(&fx);
}

/* A flood of 10,000 Progress calls: the page carries the bounded trace and
 * the count of the rest, and stays small. */
static void test_html_flood(void **state)
{
    struct fixture fx;
    char *h;
    json_t *doc, *sc;

    (void)state;
    fixture_init(&fx);
    for (uint32_t i = 11; i < 10011; i++) {
        add(&fx.res[1].trace, i - 11, 100u * i, 300 + i % 4, EVENT_PROGRESS, "step");
    }
    h = write_report(report_html_write, &fx.r);
    assert_true(strlen(h) < 4u * 1024 * 1024);
    doc = embedded(h);
    sc = json_array_get(json_object_get(doc, "scenarios"), 1);
    assert_int_equal(json_array_size(json_object_get(sc, "events")), TRACE_HEAD + TRACE_TAIL);
    assert_int_equal(json_integer_value(json_object_get(sc, "events_dropped")),
                     10000 - TRACE_HEAD - TRACE_TAIL);
    json_decref(doc);
    free(h);
    fixture_free(&fx);
}

/* With a baseline, the page's verdict is the baseline's: a known failure
 * does not fail the run, and each row says its verdict. */
static void test_html_baseline(void **state)
{
    struct fixture fx;
    struct baseline b;
    struct baseline_entry e;
    struct baseline_judgement j[2];
    char *h;

    (void)state;
    fixture_init(&fx);
    memset(&b, 0, sizeof b);
    memset(&e, 0, sizeof e);
    memset(j, 0, sizeof j);
    b.path = "known<1>.yaml";
    e.reason = "a known bug";
    e.line = e.col = 1;
    j[0].verdict = BASELINE_KNOWN_FAILURE;
    j[0].entry = &e;
    j[1].verdict = BASELINE_NOT_JUDGED;
    fx.r.baseline = &b;
    fx.r.judged = j;
    h = write_report(report_html_write, &fx.r);
    assert_non_null(strstr(h, "<span class=\"verdict good\">PASS</span>"));
    /* Without a run-wide provider, each row names its own. */
    fx.r.provider = NULL;
    fx.res[0].provider = "C:\\p/own<dll>.dll";
    free(h);
    h = write_report(report_html_write, &fx.r);
    assert_non_null(
        strstr(h, "dir/&lt;x&gt;.yaml</div><div class=\"file\">own&lt;dll&gt;.dll</div>"));
    assert_non_null(strstr(h, "known&lt;1&gt;.yaml: 0 new, 0 fixed, 1 known"));
    assert_non_null(strstr(h, "baseline: known-failure</div>"));
    free(h);
    j[0].verdict = BASELINE_NEW_FAILURE;
    h = write_report(report_html_write, &fx.r);
    assert_non_null(strstr(h, "<span class=\"verdict bad\">FAIL</span>"));
    free(h);
    fixture_free(&fx);
}

/* The trace event with ph and name (and tid, unless tid is -1), or NULL. */
static json_t *find_event(json_t *list, const char *ph, const char *name, json_int_t tid)
{
    size_t i;
    json_t *e;

    json_array_foreach(list, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "ph")), ph) == 0 &&
            strcmp(json_string_value(json_object_get(e, "name")), name) == 0 &&
            (tid < 0 || json_integer_value(json_object_get(e, "tid")) == tid)) {
            return e;
        }
    }
    return NULL;
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    assert_true(json_is_number(v));
    return json_number_value(v);
}

/* Every event has the format's fields with their types. */
static void check_structure(json_t *list)
{
    size_t i;
    json_t *e;

    json_array_foreach(list, i, e)
    {
        const char *ph = json_string_value(json_object_get(e, "ph"));
        assert_non_null(ph);
        assert_true(strcmp(ph, "M") == 0 || strcmp(ph, "X") == 0 || strcmp(ph, "i") == 0);
        assert_true(json_is_integer(json_object_get(e, "pid")));
        assert_true(json_integer_value(json_object_get(e, "pid")) >= 1);
        assert_true(json_is_integer(json_object_get(e, "tid")));
        assert_true(json_is_string(json_object_get(e, "name")));
        assert_true(json_is_object(json_object_get(e, "args")));
        if (strcmp(ph, "M") != 0) {
            assert_true(num(e, "ts") >= 0);
        }
        if (strcmp(ph, "X") == 0) {
            assert_true(num(e, "dur") >= 0);
        }
        if (strcmp(ph, "i") == 0) {
            assert_string_equal(json_string_value(json_object_get(e, "s")), "t");
        }
    }
}

static void test_chrome_trace(void **state)
{
    struct fixture fx;
    char *text;
    json_error_t err;
    json_t *doc, *list, *e;

    (void)state;
    fixture_init(&fx);
    text = write_report(report_chrome_trace_write, &fx.r);
    doc = json_loads(text, 0, &err);
    assert_non_null(doc);
    list = json_object_get(doc, "traceEvents");
    assert_true(json_is_array(list));
    check_structure(list);
    /* A process per scenario, a track per thread, named. */
    e = find_event(list, "M", "process_name", 0);
    assert_non_null(e);
    assert_string_equal(json_string_value(json_object_get(json_object_get(e, "args"), "name")),
                        SCRIPTY ": failed");
    assert_non_null(find_event(list, "M", "thread_name", 100));
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(find_event(list, "M", "thread_name", 100), "args"), "name")),
        "host thread 100");
    assert_non_null(find_event(list, "M", "thread_name", 200));
    /* The call from its call to its return, then the wait; microseconds
     * since the first event. */
    e = find_event(list, "X", "SynchronizeInBackground", 100);
    assert_non_null(e);
    assert_true(num(e, "ts") == 4000 && num(e, "dur") == 1000);
    e = find_event(list, "X", "waiting for the done event", 100);
    assert_non_null(e);
    assert_true(num(e, "ts") == 5000 && num(e, "dur") == 1100);
    e = find_event(list, "X", "load", 0);
    assert_non_null(e);
    assert_true(num(e, "ts") == 100 && num(e, "dur") == 2900);
    /* Instants carry the report's fields; synchost's exit does not go back
     * in time. */
    e = find_event(list, "i", "Progress(1/2) -> S_OK", 200);
    assert_non_null(e);
    assert_string_equal(json_string_value(json_object_get(json_object_get(e, "args"), "kind")),
                        "progress");
    e = find_event(list, "i", "exit", 0);
    assert_non_null(e);
    assert_true(num(e, "ts") == 6100);
    /* The violation on the track of the event it points at. */
    e = find_event(list, "i", "violation: progress-text-valid", 200);
    assert_non_null(e);
    assert_true(num(e, "ts") == 5500);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(e, "args"), "event")), 7);
    assert_string_equal(
        json_string_value(json_object_get(
            json_object_get(find_event(list, "M", "process_labels", 0), "args"), "labels")),
        "dir/<x>.yaml");
    json_decref(doc);
    free(text);
    fixture_free(&fx);
}

/* A flood in the second scenario: its own process, its four threads named
 * once each, the count of dropped events in its labels. */
static void test_chrome_trace_flood(void **state)
{
    struct fixture fx;
    char *text;
    json_t *doc, *list, *e;
    size_t i, threads = 0;
    const char *labels = NULL;

    (void)state;
    fixture_init(&fx);
    for (uint32_t k = 0; k < 10000; k++) {
        add(&fx.res[1].trace, k, 100u * k, 300 + k % 4, EVENT_PROGRESS, "step");
    }
    text = write_report(report_chrome_trace_write, &fx.r);
    doc = json_loads(text, 0, NULL);
    assert_non_null(doc);
    list = json_object_get(doc, "traceEvents");
    check_structure(list);
    json_array_foreach(list, i, e)
    {
        if (json_integer_value(json_object_get(e, "pid")) != 2) {
            continue;
        }
        if (strcmp(json_string_value(json_object_get(e, "name")), "thread_name") == 0) {
            threads++;
        }
        if (strcmp(json_string_value(json_object_get(e, "name")), "process_labels") == 0) {
            labels = json_string_value(json_object_get(json_object_get(e, "args"), "labels"));
        }
    }
    assert_int_equal(threads, 1 + 4); /* synchost's track and the four */
    assert_non_null(labels);
    assert_string_equal(labels, "y.yaml; 7000 events of a flood dropped");
    json_decref(doc);
    free(text);
    fixture_free(&fx);
}

#include "test_report_html.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
