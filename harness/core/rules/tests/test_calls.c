/*
 * test_calls.c: the judge of a scenario of several calls (calls.c), the
 * rules only several calls or a logoff during the sync make checkable, and
 * the scenario's own expectations (expect.c), on hand-made event sequences.
 * Most cases are one row of a table: a script of the worker's records, then
 * what the judge must make of them.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "judge_fixture.h"

#define CANCEL 0x80040113u
#define BUSY   0x8004010Bu
#define FAIL   0x80004005u
#define EOS    0x80040200u /* MAPI_E_END_OF_SESSION */

/* Rejudges the scenario as one of overlap calls made repeat times, at the
 * pedantic level, with a return bound of 1000 ms. */
static void start(uint32_t overlap, uint32_t repeat)
{
    sc.overlap = overlap;
    sc.repeat = repeat;
    sc.return_within_ms = 1000;
    rejudge(RULE_PEDANTIC, NULL, 0);
}

static void feed_call(uint32_t call, enum event_kind kind, uint32_t hr, uint64_t handle,
                      uint64_t value)
{
    struct event ev = {.call = call, .kind = kind, .hr = hr, .handle = handle, .value = value};

    if (kind == EVENT_QI) {
        ev.step = HOST_OBJECT_CALLBACK;
        ev.index = IID_KIND_SYNC_CALLBACK;
        ev.text = "callback {5024a386-2d44-486a-81a8-8f0ecb6071dd}";
    }
    if (kind == EVENT_PHASE) {
        ev.step = (uint32_t)value;
    }
    feed_event(ev);
}

/* Progress of call at index (ulMax 5), answered S_OK. */
static void progress(uint32_t call, uint32_t index)
{
    feed_event(
        (struct event){.call = call, .kind = EVENT_PROGRESS, .index = index, .index_max = 5});
}

static void call_returns(uint32_t call, uint32_t hr, uint64_t event)
{
    feed_call(call, EVENT_CALL, 0, 0, 0);
    feed_call(call, EVENT_QI, 0, 0, 0);
    feed_call(call, EVENT_RETURN, hr, hr == 0 ? event : 0, hr == 0);
}

/* The rest of a good sync of call: progress, Done, the event, settled. */
static void sync_ends(uint32_t call, uint32_t done_hr, uint64_t event)
{
    progress(call, 1);
    progress(call, 5);
    feed_call(call, EVENT_DONE, done_hr, event, 0);
    feed_call(call, EVENT_EVENT_SIGNALED, 0, event, 0);
    feed_call(call, EVENT_SETTLED, 0, event, 1);
}

/* The words a script may use for a number: the HRESULTs of these tests. */
static const struct {
    const char *word;
    uint64_t value;
} script_words[] = {
    {"ok", 0}, {"busy", BUSY}, {"fail", FAIL}, {"eos", EOS}, {"av", 0xC0000005u},
};

/* Reads the numbers of one step (at most three, a missing one is 0) from
 * *p up to the next ',' or the end; false on a word it does not know. */
static bool script_args(const char **p, uint64_t arg[3])
{
    size_t n = 0;

    arg[0] = arg[1] = arg[2] = 0;
    while (**p != '\0' && **p != ',') {
        size_t len = strcspn(*p, " ,");
        bool known = false;

        if (len == 0) {
            (*p)++;
            continue;
        }
        if (n == 3) {
            return false;
        }
        for (size_t w = 0; w < sizeof script_words / sizeof script_words[0]; w++) {
            if (strlen(script_words[w].word) == len &&
                strncmp(*p, script_words[w].word, len) == 0) {
                arg[n] = script_words[w].value;
                known = true;
            }
        }
        if (!known) {
            char *end;

            arg[n] = strtoull(*p, &end, 0);
            known = end == *p + len;
        }
        if (!known) {
            return false;
        }
        n++;
        *p += len;
    }
    return true;
}

/* One step of a script: a verb, then its numbers (call first where the
 * step is a call's):
 *   load                      hello, the load chain, the sync phase
 *   call N HR [EVENT]         call N made, QI for the callback, returned HR
 *   ends N HR EVENT           the rest of a good sync, Done with HR
 *   progress N INDEX          Progress of call N (ulMax 5), answered S_OK
 *   error N HR                OnError of call N
 *   done N HR EVENT           Done of call N
 *   signaled N EVENT          the event of call N signaled
 *   timeout N EVENT MS        ... or not, within MS
 *   settled N EVENT CLOSED    the host is done with call N's event
 *   sync | logoff | end       the sync phase, the logoff during it, shutdown
 *   crash CODE                the worker's crash record */
static bool script_step(const char *verb, size_t len, const uint64_t a[3])
{
    uint32_t call = (uint32_t)a[0];

#define VERB(s) (strlen(s) == len && strncmp(verb, s, len) == 0)
    if (VERB("load")) {
        feed_call(0, EVENT_HELLO, 0, 0, 0);
        feed_load_steps(LOAD_STEP_COUNT - 1);
        feed_call(0, EVENT_PHASE, 0, 0, PHASE_SYNC);
    } else if (VERB("call")) {
        call_returns(call, (uint32_t)a[1], a[2]);
    } else if (VERB("ends")) {
        sync_ends(call, (uint32_t)a[1], a[2]);
    } else if (VERB("progress")) {
        progress(call, (uint32_t)a[1]);
    } else if (VERB("error")) {
        feed_event((struct event){.call = call,
                                  .kind = EVENT_ERROR,
                                  .hr = (uint32_t)a[1],
                                  .text_state = TEXT_OK,
                                  .text = "x"});
    } else if (VERB("done")) {
        feed_call(call, EVENT_DONE, (uint32_t)a[1], a[2], 0);
    } else if (VERB("signaled")) {
        feed_call(call, EVENT_EVENT_SIGNALED, 0, a[1], 0);
    } else if (VERB("timeout")) {
        feed_call(call, EVENT_EVENT_TIMEOUT, 0, a[1], a[2]);
    } else if (VERB("settled")) {
        feed_call(call, EVENT_SETTLED, 0, a[1], a[2]);
    } else if (VERB("sync")) {
        feed_call(0, EVENT_PHASE, 0, 0, PHASE_SYNC);
    } else if (VERB("logoff")) {
        feed_call(0, EVENT_LOGOFF, 0, 0, 1);
    } else if (VERB("crash")) {
        feed_call(0, EVENT_CRASH, (uint32_t)a[0], 0, 0);
    } else if (VERB("end")) {
        feed_call(0, EVENT_PHASE, 0, 0, PHASE_SHUTDOWN);
        feed_call(0, EVENT_LOGOFF, 0, 0, 0);
        feed_call(0, EVENT_END, 0, 0, 0);
    } else {
        return false;
    }
#undef VERB
    return true;
}

/* Feeds the records a script names (steps parted by ','); fails the test,
 * naming the case, on a step it cannot read. */
static void run_script(const char *name, const char *script)
{
    const char *p = script;

    while (*p != '\0') {
        uint64_t arg[3];
        const char *verb;
        size_t len;

        p += strspn(p, " ,");
        verb = p;
        len = strcspn(p, " ,");
        p += len;
        if (len > 0 && !(script_args(&p, arg) && script_step(verb, len, arg))) {
            fail_msg("%s: cannot read the step at \"%s\"", name, verb);
        }
    }
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

#define ANY (-1)

/* A case: a scenario, a script of its records (see script_step), and what
 * the judge must make of them. */
struct call_case {
    const char *name;
    uint32_t overlap, repeat;
    bool expect_returns; /* the scenario expects every call to return S_OK */
    const char *script;
    const char *died;      /* the worker died, so the supervisor says; NULL: it finished */
    int status;            /* the verdict, or ANY */
    const char *only;      /* the one rule flagged; "": none; NULL: not asserted */
    const char *absent[2]; /* rules not flagged */
    const char *message;   /* in the message of only, or NULL */
    bool has_repeats;
    int repeats;        /* only's repeats, if has_repeats */
    void (*more)(void); /* the case's own further checks, or NULL */
};

static void both_run_outcome(void)
{
    assert_int_equal(j.st->return_hr, 0);
    assert_int_equal(j.st->done_count, 1); /* the first call's outcome */
}

/* Each call's outcome, for the report. */
static void busy_outcomes(void)
{
    struct judge_call_outcome c;

    assert_int_equal(judge_call_count(&j), 2);
    assert_true(judge_call_outcome(&j, 0, &c));
    assert_int_equal(c.call, 1);
    assert_true(c.returned && c.return_hr == 0 && c.done_count == 1 && c.signaled);
    assert_true(judge_call_outcome(&j, 1, &c));
    assert_int_equal(c.call, 2);
    assert_true(c.returned && c.return_hr == BUSY && c.done_count == 0 && !c.signaled);
    assert_false(c.timed_out);
}

static void crash_names_no_call(void)
{
    assert_null(strstr(find("no-crash")->message, "call "));
}

/* One row a case, its fields on few lines. */
/* clang-format off */
static const struct call_case call_cases[] = {
    {.name = "overlap_both_run", .overlap = 2, .repeat = 1,
     .script = "load, call 1 ok 0x44, call 2 ok 0x48, ends 1 ok 0x44, ends 2 ok 0x48, end",
     .status = STATUS_PASSED, .only = "", .more = both_run_outcome},
    {.name = "overlap_busy_is_legal", .overlap = 2, .repeat = 1,
     .script = "load, call 1 ok 0x44, call 2 busy, ends 1 ok 0x44, end",
     .status = STATUS_PASSED, .only = "", .more = busy_outcomes},
    {.name = "overlap_other_failure", .overlap = 2, .repeat = 1,
     .script = "load, call 1 ok 0x44, call 2 fail, ends 1 ok 0x44, end",
     .status = STATUS_FAILED, .only = "concurrency-overlap",
     .message = "call 2, made while call 1"},
    /* A call made after the first one's Done is not overlapping: S_OK only. */
    {.name = "after_done_is_not_overlap", .overlap = 2, .repeat = 1,
     .script = "load, call 1 ok 0x44, ends 1 ok 0x44, call 2 busy, end",
     .status = ANY, .only = "sib-returns-s-ok", .message = "call 2 of 2: "},
    /* A sync runs until its thread ends, after Done: a call made after the
     * first one's Done but before its event was signaled may get MAPI_E_BUSY
     * (found by explore on unusual/busy-when-running with a slow Done). */
    {.name = "busy_after_done_before_signal", .overlap = 2, .repeat = 1,
     .script = "load, call 1 ok 0x44, progress 1 1, done 1 ok 0x44, call 2 busy, "
               "signaled 1 0x44, settled 1 0x44 1, end",
     .status = ANY, .absent = {"sib-returns-s-ok", "concurrency-overlap"}},
    /* Any earlier call of the round that still runs makes a call
     * overlapping, not only the round's first: call 1 ended (cancelled),
     * call 2 runs, call 3 gets MAPI_E_BUSY. */
    {.name = "busy_while_second_runs", .overlap = 3, .repeat = 1,
     .script = "load, call 1 ok 0x44, ends 1 ok 0x44, call 2 ok 0x48, call 3 busy, "
               "ends 2 ok 0x48, end",
     .status = ANY, .absent = {"sib-returns-s-ok", "concurrency-overlap"}},
    /* ... and a failure other than MAPI_E_BUSY then names the call that ran. */
    {.name = "other_failure_names_running_call", .overlap = 3, .repeat = 1,
     .script = "load, call 1 ok 0x44, ends 1 ok 0x44, call 2 ok 0x48, call 3 fail, "
               "ends 2 ok 0x48, end",
     .status = ANY, .only = "concurrency-overlap", .message = "call 3, made while call 2"},
    /* The host closed 0x44 as call 1's: its second CloseHandle fails (the
     * settled 0), and that is no event-owned-by-host on the provider's part. */
    {.name = "overlap_shared_event", .overlap = 2, .repeat = 1,
     .script = "load, call 1 ok 0x44, call 2 ok 0x44, ends 1 ok 0x44, done 2 ok 0x44, "
               "signaled 2 0x44, settled 2 0x44 0, end",
     .status = ANY, .only = "concurrency-overlap", .message = "done event 0x44 of call 1"},
    /* Each call is held to the per-call rules: call 2's second Done (its
     * Progress at the end: progress-completes holds, pedantic). */
    {.name = "per_call_rules", .overlap = 2, .repeat = 1,
     .script = "load, call 1 ok 0x44, call 2 ok 0x48, ends 1 ok 0x44, progress 2 5, "
               "done 2 ok 0x48, done 2 ok 0x48, signaled 2 0x48, settled 2 0x48 1, end",
     .status = ANY, .only = "done-called-once", .message = "call 2 of 2: Done called 2"},
    /* Sync 3's failed Done is the one repeat. */
    {.name = "repeat_stable", .overlap = 1, .repeat = 3,
     .script = "load, call 1 ok 0x44, ends 1 ok 0x44, sync, call 2 fail, settled 2 0 2, sync, "
               "call 3 ok 0x4c, ends 3 fail 0x4c, end",
     .status = STATUS_FAILED, .only = "repeat-stable", .message = "sync 2 returned E_FAIL",
     .has_repeats = true, .repeats = 1},
    /* Every sync failing alike is sib-returns-s-ok's, once, not repeat-stable. */
    {.name = "repeat_all_fail", .overlap = 1, .repeat = 2,
     .script = "load, call 1 fail, sync, call 2 fail, end",
     .status = ANY, .only = "sib-returns-s-ok", .has_repeats = true, .repeats = 1},
    /* A crash is the scenario's: reported once, without a call. */
    {.name = "crash_once", .overlap = 2, .repeat = 1,
     .script = "load, call 1 ok 0x44, call 2 ok 0x48, crash av", .died = "exit status 3",
     .status = STATUS_CRASHED, .only = "no-crash", .has_repeats = true, .repeats = 0,
     .more = crash_names_no_call},
    {.name = "logoff_mid_sync", .overlap = 1, .repeat = 1,
     .script = "load, call 1 ok 0x44, progress 1 1, logoff, timeout 1 0x44 1500, "
               "settled 1 0x44 1, end",
     .status = STATUS_TIMED_OUT, .only = "shutdown-during-sync"},
    /* No Done after the logoff is allowed; the event still signaled is all. */
    {.name = "logoff_no_done_is_legal", .overlap = 1, .repeat = 1,
     .script = "load, call 1 ok 0x44, logoff, signaled 1 0x44, settled 1 0x44 1, end",
     .status = STATUS_PASSED},
    {.name = "logoff_second_done", .overlap = 1, .repeat = 1,
     .script = "load, call 1 ok 0x44, done 1 eos 0x44, logoff, done 1 eos 0x44, "
               "signaled 1 0x44, settled 1 0x44 1, end",
     .status = ANY, .only = "shutdown-during-sync"},
    /* Expectations hold for every call: the second call's return. */
    {.name = "expectations_per_call", .overlap = 2, .repeat = 1, .expect_returns = true,
     .script = "load, call 1 ok 0x44, call 2 busy, ends 1 ok 0x44, end",
     .status = ANY, .only = "expect.returns", .message = "call 2 of 2: "},
};
/* clang-format on */

/* Runs the case *state points at; cmocka names the test by the case. */
static void test_call_case(void **state)
{
    const struct call_case *c = *state;
    int status;

    if (c->expect_returns) {
        sc.has_expect_returns = 1;
        sc.expect_returns = 0;
    }
    start(c->overlap, c->repeat);
    run_script(c->name, c->script);
    status = (int)judge_finish(&j, c->died ? WORKER_DIED : WORKER_FINISHED, c->died);
    if (c->status != ANY) {
        assert_int_equal(status, c->status);
    }
    if (c->only != NULL) {
        assert_only(c->only[0] != '\0' ? c->only : NULL);
    }
    for (size_t i = 0; i < 2 && c->absent[i] != NULL; i++) {
        assert_null(find(c->absent[i]));
    }
    if (c->message != NULL) {
        assert_non_null(strstr(find(c->only)->message, c->message));
    }
    if (c->has_repeats) {
        assert_int_equal(find(c->only)->repeats, c->repeats);
    }
    if (c->more != NULL) {
        c->more();
    }
}

/* A call the scenario never got to has no outcome. */
static void test_call_not_made(void **state)
{
    struct judge_call_outcome c;

    (void)state;
    start(1, 3);
    run_script("call_not_made", "load, call 1 ok 0x44, timeout 1 0x44 500");
    assert_int_equal(judge_call_count(&j), 3);
    assert_true(judge_call_outcome(&j, 0, &c));
    assert_true(c.timed_out && !c.signaled && c.done_count == 0);
    assert_false(judge_call_outcome(&j, 1, &c));
    assert_false(judge_call_outcome(&j, 3, &c));
}

static void test_expectations(void **state)
{
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
    run_script("expectations", "load, call 1 ok 0x44, progress 1 1, progress 1 5, error 1 fail, "
                               "done 1 ok 0x44, signaled 1 0x44, settled 1 0x44 1, end");
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

int main(void)
{
    enum { CASES = sizeof call_cases / sizeof call_cases[0] };
    struct CMUnitTest tests[CASES + 2];

    for (size_t i = 0; i < CASES; i++) {
        tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate_setup_teardown(
            test_call_case, setup, teardown, (void *)&call_cases[i]);
        tests[i].name = call_cases[i].name;
    }
    tests[CASES] =
        (struct CMUnitTest)cmocka_unit_test_setup_teardown(test_call_not_made, setup, teardown);
    tests[CASES + 1] =
        (struct CMUnitTest)cmocka_unit_test_setup_teardown(test_expectations, setup, teardown);
    return _cmocka_run_group_tests("tests", tests, CASES + 2, NULL, NULL);
}
