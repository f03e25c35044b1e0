/*
 * test_rules_more.c: the judge on hand-made event sequences, for the rules
 * on COM, failed calls, the done event's order, progress completion, flags,
 * arguments, leaks and fast shutdown, and the catalogue itself (rules.def).
 */
#include <stdbool.h>

#include "judge_fixture.h"

#include "rules/unit.h"

/* A provider_qi event: which object (step), which IID (index). */
static void provider_qi(enum provider_object which, enum iid_kind kind, uint32_t hr, uint64_t ppv)
{
    feed_event((struct event){
        .kind = EVENT_PROVIDER_QI, .step = which, .index = kind, .hr = hr, .handle = ppv});
}

static void pedantic(void)
{
    j.opts.level = RULE_PEDANTIC;
}

static void test_com_qi_rules(void **state)
{
    (void)state;
    provider_qi(PROVIDER_OBJECT_STORE, IID_KIND_OTHER, 0x80004002, 0);
    provider_qi(PROVIDER_OBJECT_STORE, IID_KIND_IUNKNOWN, 0, 0x1000);
    provider_qi(PROVIDER_OBJECT_IMAPISYNC, IID_KIND_OTHER, 0x80004002, 0);
    provider_qi(PROVIDER_OBJECT_IMAPISYNC, IID_KIND_IUNKNOWN, 0, 0x1000);
    assert_int_equal(j.violation_count, 0);
    provider_qi(PROVIDER_OBJECT_IMAPISYNC, IID_KIND_IUNKNOWN, 0, 0x1008); /* another identity */
    assert_violation("com-qi-rules", 4);
    assert_non_null(strstr(j.violations[0].message, "0x1000"));
    assert_non_null(strstr(j.violations[0].message, "0x1008"));

    fresh();
    provider_qi(PROVIDER_OBJECT_STORE, IID_KIND_OTHER, 0x80004002, 0x5e5e5e50); /* *ppv left */
    assert_violation("com-qi-rules", 0);
    assert_non_null(strstr(j.violations[0].message, "0x5e5e5e50"));
}

static void test_failure_quiet(void **state)
{
    (void)state;
    call_and_return(0x80004005, 0, 0);
    assert_int_equal(j.violation_count, 1); /* sib-returns-s-ok */
    qi_callback();
    feed(EVENT_PROGRESS, 0, 1, 5, 0, 0);
    assert_violation("sib-failure-quiet", 3);
    assert_non_null(strstr(j.violations[1].message, "E_FAIL"));

    /* A callback while the call ran, then a failure: seen at the return. */
    fresh();
    sc.done_event_ptr = SCENARIO_POINTER_NULL;
    feed(EVENT_CALL, 0, 0, 0, 0, 0);
    qi_callback();
    feed(EVENT_PROGRESS, 0, 1, 5, 0, 0);
    feed(EVENT_RETURN, 0x80070057, 0, 0, 0, 0);
    assert_int_equal(j.violation_count, 1);
    assert_violation("sib-failure-quiet", 3);
}

static void test_done_before_event(void **state)
{
    (void)state;
    good_start();
    feed(EVENT_DONE, 0, 0, 0, 0x44, DONE_EVENT_UNSIGNALED);
    feed(EVENT_EVENT_SIGNALED, 0, 0, 0, 0x44, 0);
    assert_int_equal(j.violation_count, 0);

    fresh();
    good_start();
    feed(EVENT_DONE, 0, 0, 0, 0x44, DONE_EVENT_SIGNALED); /* signaled as Done began */
    assert_violation("done-before-event", seq - 1);

    fresh();
    good_start();
    feed(EVENT_EVENT_SIGNALED, 0, 0, 0, 0x44, 0); /* the host saw it first */
    feed(EVENT_DONE, 0, 0, 0, 0x44, DONE_EVENT_UNKNOWN);
    assert_violation("done-before-event", seq - 1);
    assert_int_equal(j.violation_count, 1);
}

/* A new judge (pedantic or not) on a sync whose Progress stopped at 4 of 5
 * before Done returned done_hr. */
static void stops_short(bool at_pedantic, uint32_t done_hr)
{
    fresh();
    if (at_pedantic) {
        pedantic();
    }
    good_start();
    feed(EVENT_PROGRESS, 0, 4, 5, 0, 0);
    feed(EVENT_DONE, done_hr, 0, 0, 0x44, 0);
}

static void test_progress_completes(void **state)
{
    (void)state;
    stops_short(true, 0x80040113); /* a failed sync is not judged */
    assert_int_equal(j.violation_count, 0);

    stops_short(true, 0);
    assert_violation("progress-completes", seq - 1);
    assert_non_null(strstr(j.violations[0].message, "4 of ulIndexMax 5"));

    /* Not applied below pedantic. */
    stops_short(false, 0);
    assert_int_equal(j.violation_count, 0);
}

/* A bar pushed past its end did reach it: the overshoot is
 * progress-index-bounded's alone, not also "never reached the end". */
static void test_progress_overshoot_not_incomplete(void **state)
{
    (void)state;
    pedantic();
    good_start();
    feed(EVENT_PROGRESS, 0, 6, 5, 0, 0);
    int64_t overshoot = seq - 1;
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    assert_int_equal(j.violation_count, 1);
    assert_violation("progress-index-bounded", overshoot);
}

/* A Logoff the host makes during the sync (host.logoff_after_ms) that never
 * returns hangs the host: no-hang, not an unsignaled done event. */
static void test_logoff_mid_sync_hang(void **state)
{
    struct event ev;

    (void)state;
    for (int logoff = 1; logoff >= 0; logoff--) {
        fresh();
        sc.has_logoff_after = logoff;
        sc.logoff_after_ms = logoff ? 10 : 0;
        good_start();
        memset(&ev, 0, sizeof ev);
        ev.seq = seq++;
        ev.kind = EVENT_PHASE;
        ev.step = PHASE_SYNC;
        judge_event(&j, &ev);
        feed(EVENT_DONE, 0x80040113, 0, 0, 0x44, 0); /* MAPI_E_USER_CANCEL */
        assert_int_equal(judge_finish(&j, WORKER_KILLED, "killed by signal 9"),
                         STATUS_TIMED_OUT);
        assert_int_equal(j.violation_count, 1);
        if (logoff) {
            assert_violation("no-hang", seq - 1);
            assert_non_null(strstr(j.violations[0].message, "logoff_after_ms: 10 ms"));
        } else {
            assert_string_equal(j.violations[0].rule, "event-signaled");
        }
    }
}

/* A new judge on a call with flags that returned hr. */
static void call_with_flags(uint32_t flags, uint32_t hr)
{
    fresh();
    sc.flags = flags;
    call_and_return(hr, 0, 0);
}

static void test_flags(void **state)
{
    (void)state;
    call_with_flags(0x200, 0x80040106); /* SYNC_OUTGOING_MAIL */
    assert_int_equal(j.violation_count, 1);
    assert_violation("flags-accepted", 1);
    assert_non_null(strstr(j.violations[0].message, "SYNC_OUTGOING_MAIL"));

    /* Undefined bits: MAPI_E_UNKNOWN_FLAGS passes, E_INVALIDARG does not. */
    call_with_flags(0x40000080, 0x80040106);
    assert_good_end(STATUS_PASSED);
    call_with_flags(0x40000080, 0x80070057);
    assert_int_equal(j.violation_count, 1);
    assert_violation("flags-unknown", 1);
    assert_non_null(strstr(j.violations[0].message, "0x40000000"));

    /* A documented flag refused by the final status. */
    fresh();
    good_start();
    feed(EVENT_DONE, 0x80040106, 0, 0, 0x44, 0);
    assert_violation("flags-accepted", seq - 1);
}

static void test_argument_rules(void **state)
{
    (void)state;
    sc.psib = SCENARIO_POINTER_NULL;
    call_and_return(0x80004005, 0, 0);
    assert_int_equal(j.violation_count, 1);
    assert_violation("sib-null-args", 1);

    fresh();
    sc.done_event_ptr = SCENARIO_POINTER_NULL;
    call_and_return(0x80004003, 0, 0); /* E_POINTER passes */
    assert_int_equal(j.violation_count, 0);

    fresh();
    sc.sib_size = 16;
    call_and_return(0, 0x44, 1);
    assert_violation("sib-size-checked", 1);

    fresh();
    sc.sib_size = 64;
    call_and_return(0x80070057, 0, 0);
    assert_int_equal(j.violation_count, 1); /* not sib-returns-s-ok as well */
    assert_violation("sib-size-checked", 1);

    fresh();
    pedantic();
    sc.callback = SCENARIO_CALLBACK_NULL;
    call_and_return(0x80004005, 0, 0);
    assert_int_equal(j.violation_count, 1);
    assert_violation("sib-null-callback", 1);
}

static void test_leaks(void **state)
{
    struct event ev;

    (void)state;
    pedantic();
    feed(EVENT_HANDLES, 0, 3, 0, 0, 0); /* three opened, all closed */
    feed(EVENT_THREADS, 0, 500, 0, 0, 0);
    feed(EVENT_HANDLES, 0, 3, 1, 0, 1); /* a thread still runs: not judged */
    assert_int_equal(j.violation_count, 0);
    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.kind = EVENT_HANDLES;
    ev.index = 3;
    ev.index_max = 1;
    ev.text = "CreateEventW at p.dll+0x1a2b: an Event, handle 0x1a4";
    judge_event(&j, &ev);
    assert_violation("leak-handles", 3);
    assert_non_null(strstr(j.violations[0].message, "1 of the 3 handle(s)"));
    assert_non_null(strstr(j.violations[0].message, "CreateEventW at p.dll+0x1a2b"));
    feed(EVENT_THREADS, 0, 500, 0, 0, 2);
    assert_violation("leak-threads", 4);
    assert_non_null(strstr(j.violations[1].message, "2 thread(s)"));
}

/* A fast_shutdown event: its step, the answer, and for DoFastShutdown the
 * threads still running after waited_ms. */
static void fast(enum fast_step step, uint32_t hr, uint64_t handle, uint32_t waited_ms,
                 uint64_t running)
{
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.kind = EVENT_FAST_SHUTDOWN;
    ev.step = step;
    ev.hr = hr;
    ev.handle = handle;
    ev.index = waited_ms;
    ev.value = running;
    judge_event(&j, &ev);
}

static void test_fast_shutdown(void **state)
{
    (void)state;
    /* Documented answers, threads ended: nothing to say, and the buffers
     * still held when the process ends are no leak. */
    good_start();
    feed(EVENT_ALLOC, 0, 0, 0, 0x5000, 64);
    fast(FAST_STEP_QI, 0, 0x7000, 0, 0);
    fast(FAST_STEP_QUERY, 0, 0, 0, 0);
    fast(FAST_STEP_NOTIFY, 0, 0, 0, 0);
    fast(FAST_STEP_DO, 0, 0, 1000, 0);
    feed(EVENT_END, 0, 0, 0, 0, 0);
    assert_int_equal(j.violation_count, 0);
    assert_true(j.st->fast_exit);

    /* Not offered, or declined: documented, no violation. */
    fresh();
    fast(FAST_STEP_QI, 0x80004002, 0, 0, 0);
    fast(FAST_STEP_QI, 0, 0x7000, 0, 0);
    fast(FAST_STEP_QUERY, 0x80040102, 0, 0, 0); /* MAPI_E_NO_SUPPORT */
    assert_int_equal(j.violation_count, 0);
    assert_false(j.st->fast_exit);

    /* Undocumented answers, each at its event, with the value seen. */
    fast(FAST_STEP_QUERY, 0x80004001, 0, 0, 0); /* E_NOTIMPL */
    assert_violation("fast-shutdown-returns", 3);
    assert_non_null(strstr(j.violations[0].message, "QueryFastShutdown returned E_NOTIMPL"));
    fresh();
    fast(FAST_STEP_QI, 0, 0, 0, 0);
    assert_violation("fast-shutdown-returns", 0);
    assert_non_null(strstr(j.violations[0].message, "NULL pointer"));
    fresh();
    fast(FAST_STEP_NOTIFY, 0x80004005, 0, 0, 0);
    assert_violation("fast-shutdown-returns", 0);
    assert_non_null(strstr(j.violations[0].message, "NotifyProcessShutdown returned E_FAIL"));

    /* A thread still saving after DoFastShutdown returned. */
    fresh();
    fast(FAST_STEP_DO, 0, 0, 1000, 2);
    assert_int_equal(j.violation_count, 1);
    assert_violation("fast-shutdown-ready", 0);
    assert_non_null(strstr(j.violations[0].message, "2 thread(s)"));
    assert_non_null(strstr(j.violations[0].message, "1000 ms"));
}

/* "NO_CRASH" is spelt "no-crash", in rules.def and in the catalogue. */
/* The machine's load is not the provider's: a return late only by the time
 * the host could not run is prompt, one late beyond it is not; a done-event
 * deadline that passed with less than its bound of time to run (the worker
 * says overloaded: step 1) gives no event-signaled verdict. */
static void test_starved_deadlines(void **state)
{
    struct event ev;

    (void)state;
    /* 1800 ms, 900 of them starved; then 700 (1100 ms of its own). */
    assert_return_late((struct event){.t_us = 5000 + 1800000, .index = 900},
                       (struct event){.t_us = 5000 + 1800000, .index = 700}, "not counting 700 ms",
                       NULL);

    fresh();
    good_start();
    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.kind = EVENT_EVENT_TIMEOUT;
    ev.handle = 0x44;
    ev.value = 1500;
    ev.index = 4600;
    ev.step = 1;
    judge_event(&j, &ev);
    assert_int_equal(j.violation_count, 0);
    ev.seq = seq++;
    ev.step = 0; /* the same deadline, with its bound of time to run */
    judge_event(&j, &ev);
    assert_violation("event-signaled", seq - 1);
}

static void check_spelling(const char *sym, enum rule_id rule, const char *id)
{
    char want[64];
    size_t k = 0;

    for (const char *c = sym; *c != '\0' && k + 1 < sizeof want; c++) {
        want[k++] = *c == '_' ? '-' : (char)(*c | 0x20); /* A-Z to a-z; digits stay */
    }
    want[k] = '\0';
    assert_string_equal(id, want);
    assert_string_equal(rules_info(rule)->id, want);
}

/* The catalogue is rules.def, then the rule units (test_units.c): indexed by
 * its constants, ids unique and spelt as their constants are (RULE_NO_CRASH
 * is "no-crash"). */
static void test_catalogue(void **state)
{
    size_t n;
    const struct rule_info *r = rules_catalogue(&n);

    (void)state;
    assert_int_equal(n, RULE_COUNT + rules_unit_count());
    assert_true(n >= 42);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r[i].rule, i);
        assert_ptr_equal(rules_info(r[i].rule), &r[i]);
        assert_ptr_equal(rules_find(r[i].id), &r[i]); /* ids are unique */
        assert_true(strlen(r[i].summary) > 10);
        assert_true(r[i].level <= RULE_PEDANTIC);
    }
#define RULE(sym, id, level, status, summary) check_spelling(#sym, RULE_##sym, id);
#include "rules/rules.def"
#undef RULE
    assert_null(rules_info((enum rule_id)n));
    assert_null(rules_find("no-such-rule"));
    assert_true(rules_info(RULE_NO_CRASH)->enforced);
}

#include "test_rules_more.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests_name("rules-more", tests, NULL, NULL);
}
