/*
 * test_recorder_crash.c: a crash report is not held up by a crashed thread
 * that holds the recorder's lock, and the reader still trusts it.
 *
 * A thread is frozen inside the sink (as a thread that crashed while
 * recording would be) with the lock held and its line's number
 * already taken. recorder_take_for_crash must return at once without the
 * lock, and the report's lines must continue the stream the reader saw:
 * numbered on from the last line sent. A separate
 * program: the recorder stays taken for good.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <windows.h>

#include "recorder.h"
#include "protocol/wire.h"
#include "wire_read.h"

#define LINES_MAX 16

static char lines[LINES_MAX][WIRE_LINE_MAX + 1];
static size_t line_count;
static volatile DWORD frozen_tid;
static HANDLE frozen;

static void sink(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    if (GetCurrentThreadId() == frozen_tid) {
        SetEvent(frozen);
        Sleep(INFINITE); /* never writes its line */
    }
    if (line_count < LINES_MAX && len < sizeof lines[0]) {
        memcpy(lines[line_count], line, len);
        lines[line_count][len] = '\0';
        line_count++;
    }
}

static DWORD WINAPI freezer(void *arg)
{
    struct event ev = {0};

    (void)arg;
    frozen_tid = GetCurrentThreadId();
    ev.kind = EVENT_PROGRESS;
    ev.text = "the line that is never sent";
    recorder_emit(&ev);
    return 0;
}

/* Checks every captured line: each an event, numbered without a gap. */
static void check_stream(void)
{
    char text[EVENT_TEXT_MAX + 1];

    for (size_t i = 0; i < line_count; i++) {
        struct event ev;
        size_t len = strlen(lines[i]) - 1; /* without the newline */

        assert_int_equal(wire_read(lines[i], len, &ev, text, sizeof text), 0);
        assert_int_equal(ev.seq, i);
    }
}

static void test_report_goes_on_without_the_crashed_owner(void **state)
{
    struct event ev = {0};
    ULONGLONG t0;
    HANDLE t;

    (void)state;
    frozen = CreateEventW(NULL, TRUE, FALSE, NULL);
    recorder_init(sink, NULL);

    ev.kind = EVENT_HELLO;
    recorder_emit(&ev);
    ev = (struct event){0};
    ev.kind = EVENT_CALL;
    recorder_emit(&ev);

    t = CreateThread(NULL, 0, freezer, NULL, 0, NULL);
    assert_non_null(t);
    assert_int_equal(WaitForSingleObject(frozen, 5000), WAIT_OBJECT_0);

    t0 = GetTickCount64();
    assert_int_equal(recorder_take_for_crash(frozen_tid, 10000), 0); /* not locked */
    assert_true(GetTickCount64() - t0 < 2000); /* the owner is not waited for */

    ev = (struct event){0};
    ev.kind = EVENT_CRASH;
    ev.thread = frozen_tid;
    ev.hr = 0xC00000FDu;
    assert_int_equal(recorder_emit_final(&ev), 2); /* on from the last line sent */
    ev = (struct event){0};
    ev.kind = EVENT_FRAME;
    ev.thread = frozen_tid;
    ev.text = "x.dll+0x10";
    assert_int_equal(recorder_emit_final(&ev), 3);

    assert_int_equal(line_count, 4);
    check_stream();
}

/* An owner that is not the crashed thread is waited for, but not forever. */
static void test_live_owner_is_waited_for_a_bound(void **state)
{
    (void)state;
    /* The first test froze the recorder for good: this one cannot run in
     * the same process, so it only checks the bounded wait on a live owner
     * that is not the crashed thread. */
    ULONGLONG t0 = GetTickCount64();
    assert_int_equal(recorder_take_for_crash(12345, 200), 0);
    assert_true(GetTickCount64() - t0 >= 150);
}

#include "test_recorder_crash.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
