/* test_trace.c: the bounded trace keeps head, tail and pinned events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "trace/trace.h"

struct seen {
    uint32_t seqs[TRACE_HEAD + TRACE_TAIL + 16];
    size_t n;
    int texts_ok;
};

static void collect(void *ctx, const struct event *ev)
{
    struct seen *s = ctx;
    char want[32];

    snprintf(want, sizeof want, "e%u", (unsigned)ev->seq);
    if (ev->text == NULL || strcmp(ev->text, want) != 0) {
        s->texts_ok = 0;
    }
    s->seqs[s->n++] = ev->seq;
}

static void append(struct trace *t, uint32_t seq)
{
    char text[32];
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.seq = seq;
    ev.kind = EVENT_PROGRESS;
    snprintf(text, sizeof text, "e%u", (unsigned)seq);
    ev.text = text;
    assert_int_equal(trace_append(t, &ev), 0);
}

static void test_small_trace_keeps_everything(void **state)
{
    struct trace t;
    struct seen s = {.texts_ok = 1};

    (void)state;
    trace_init(&t);
    for (uint32_t i = 0; i < 10; i++) {
        append(&t, i);
    }
    assert_int_equal(trace_visit(&t, collect, &s), 0);
    assert_int_equal(s.n, 10);
    assert_true(s.texts_ok);
    trace_free(&t);
}

static void test_flood_keeps_head_tail_and_pins(void **state)
{
    struct trace t;
    struct seen s = {.texts_ok = 1};
    const uint32_t total = 100000;
    const uint32_t pinned = 50000;

    (void)state;
    trace_init(&t);
    for (uint32_t i = 0; i < total; i++) {
        append(&t, i);
        if (i == pinned) {
            trace_pin_last(&t);
        }
    }
    assert_int_equal(trace_visit(&t, collect, &s), total - TRACE_HEAD - TRACE_TAIL - 1);
    assert_int_equal(s.n, TRACE_HEAD + TRACE_TAIL + 1);
    assert_true(s.texts_ok);
    assert_int_equal(s.seqs[0], 0);
    assert_int_equal(s.seqs[TRACE_HEAD - 1], TRACE_HEAD - 1);
    assert_int_equal(s.seqs[TRACE_HEAD], pinned);
    assert_int_equal(s.seqs[s.n - 1], total - 1);
    for (size_t i = 1; i < s.n; i++) {
        assert_true(s.seqs[i] > s.seqs[i - 1]);
    }
    trace_free(&t);
}

#include "test_trace.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
