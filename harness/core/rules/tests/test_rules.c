/*
 * test_rules.c: the judge on hand-made event sequences. Each enforced rule
 * fires on the sequence that breaks it and stays quiet on a correct sync.
 * The rules on arguments, flags, COM, the done event's order and leaks are
 * in test_rules_more.c; those on the callback's calls (Done's thread and
 * handle, Progress and Error texts, references, cancel) in
 * test_rules_callback.c.
 */
#include "judge_fixture.h"

static void test_correct_sync_is_clean(void **state)
{
    (void)state;
    good_start();
    feed(EVENT_PROGRESS, 0, 1, 2, 0, 0);
    feed(EVENT_PROGRESS, 0, 2, 2, 0, 0);
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed(EVENT_EVENT_SIGNALED, 0, 0, 0, 0x44, 0);
    good_end();
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, "exit status 0"), STATUS_PASSED);
    assert_int_equal(j.violation_count, 0);
}

static void test_load_failure_names_its_step(void **state)
{
    struct event ev;

    (void)state;
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_LOAD;
    ev.step = LOAD_STEP_LOGON;
    ev.hr = 0x80040111; /* MAPI_E_LOGON_FAILED */
    ev.seq = 3;
    ev.text = "IMSProvider::Logon failed";
    assert_int_equal(judge_event(&j, &ev), 1);
    assert_violation("load-logon", 3);
    assert_non_null(strstr(j.violations[0].message, "0x80040111"));
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, "exit status 1"), STATUS_FAILED);
}

/* A long detail (what the provider looked for and did not find) is cut so
 * that the HRESULT after it stays whole. */
static void test_load_failure_long_detail_keeps_the_hresult(void **state)
{
    static char text[2000];
    struct event ev;
    const char *msg;
    size_t n;

    (void)state;
    memset(text, 'x', sizeof text - 1);
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_LOAD;
    ev.step = LOAD_STEP_ENTRY_POINT;
    ev.hr = 0x8007000E; /* E_OUTOFMEMORY */
    ev.seq = 3;
    ev.text = text;
    assert_int_equal(judge_event(&j, &ev), 1);
    assert_violation("load-entry-point", 3);
    msg = j.violations[0].message;
    n = strlen(msg);
    assert_true(n < sizeof j.violations[0].message);
    assert_true(n > 400); /* as much of the detail as fits */
    assert_string_equal(msg + n - strlen("... [E_OUTOFMEMORY (0x8007000E)]"),
                        "... [E_OUTOFMEMORY (0x8007000E)]");
}

static void test_failure_return(void **state)
{
    (void)state;
    call_and_return(0x80004005, 0, 0);
    assert_good_end(STATUS_FAILED);
    assert_violation("sib-returns-s-ok", 1);
    assert_int_equal(j.violation_count, 1); /* no done-called-once for a failed call */
}

static void test_expect_returns_replaces_the_rule(void **state)
{
    (void)state;
    sc.has_expect_returns = 1;
    sc.expect_returns = 0x80070057; /* E_INVALIDARG */
    call_and_return(0, 0x44, 1);
    assert_violation("expect.returns", 1);
    for (size_t i = 0; i < j.violation_count; i++) {
        assert_string_not_equal(j.violations[i].rule, "sib-returns-s-ok");
    }
}

static void test_null_and_unwaitable_done_event(void **state)
{
    (void)state;
    feed(EVENT_RETURN, 0, 0, 0, 0, 0);
    assert_violation("sib-writes-done-event", 0);
    assert_non_null(strstr(j.violations[0].message, "NULL"));
    fresh();
    feed(EVENT_RETURN, 0, 0, 0, 0x1234, 0);
    assert_violation("sib-writes-done-event", 0);
    assert_non_null(strstr(j.violations[0].message, "not a waitable handle"));
}

/* Arguments invalid on purpose: a refusal is no sib-returns-s-ok, a NULL
 * phSyncDoneEvent no sib-writes-done-event, and without the host's callback
 * Done cannot be missing. Valid arguments, a larger size included, keep the
 * rules. */
static void test_invalid_arguments_on_purpose(void **state)
{
    (void)state;
    sc.psib = SCENARIO_POINTER_NULL;
    call_and_return(0x80070057, 0, 0);
    assert_good_end(STATUS_PASSED);
    assert_int_equal(j.violation_count, 0);

    for (int variant = 0; variant < 4; variant++) {
        fresh();
        sc.sib_size = variant == 0 ? 16 : SCENARIO_SIB_SIZE;
        sc.session = variant == 1 ? SCENARIO_SESSION_NULL : SCENARIO_SESSION_FAKE;
        sc.callback = variant == 2 ? SCENARIO_CALLBACK_UNKNOWN_ONLY : SCENARIO_CALLBACK_FAKE;
        sc.done_event_ptr = variant == 3 ? SCENARIO_POINTER_NULL : SCENARIO_POINTER_VALID;
        call_and_return(0x80070057, 0, 0);
        assert_good_end(STATUS_PASSED);
    }

    /* S_OK with a NULL phSyncDoneEvent: accepting it is the violation;
     * nowhere to write the event is not another. */
    fresh();
    sc.done_event_ptr = SCENARIO_POINTER_NULL;
    call_and_return(0, 0, 0);
    assert_int_equal(j.violation_count, 1);
    assert_violation("sib-null-args", 1);

    /* No callback: the event signaled and no Done is a correct sync. */
    fresh();
    sc.callback = SCENARIO_CALLBACK_NULL;
    good_start();
    feed(EVENT_EVENT_SIGNALED, 0, 0, 0, 0x44, 0);
    assert_good_end(STATUS_PASSED);

    /* A larger MAPISIB is valid: a failure is still a violation. */
    fresh();
    sc.sib_size = 64;
    call_and_return(0x80004005, 0, 0);
    assert_good_end(STATUS_FAILED);
    assert_violation("sib-returns-s-ok", 1);
}

static void test_event_timeout(void **state)
{
    (void)state;
    good_start();
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed(EVENT_EVENT_TIMEOUT, 0, 0, 0, 0x44, 1500);
    assert_good_end(STATUS_TIMED_OUT);
    assert_violation("event-signaled", seq - 3);
    assert_int_equal(j.violation_count, 1);
}

static void test_done_twice_counts_repeats(void **state)
{
    (void)state;
    good_start();
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed(EVENT_EVENT_SIGNALED, 0, 0, 0, 0x44, 0);
    assert_good_end(STATUS_FAILED);
    assert_violation("done-called-once", 9);
    assert_int_equal(j.violations[0].repeats, 1);
}

static void test_done_never(void **state)
{
    (void)state;
    good_start();
    feed(EVENT_PROGRESS, 0, 1, 1, 0, 0);
    feed(EVENT_EVENT_SIGNALED, 0, 0, 0, 0x44, 0);
    assert_good_end(STATUS_FAILED);
    assert_violation("done-called-once", 9);
}

static void test_progress_after_done_and_overshoot(void **state)
{
    (void)state;
    good_start();
    feed(EVENT_PROGRESS, 0, 6, 5, 0, 0);
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed(EVENT_ERROR, 0x80004005, 0, 0, 0, 0);
    feed(EVENT_EVENT_SIGNALED, 0, 0, 0, 0x44, 0);
    assert_violation("progress-index-bounded", 8);
    assert_violation("done-last", 10);
}

static void test_crash_and_exit(void **state)
{
    struct event ev;

    (void)state;
    good_start();
    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.kind = EVENT_CRASH;
    ev.hr = 0xC0000005;
    ev.handle = 0x180001234;
    ev.text = "defect.dll+0x1234";
    assert_int_equal(judge_event(&j, &ev), 1);
    assert_int_equal(judge_finish(&j, WORKER_DIED, "exit status 5"), STATUS_CRASHED);
    assert_violation("no-crash", 8);
    assert_non_null(strstr(j.violations[0].message, "access violation (0xC0000005) at defect.dll"));
    fresh();
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_CRASH;
    ev.hr = 0x40000015; /* abort(): no address */
    ev.thread = 7;
    judge_event(&j, &ev);
    assert_string_equal(j.violations[0].message, "abort() (0x40000015) on thread 7");
    fresh();
    good_start();
    assert_int_equal(judge_finish(&j, WORKER_DIED, "exit status 3"), STATUS_CRASHED);
    assert_violation("no-exit", -1);
    judge_free(&j);
    /* The supervisor's `exit` event, judged like any other, says how. */
    setup(NULL);
    good_start();
    memset(&ev, 0, sizeof ev);
    ev.seq = 30;
    ev.kind = EVENT_EXIT;
    ev.value = 7;
    ev.text = "exit status 7";
    assert_int_equal(judge_event(&j, &ev), 0);
    assert_int_equal(judge_finish(&j, WORKER_DIED, NULL), STATUS_CRASHED);
    assert_violation("no-exit", 30);
    assert_non_null(strstr(j.violations[0].message, "(exit status 7)"));
}

/* 999 ms is within 1000. No time credited: the bound is said alone (not
 * "1000 ms0"). */
static void test_slow_return(void **state)
{
    (void)state;
    assert_return_late((struct event){.t_us = 5000 + 999000},
                       (struct event){.t_us = 5000 + 1001000}, "1001 ms", "(bound 1000 ms):");
}

/* The call's own duration, measured around it (index_max, in us), is what
 * is judged: the `return` record may come much later. */
static void test_return_timed_by_the_call(void **state)
{
    (void)state;
    /* Both recorded 1100 ms after the call, after the host's own work. */
    assert_return_late((struct event){.t_us = 5000 + 1100000, .index_max = 950000},
                       (struct event){.t_us = 5000 + 1100000, .index_max = 1050400},
                       "took 1050 ms to return (bound 1000 ms):", NULL);
}

static void test_deadline_kill(void **state)
{
    (void)state;
    feed(EVENT_CALL, 0, 0, 0, 0, 0);
    assert_int_equal(judge_finish(&j, WORKER_KILLED, "killed by signal 9"), STATUS_TIMED_OUT);
    assert_violation("sib-returns-promptly", 0);
    fresh();
    good_start();
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed(EVENT_EVENT_SIGNALED, 0, 0, 0, 0x44, 0);
    assert_int_equal(judge_finish(&j, WORKER_KILLED, "killed by signal 9"), STATUS_TIMED_OUT);
    assert_violation("no-hang", 9);
    assert_non_null(strstr(j.violations[0].message, "event_signaled"));
}

static void phase(enum host_phase ph)
{
    feed_event((struct event){.kind = EVENT_PHASE, .step = ph});
}

/* A kill names the phase that overran and its own bound. */
static void test_deadline_per_phase(void **state)
{
    (void)state;
    sc.load_timeout_ms = 10000;
    sc.shutdown_timeout_ms = 5000;
    phase(PHASE_LOAD);
    assert_int_equal(judge_finish(&j, WORKER_KILLED, "killed by signal 9"), STATUS_TIMED_OUT);
    assert_violation("no-hang", 0);
    assert_non_null(strstr(j.violations[0].message, "the load chain"));
    assert_non_null(strstr(j.violations[0].message, "10000 ms (load_timeout_ms)"));

    fresh();
    sc.shutdown_timeout_ms = 5000;
    good_start();
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed(EVENT_EVENT_SIGNALED, 0, 0, 0, 0x44, 0);
    phase(PHASE_SHUTDOWN);
    assert_int_equal(judge_finish(&j, WORKER_KILLED, "killed by signal 9"), STATUS_TIMED_OUT);
    assert_non_null(strstr(j.violations[0].message, "the shutdown (Logoff"));
    assert_non_null(strstr(j.violations[0].message, "5000 ms (shutdown_timeout_ms)"));
}

/* A crash after the sync is attributed to the phase it happened in. */
static void test_crash_during_unload(void **state)
{
    struct event ev;

    (void)state;
    good_start();
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed(EVENT_EVENT_SIGNALED, 0, 0, 0, 0x44, 0);
    phase(PHASE_SHUTDOWN);
    phase(PHASE_UNLOAD);
    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.kind = EVENT_CRASH;
    ev.hr = 0xC0000005;
    ev.thread = 3;
    judge_event(&j, &ev);
    assert_int_equal(judge_finish(&j, WORKER_DIED, "exit status 5"), STATUS_CRASHED);
    assert_violation("no-crash", 12);
    assert_non_null(strstr(j.violations[0].message, "during the unload"));
}

/* callback-refcount judges the balance of a sync that ended, not one the
 * deadline cut off. */
static void test_refcount_only_after_the_end(void **state)
{
    (void)state;
    good_start();
    {
        struct event ev;
        memset(&ev, 0, sizeof ev);
        ev.seq = seq++;
        ev.kind = EVENT_ADDREF;
        ev.step = HOST_OBJECT_CALLBACK;
        ev.value = 2;
        judge_event(&j, &ev);
    }
    feed(EVENT_EVENT_TIMEOUT, 0, 0, 0, 0x44, 5000);
    feed(EVENT_SETTLED, 0, 0, 0, 0x44, 1);
    assert_int_equal(j.violation_count, 1);
    assert_string_equal(j.violations[0].rule, "event-signaled");
}

/* After the stream broke, host-integrity is the verdict and the ending
 * proves nothing else. */
static void test_integrity(void **state)
{
    struct event ev;

    (void)state;
    good_start();
    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.kind = EVENT_INTEGRITY;
    ev.text = "a line does not carry the host's seal";
    assert_int_equal(judge_event(&j, &ev), 1);
    assert_int_equal(judge_finish(&j, WORKER_DIED, "exit status 0"), STATUS_FAILED);
    assert_int_equal(j.violation_count, 1);
    assert_violation("host-integrity", 8);
    assert_string_equal(j.violations[0].level == RULE_REQUIRED ? "required" : "other", "required");
}

/* A close of a host handle the worker refused: host-integrity, and the
 * stream is still believed, so the ending is judged too (here the process
 * ended on its own: no-exit, and the status of a process that died). */
static void test_integrity_refused(void **state)
{
    (void)state;
    good_start();
    assert_int_equal(feed(EVENT_INTEGRITY, 0, 0, 0, 0, 1), 1);
    assert_int_equal(judge_finish(&j, WORKER_DIED, "exit status 0"), STATUS_CRASHED);
    assert_int_equal(j.st->integrity_seq, -1);
    assert_violation("host-integrity", 8);
    assert_violation("no-exit", -1);
}

static void test_level_and_skips(void **state)
{
    static const char *const skip[] = {"progress-index-bounded"};

    (void)state;
    rejudge(RULE_REQUIRED, skip, 1);
    qi_callback();
    feed(EVENT_PROGRESS, 0, 6, 5, 0, 0);
    assert_int_equal(j.violation_count, 0);
    assert_true(judge_applies(&j, "done-last"));
    assert_false(judge_applies(&j, "progress-index-bounded"));
    assert_false(judge_applies(&j, "progress-completes")); /* pedantic */
    assert_false(judge_applies(&j, "no-such-rule"));
}

#include "test_rules.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
