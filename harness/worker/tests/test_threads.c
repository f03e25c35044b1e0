/*
 * test_threads.c: the worker's list of threads (threads.c) under Wine. A
 * thread created before a mark but first run after it is numbered after
 * it: one of the provider's is counted then, one of the host's never (the
 * host's own threads, started as the worker starts, could otherwise be
 * taken for a provider thread still running at shutdown). A thread that
 * ends is waited for and not counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <windows.h>

#include "threads.h"

struct gate {
    HANDLE started;
    HANDLE stop;
};

static DWORD WINAPI parked(void *arg)
{
    struct gate *g = arg;

    SetEvent(g->started);
    WaitForSingleObject(g->stop, INFINITE);
    return 0;
}

/* A thread created suspended (so not yet seen by the loader), marked the
 * host's or not, then let run after the mark is taken. Returns how many
 * threads started since the mark run while it is parked. */
static size_t counted_after_late_start(int host, DWORD *id)
{
    struct gate g = {CreateEventW(NULL, TRUE, FALSE, NULL), CreateEventW(NULL, TRUE, FALSE, NULL)};
    HANDLE t = CreateThread(NULL, 64 * 1024, parked, &g, CREATE_SUSPENDED, NULL);
    DWORD ids[8];
    unsigned long mark;
    size_t n;

    assert_non_null(t);
    *id = GetThreadId(t);
    if (host) {
        threads_host(*id);
    }
    mark = threads_mark();
    ResumeThread(t);
    assert_int_equal(WaitForSingleObject(g.started, 10000), WAIT_OBJECT_0);
    n = threads_running_since(mark, ids, 8);
    if (n > 0) {
        assert_int_equal(ids[0], *id);
    }
    SetEvent(g.stop);
    assert_int_equal(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    CloseHandle(g.started);
    CloseHandle(g.stop);
    return n;
}

static void provider_thread_started_late_is_counted(void **state)
{
    DWORD id;

    (void)state;
    assert_int_equal(counted_after_late_start(0, &id), 1);
}

static void host_thread_started_late_is_not(void **state)
{
    DWORD id;

    (void)state;
    assert_int_equal(counted_after_late_start(1, &id), 0);
}

/* A short thread: sleeps, then says it is done, its last action. */
struct brief {
    DWORD ms;
    volatile LONG done;
};

static DWORD WINAPI brief(void *arg)
{
    struct brief *b = arg;

    Sleep(b->ms);
    InterlockedExchange(&b->done, 1);
    return 0;
}

/* Starts a brief thread, says so as the hook of CreateThread does, and
 * waits for the threads started since the mark: 1 when it ran to its end
 * (its handle may be signaled a little later: a thread has ended for the
 * host once the loader said so, before the system marks it so). */
static int waited_until_done(DWORD ms)
{
    struct brief b = {ms, 0};
    unsigned long mark = threads_mark();
    HANDLE t = CreateThread(NULL, 64 * 1024, brief, &b, 0, NULL);
    int done;

    assert_non_null(t);
    threads_starting(GetThreadId(t));
    assert_int_equal(threads_wait_since(mark, 60000, NULL, 0), 0);
    done = InterlockedCompareExchange(&b.done, 0, 0) == 1;
    assert_int_equal(WaitForSingleObject(t, 60000), WAIT_OBJECT_0);
    CloseHandle(t);
    return done;
}

static void ended_thread_is_waited_for(void **state)
{
    (void)state;
    assert_true(waited_until_done(100));
}

/* Many short threads, some ending before their creator says they are
 * starting (Wine hands a thread id that ended to the next thread at once):
 * each in turn is waited for until it ran to its end. */
static void short_threads_are_waited_for(void **state)
{
    unsigned missed = 0;

    (void)state;
    for (int i = 0; i < 200; i++) {
        missed += !waited_until_done(i % 2);
    }
    assert_int_equal(missed, 0);
}

static void running_thread_is_described(void **state)
{
    struct gate g = {CreateEventW(NULL, TRUE, FALSE, NULL), CreateEventW(NULL, TRUE, FALSE, NULL)};
    unsigned long mark = threads_mark();
    HANDLE t = CreateThread(NULL, 64 * 1024, parked, &g, 0, NULL);
    char first[128], want[32];

    (void)state;
    assert_non_null(t);
    threads_starting(GetThreadId(t));
    assert_int_equal(threads_wait_since(mark, 50, first, sizeof first), 1);
    snprintf(want, sizeof want, "thread %lu", (unsigned long)GetThreadId(t));
    assert_memory_equal(first, want, strlen(want));
    SetEvent(g.stop);
    WaitForSingleObject(t, 10000);
    CloseHandle(t);
    CloseHandle(g.started);
    CloseHandle(g.stop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(provider_thread_started_late_is_counted),
        cmocka_unit_test(host_thread_started_late_is_not),
        cmocka_unit_test(ended_thread_is_waited_for),
        cmocka_unit_test(short_threads_are_waited_for),
        cmocka_unit_test(running_thread_is_described),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
