/*
 * test_calls.c: the judge of a scenario of several calls (calls.c), the
 * rules only several calls or a logoff during the sync make checkable, and
 * the scenario's own expectations (expect.c), on hand-made event sequences.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules/judge_state.h"
#include "rules/rules.h"

#define CANCEL 0x80040113u
#define BUSY   0x8004010Bu
#define FAIL   0x80004005u
#define EOS    0x80040200u /* MAPI_E_END_OF_SESSION */

static struct scenario sc;
static struct judge j;
static uint32_t seq;

static void start(uint32_t overlap, uint32_t repeat)
{
    struct judge_options opts = {RULE_PEDANTIC, NULL, 0};

    sc.overlap = overlap;
    sc.repeat = repeat;
    judge_init(&j, &sc, &opts);
}

static int setup(void **state)
{
    (void)state;
    memset(&sc, 0, sizeof sc);
    sc.name = "t";
    sc.flags = 0x80;
    sc.sib_size = SCENARIO_SIB_SIZE;
    sc.return_within_ms = 1000;
    seq = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    judge_free(&j);
    return 0;
}

static void feed(uint32_t call, enum event_kind kind, uint32_t hr, uint64_t handle, uint64_t value)
{
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.call = call;
    ev.kind = kind;
    ev.hr = hr;
    ev.handle = handle;
    ev.value = value;
    if (kind == EVENT_QI) {
        ev.step = HOST_OBJECT_CALLBACK;
        ev.index = IID_KIND_SYNC_CALLBACK;
        ev.text = "callback {5024a386-2d44-486a-81a8-8f0ecb6071dd}";
    }
    if (kind == EVENT_PHASE) {
        ev.step = (uint32_t)value;
    }
    judge_event(&j, &ev);
}

static void progress(uint32_t call, uint32_t index, uint32_t answered)
{
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.call = call;
    ev.kind = EVENT_PROGRESS;
    ev.index = index;
    ev.index_max = 5;
    ev.hr = answered;
    judge_event(&j, &ev);
}

static void load(void)
{
    feed(0, EVENT_HELLO, 0, 0, 0);
    for (uint32_t step = 0; step < LOAD_STEP_COUNT; step++) {
        struct event ev;
        memset(&ev, 0, sizeof ev);
        ev.seq = seq++;
        ev.kind = EVENT_LOAD;
        ev.step = step;
        judge_event(&j, &ev);
    }
    feed(0, EVENT_PHASE, 0, 0, PHASE_SYNC);
}

static void call_returns(uint32_t call, uint32_t hr, uint64_t event)
{
    feed(call, EVENT_CALL, 0, 0, 0);
    feed(call, EVENT_QI, 0, 0, 0);
    feed(call, EVENT_RETURN, hr, hr == 0 ? event : 0, hr == 0);
}

/* The rest of a good sync of call: progress, Done, the event, settled. */
static void sync_ends(uint32_t call, uint32_t done_hr, uint64_t event)
{
    progress(call, 1, 0);
    progress(call, 5, 0);
    feed(call, EVENT_DONE, done_hr, event, 0);
    feed(call, EVENT_EVENT_SIGNALED, 0, event, 0);
    feed(call, EVENT_SETTLED, 0, event, 1);
}

static void end(void)
{
    feed(0, EVENT_PHASE, 0, 0, PHASE_SHUTDOWN);
    feed(0, EVENT_LOGOFF, 0, 0, 0);
    feed(0, EVENT_END, 0, 0, 0);
}

static const struct violation *find(const char *rule)
{
    for (size_t i = 0; i < j.violation_count; i++) {
        if (strcmp(j.violations[i].rule, rule) == 0) {
            return &j.violations[i];
        }
    }
    return NULL;
}

static void assert_only(const char *rule)
{
    for (size_t i = 0; i < j.violation_count; i++) {
        if (rule == NULL || strcmp(j.violations[i].rule, rule) != 0) {
            fail_msg("unexpected %s: %s", j.violations[i].rule, j.violations[i].message);
        }
    }
    if (rule != NULL && find(rule) == NULL) {
        fail_msg("%s not flagged", rule);
    }
}

static void test_overlap_both_run(void **state)
{
    (void)state;
    start(2, 1);
    load();
    call_returns(1, 0, 0x44);
    call_returns(2, 0, 0x48);
    sync_ends(1, 0, 0x44);
    sync_ends(2, 0, 0x48);
    end();
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, NULL), STATUS_PASSED);
    assert_only(NULL);
    assert_int_equal(j.st->return_hr, 0);
    assert_int_equal(j.st->done_count, 1); /* the first call's outcome */
}

static void test_overlap_busy_is_legal(void **state)
{
    struct judge_call_outcome c;

    (void)state;
    start(2, 1);
    load();
    call_returns(1, 0, 0x44);
    call_returns(2, BUSY, 0);
    sync_ends(1, 0, 0x44);
    end();
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, NULL), STATUS_PASSED);
    assert_only(NULL);
    /* Each call's outcome, for the report. */
    assert_int_equal(judge_call_count(&j), 2);
    assert_true(judge_call_outcome(&j, 0, &c));
    assert_int_equal(c.call, 1);
    assert_true(c.returned && c.return_hr == 0 && c.done_count == 1 && c.signaled);
    assert_true(judge_call_outcome(&j, 1, &c));
    assert_int_equal(c.call, 2);
    assert_true(c.returned && c.return_hr == BUSY && c.done_count == 0 && !c.signaled);
    assert_false(c.timed_out);
}

/* A call the scenario never got to has no outcome. */
static void test_call_not_made(void **state)
{
    struct judge_call_outcome c;

    (void)state;
    start(1, 3);
    load();
    call_returns(1, 0, 0x44);
    feed(1, EVENT_EVENT_TIMEOUT, 0, 0x44, 500);
    assert_int_equal(judge_call_count(&j), 3);
    assert_true(judge_call_outcome(&j, 0, &c));
    assert_true(c.timed_out && !c.signaled && c.done_count == 0);
    assert_false(judge_call_outcome(&j, 1, &c));
    assert_false(judge_call_outcome(&j, 3, &c));
}

static void test_overlap_other_failure(void **state)
{
    (void)state;
    start(2, 1);
    load();
    call_returns(1, 0, 0x44);
    call_returns(2, FAIL, 0);
    sync_ends(1, 0, 0x44);
    end();
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, NULL), STATUS_FAILED);
    assert_only("concurrency-overlap");
    assert_non_null(strstr(find("concurrency-overlap")->message, "call 2, made while call 1"));
}

/* A call made after the first one's Done is not overlapping: S_OK only. */
static void test_after_done_is_not_overlap(void **state)
{
    (void)state;
    start(2, 1);
    load();
    call_returns(1, 0, 0x44);
    sync_ends(1, 0, 0x44);
    call_returns(2, BUSY, 0);
    end();
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_only("sib-returns-s-ok");
    assert_non_null(strstr(find("sib-returns-s-ok")->message, "call 2 of 2: "));
}

/* A sync runs until its thread ends, after Done: a call made after the
 * first one's Done but before its event was signaled may get MAPI_E_BUSY
 * (found by explore on unusual/busy-when-running with a slow Done). */
static void test_busy_after_done_before_signal(void **state)
{
    (void)state;
    start(2, 1);
    load();
    call_returns(1, 0, 0x44);
    progress(1, 1, 0);
    feed(1, EVENT_DONE, 0, 0x44, 0);
    call_returns(2, BUSY, 0);
    feed(1, EVENT_EVENT_SIGNALED, 0, 0x44, 0);
    feed(1, EVENT_SETTLED, 0, 0x44, 1);
    end();
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_null(find("sib-returns-s-ok"));
    assert_null(find("concurrency-overlap"));
}

/* Any earlier call of the round that still runs makes a call overlapping,
 * not only the round's first: call 1 ended (cancelled), call 2 runs, call
 * 3 gets MAPI_E_BUSY. */
static void test_busy_while_second_runs(void **state)
{
    (void)state;
    start(3, 1);
    load();
    call_returns(1, 0, 0x44);
    sync_ends(1, 0, 0x44);
    call_returns(2, 0, 0x48);
    call_returns(3, BUSY, 0);
    sync_ends(2, 0, 0x48);
    end();
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_null(find("sib-returns-s-ok"));
    assert_null(find("concurrency-overlap"));
}

/* ... and a failure other than MAPI_E_BUSY then names the call that ran. */
static void test_other_failure_names_running_call(void **state)
{
    (void)state;
    start(3, 1);
    load();
    call_returns(1, 0, 0x44);
    sync_ends(1, 0, 0x44);
    call_returns(2, 0, 0x48);
    call_returns(3, FAIL, 0);
    sync_ends(2, 0, 0x48);
    end();
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_only("concurrency-overlap");
    assert_non_null(strstr(find("concurrency-overlap")->message, "call 3, made while call 2"));
}

static void test_overlap_shared_event(void **state)
{
    (void)state;
    start(2, 1);
    load();
    call_returns(1, 0, 0x44);
    call_returns(2, 0, 0x44);
    sync_ends(1, 0, 0x44);
    feed(2, EVENT_DONE, 0, 0x44, 0);
    feed(2, EVENT_EVENT_SIGNALED, 0, 0x44, 0);
    /* The host closed 0x44 as call 1's: its second CloseHandle fails, and
     * that is no event-owned-by-host on the provider's part. */
    feed(2, EVENT_SETTLED, 0, 0x44, 0);
    end();
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_only("concurrency-overlap");
    assert_non_null(strstr(find("concurrency-overlap")->message, "done event 0x44 of call 1"));
}

/* Each call is held to the per-call rules: call 2's second Done. */
static void test_per_call_rules(void **state)
{
    (void)state;
    start(2, 1);
    load();
    call_returns(1, 0, 0x44);
    call_returns(2, 0, 0x48);
    sync_ends(1, 0, 0x44);
    progress(2, 5, 0); /* the end: progress-completes holds (pedantic) */
    feed(2, EVENT_DONE, 0, 0x48, 0);
    feed(2, EVENT_DONE, 0, 0x48, 0);
    feed(2, EVENT_EVENT_SIGNALED, 0, 0x48, 0);
    feed(2, EVENT_SETTLED, 0, 0x48, 1);
    end();
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_only("done-called-once");
    assert_non_null(strstr(find("done-called-once")->message, "call 2 of 2: Done called 2"));
}

static void test_repeat_stable(void **state)
{
    (void)state;
    start(1, 3);
    load();
    call_returns(1, 0, 0x44);
    sync_ends(1, 0, 0x44);
    feed(0, EVENT_PHASE, 0, 0, PHASE_SYNC);
    call_returns(2, FAIL, 0);
    feed(2, EVENT_SETTLED, 0, 0, 2);
    feed(0, EVENT_PHASE, 0, 0, PHASE_SYNC);
    call_returns(3, 0, 0x4c);
    sync_ends(3, FAIL, 0x4c);
    end();
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, NULL), STATUS_FAILED);
    assert_only("repeat-stable");
    assert_non_null(strstr(find("repeat-stable")->message, "sync 2 returned E_FAIL"));
    assert_int_equal(find("repeat-stable")->repeats, 1); /* sync 3's failed Done */
}

/* Every sync failing alike is sib-returns-s-ok's, once, not repeat-stable. */
static void test_repeat_all_fail(void **state)
{
    (void)state;
    start(1, 2);
    load();
    call_returns(1, FAIL, 0);
    feed(0, EVENT_PHASE, 0, 0, PHASE_SYNC);
    call_returns(2, FAIL, 0);
    end();
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_only("sib-returns-s-ok");
    assert_int_equal(find("sib-returns-s-ok")->repeats, 1);
}

/* A crash is the scenario's: reported once, without a call. */
static void test_crash_once(void **state)
{
    (void)state;
    start(2, 1);
    load();
    call_returns(1, 0, 0x44);
    call_returns(2, 0, 0x48);
    feed(0, EVENT_CRASH, 0xC0000005u, 0, 0);
    assert_int_equal(judge_finish(&j, WORKER_DIED, "exit status 3"), STATUS_CRASHED);
    assert_only("no-crash");
    assert_int_equal(find("no-crash")->repeats, 0);
    assert_null(strstr(find("no-crash")->message, "call "));
}

static void test_logoff_mid_sync(void **state)
{
    (void)state;
    start(1, 1);
    load();
    call_returns(1, 0, 0x44);
    progress(1, 1, 0);
    feed(0, EVENT_LOGOFF, 0, 0, 1);
    feed(1, EVENT_EVENT_TIMEOUT, 0, 0x44, 1500);
    feed(1, EVENT_SETTLED, 0, 0x44, 1);
    end();
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, NULL), STATUS_TIMED_OUT);
    assert_only("shutdown-during-sync");
}

/* No Done after the logoff is allowed; the event still signaled is all. */
static void test_logoff_no_done_is_legal(void **state)
{
    (void)state;
    start(1, 1);
    load();
    call_returns(1, 0, 0x44);
    feed(0, EVENT_LOGOFF, 0, 0, 1);
    feed(1, EVENT_EVENT_SIGNALED, 0, 0x44, 0);
    feed(1, EVENT_SETTLED, 0, 0x44, 1);
    end();
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, NULL), STATUS_PASSED);
}

static void test_logoff_second_done(void **state)
{
    (void)state;
    start(1, 1);
    load();
    call_returns(1, 0, 0x44);
    feed(1, EVENT_DONE, EOS, 0x44, 0);
    feed(0, EVENT_LOGOFF, 0, 0, 1);
    feed(1, EVENT_DONE, EOS, 0x44, 0);
    feed(1, EVENT_EVENT_SIGNALED, 0, 0x44, 0);
    feed(1, EVENT_SETTLED, 0, 0x44, 1);
    end();
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_only("shutdown-during-sync");
}

static void test_expectations(void **state)
{
    struct event ev;

    (void)state;
    sc.has_expect_returns = 1;
    sc.expect_returns = 0;
    sc.expect.has_progress_min = sc.expect.has_progress_max = 1;
    sc.expect.progress_min = 3;
    sc.expect.progress_max = 4;
    sc.expect.has_final_index = 1;
    sc.expect.final_index = 4;
    sc.expect.has_error_count = sc.expect.has_error_codes = 1;
    sc.expect.error_count = 1;
    sc.expect.error_code_count = 1;
    sc.expect.error_codes[0] = 0x80040115u;
    sc.expect.has_signaled = 1;
    sc.expect.signaled = 0;
    start(1, 1);
    load();
    call_returns(1, 0, 0x44);
    progress(1, 1, 0);
    progress(1, 5, 0);
    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.call = 1;
    ev.kind = EVENT_ERROR;
    ev.hr = FAIL;
    ev.text_state = TEXT_OK;
    ev.text = "x";
    judge_event(&j, &ev);
    feed(1, EVENT_DONE, 0, 0x44, 0);
    feed(1, EVENT_EVENT_SIGNALED, 0, 0x44, 0);
    feed(1, EVENT_SETTLED, 0, 0x44, 1);
    end();
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, NULL), STATUS_FAILED);
    assert_non_null(find("expect.progress.min"));
    assert_non_null(strstr(find("expect.progress.min")->message, "called 2 times"));
    assert_null(find("expect.progress.max"));
    assert_non_null(strstr(find("expect.progress.final_index")->message, "ulIndex 5"));
    assert_null(find("expect.errors.count"));
    assert_non_null(strstr(find("expect.errors.codes")->message,
                           "called with [E_FAIL (0x80004005)], the scenario expects "
                           "[MAPI_E_NETWORK_ERROR"));
    assert_non_null(find("expect.event.signaled"));
    assert_null(find("expect.returns"));
}

/* Expectations hold for every call: the second call's return. */
static void test_expectations_per_call(void **state)
{
    (void)state;
    sc.has_expect_returns = 1;
    sc.expect_returns = 0;
    start(2, 1);
    load();
    call_returns(1, 0, 0x44);
    call_returns(2, BUSY, 0);
    sync_ends(1, 0, 0x44);
    end();
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_only("expect.returns");
    assert_non_null(strstr(find("expect.returns")->message, "call 2 of 2: "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_overlap_both_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlap_busy_is_legal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_call_not_made, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlap_other_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy_after_done_before_signal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy_while_second_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_failure_names_running_call, setup, teardown),
        cmocka_unit_test_setup_teardown(test_after_done_is_not_overlap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlap_shared_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_per_call_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeat_stable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeat_all_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logoff_mid_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logoff_no_done_is_legal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logoff_second_done, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expectations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expectations_per_call, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
