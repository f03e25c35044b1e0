/*
 * test_recorder.c: the recorder stamps events in order, its lines parse back,
 * and concurrent emitters never interleave or lose a line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <windows.h>

#include "capture.h"
#include "recorder.h"
#include "protocol/wire.h"

#define THREADS 8
#define PER_THREAD 5000

static int setup(void **state)
{
    (void)state;
    capture_start();
    return 0;
}

static void test_seq_and_fields(void **state)
{
    struct event ev = {0};
    const struct event *got;
    uint64_t last_t = 0;

    (void)state;
    ev.kind = EVENT_CALL;
    ev.flags = 0x81;
    assert_int_equal(recorder_emit(&ev), 0);
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_PROGRESS;
    ev.index = 2;
    ev.index_max = 5;
    ev.hr = 0x80040113u;
    ev.text_state = TEXT_OK;
    ev.text = "Syncing inbox";
    assert_int_equal(recorder_emit(&ev), 1);
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_DONE;
    ev.handle = 0x1234;
    assert_int_equal(recorder_emit(&ev), 2);

    assert_int_equal(recorder_count(), 3);
    assert_int_equal(capture_count(), 3);
    for (size_t i = 0; i < 3; i++) {
        got = capture_at(i);
        assert_non_null(got);
        assert_int_equal(got->seq, i);
        assert_int_equal(got->thread, GetCurrentThreadId());
        assert_true(got->t_us >= last_t);
        last_t = got->t_us;
    }
    got = capture_at(0);
    assert_int_equal(got->kind, EVENT_CALL);
    assert_int_equal(got->flags, 0x81);
    got = capture_at(1);
    assert_int_equal(got->kind, EVENT_PROGRESS);
    assert_int_equal(got->index, 2);
    assert_int_equal(got->index_max, 5);
    assert_int_equal(got->hr, 0x80040113u);
    assert_int_equal(got->text_state, TEXT_OK);
    assert_string_equal(got->text, "Syncing inbox");
    got = capture_at(2);
    assert_int_equal(got->kind, EVENT_DONE);
    assert_int_equal(got->handle, 0x1234);
    assert_null(got->text);
}

static void test_text_round_trip(void **state)
{
    static const char text[] = "100% = done \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\ttab";
    struct event ev = {0};
    const struct event *got;

    (void)state;
    ev.kind = EVENT_ERROR;
    ev.text_state = TEXT_OK;
    ev.text = text;
    recorder_emit(&ev);
    got = capture_at(0);
    assert_non_null(got);
    assert_string_equal(got->text, text);
}

static void test_init_resets_sequence(void **state)
{
    struct event ev = {0};

    (void)state;
    ev.kind = EVENT_END;
    recorder_emit(&ev);
    recorder_emit(&ev);
    assert_int_equal(recorder_count(), 2);
    capture_start();
    assert_int_equal(recorder_count(), 0);
    assert_int_equal(recorder_emit(&ev), 0);
    assert_int_equal(capture_at(0)->seq, 0);
}

static void test_now_is_monotonic(void **state)
{
    uint64_t a, b;

    (void)state;
    a = recorder_now_us();
    Sleep(2);
    b = recorder_now_us();
    assert_true(b > a);
}

struct emitter {
    HANDLE go;
    uint32_t number;
    DWORD tid;
};

/* Each thread numbers its own events in index_max and says who it is in
 * index and in the text, so a lost, duplicated or torn line shows. */
static DWORD WINAPI emitter_main(void *arg)
{
    struct emitter *e = arg;
    char text[64];

    WaitForSingleObject(e->go, INFINITE);
    for (uint32_t i = 0; i < PER_THREAD; i++) {
        struct event ev = {0};
        snprintf(text, sizeof text, "thread %u event %u", (unsigned)e->number, (unsigned)i);
        ev.kind = EVENT_PROGRESS;
        ev.index = e->number;
        ev.index_max = i;
        ev.text_state = TEXT_OK;
        ev.text = text;
        recorder_emit(&ev);
    }
    return 0;
}

static void test_concurrent_emitters(void **state)
{
    struct emitter em[THREADS];
    HANDLE threads[THREADS];
    uint32_t next[THREADS] = {0};
    HANDLE go = CreateEventW(NULL, TRUE, FALSE, NULL);
    size_t len, lines = 0;
    const char *raw;
    char expect[64];

    (void)state;
    assert_non_null(go);
    for (uint32_t t = 0; t < THREADS; t++) {
        em[t].go = go;
        em[t].number = t;
        threads[t] = CreateThread(NULL, 0, emitter_main, &em[t], 0, &em[t].tid);
        assert_non_null(threads[t]);
    }
    SetEvent(go);
    assert_int_equal(WaitForMultipleObjects(THREADS, threads, TRUE, 30000), WAIT_OBJECT_0);
    for (uint32_t t = 0; t < THREADS; t++) {
        CloseHandle(threads[t]);
    }
    CloseHandle(go);

    assert_int_equal(recorder_count(), THREADS * PER_THREAD);
    assert_int_equal(capture_count(), THREADS * PER_THREAD);
    /* The raw stream, split at newlines, must give exactly the events. */
    raw = capture_raw(&len);
    for (size_t i = 0; i < len; i++) {
        lines += raw[i] == '\n';
    }
    assert_int_equal(lines, THREADS * PER_THREAD);
    assert_int_equal(raw[len - 1], '\n');

    for (size_t i = 0; i < THREADS * PER_THREAD; i++) {
        const struct event *ev = capture_at(i);
        uint32_t t;

        assert_non_null(ev);
        assert_int_equal(ev->seq, i); /* gap-free and in stream order */
        t = ev->index;
        assert_true(t < THREADS);
        assert_int_equal(ev->thread, em[t].tid);
        assert_int_equal(ev->index_max, next[t]); /* each thread's events in its order */
        snprintf(expect, sizeof expect, "thread %u event %u", (unsigned)t, (unsigned)next[t]);
        assert_string_equal(ev->text, expect);
        next[t]++;
    }
    for (uint32_t t = 0; t < THREADS; t++) {
        assert_int_equal(next[t], PER_THREAD);
    }
}

#include "test_recorder.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
