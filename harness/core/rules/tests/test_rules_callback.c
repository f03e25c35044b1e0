/*
 * test_rules_callback.c: the judge on the provider's calls into the progress
 * callback, on hand-made event sequences: Done on the host's thread or with
 * another handle, Progress going back, the texts and error codes, the
 * callback reached by a cast, its references, and cancel (per call and per
 * thread).
 */
#include "judge_fixture.h"

static void feed_text(enum event_kind kind, uint32_t hr, uint32_t index, enum text_state ts)
{
    feed_event((struct event){.kind = kind,
                              .hr = hr,
                              .index = index,
                              .index_max = 5,
                              .text_state = ts,
                              .text = ts == TEXT_OK ? "x" : NULL});
}

static void test_done_on_host_thread(void **state)
{
    struct event ev;

    (void)state;
    feed(EVENT_CALL, 0, 0, 0, 0, 0); /* thread 0 */
    qi_callback();
    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.kind = EVENT_DONE;
    ev.thread = 9; /* another thread inside the call: fine */
    judge_event(&j, &ev);
    assert_int_equal(j.violation_count, 0);
    feed(EVENT_DONE, 0, 0, 0, 0, 0); /* the host's thread, before the return */
    assert_violation("sib-background-thread", 3);
}

static void test_done_handle(void **state)
{
    (void)state;
    good_start();
    feed(EVENT_DONE, 0, 0, 0, 0, 0); /* NULL is allowed */
    assert_int_equal(j.violation_count, 0);
    fresh();
    good_start();
    feed(EVENT_DONE, 0, 0, 0, 0x48, 0); /* the stored handle was 0x44 */
    assert_violation("done-handle-matches", 8);
    assert_non_null(strstr(j.violations[0].message, "0x44"));
}

static void test_progress_goes_back(void **state)
{
    (void)state;
    good_start();
    feed_text(EVENT_PROGRESS, 0, 2, TEXT_OK);
    feed_text(EVENT_PROGRESS, 0, 2, TEXT_OK); /* equal is fine */
    assert_int_equal(j.violation_count, 0);
    feed_text(EVENT_PROGRESS, 0, 1, TEXT_OK);
    assert_violation("progress-monotonic", 10);
}

static void test_texts_and_error_codes(void **state)
{
    (void)state;
    good_start();
    feed_text(EVENT_PROGRESS, 0, 1, TEXT_NULL); /* NULL progress text is allowed */
    feed_text(EVENT_ERROR, 0x80004005, 0, TEXT_OK);
    feed_text(EVENT_ERROR, 0x00040380, 0, TEXT_OK); /* a MAPI warning is allowed */
    assert_int_equal(j.violation_count, 0);
    feed_text(EVENT_PROGRESS, 0, 2, TEXT_ILL_FORMED);
    assert_violation("progress-text-valid", 11);
    feed_text(EVENT_ERROR, 0, 0, TEXT_OK);
    assert_violation("error-hresult-failure", 12);
    feed_text(EVENT_ERROR, 0x80004005, 0, TEXT_NULL);
    assert_violation("error-text-valid", 13);
}

/* A long but terminated text breaks no required rule: only the pedantic
 * callback-text-length, which tells its length; an unterminated one is
 * said to be so. */
static void test_long_text(void **state)
{
    struct event ev;

    (void)state;
    good_start();
    feed_text(EVENT_PROGRESS, 0, 1, TEXT_LONG);
    feed_text(EVENT_ERROR, 0x80004005, 0, TEXT_LONG);
    assert_int_equal(j.violation_count, 0); /* recommended: the default level */
    rejudge(RULE_PEDANTIC, NULL, 0);
    good_start();
    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.kind = EVENT_PROGRESS;
    ev.index = 1;
    ev.index_max = 5;
    ev.text_state = TEXT_LONG;
    ev.text = "x";
    ev.value = 32767;
    judge_event(&j, &ev);
    assert_int_equal(j.violation_count, 1);
    assert_string_equal(j.violations[0].rule, "callback-text-length");
    assert_non_null(strstr(j.violations[0].message, "32767 UTF-16 code units long"));
    feed_text(EVENT_PROGRESS, 0, 2, TEXT_TOO_LONG);
    assert_int_equal(j.violation_count, 2);
    assert_string_equal(j.violations[1].rule, "progress-text-valid");
    assert_non_null(strstr(j.violations[1].message, "no terminating NUL within 65536"));
}

static void test_callback_cast(void **state)
{
    (void)state;
    call_and_return(0, 0x44, 1);
    feed(EVENT_PROGRESS, 0, 1, 5, 0, 0);
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    assert_violation("callback-via-qi", 2);
    assert_int_equal(j.violations[0].repeats, 0); /* reported once */
}

static void feed_ref(enum event_kind kind, int64_t count)
{
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.kind = kind;
    ev.step = HOST_OBJECT_CALLBACK;
    ev.value = (uint64_t)count;
    judge_event(&j, &ev);
}

static void test_callback_references(void **state)
{
    (void)state;
    good_start();
    feed_ref(EVENT_ADDREF, 2); /* the QueryInterface's reference */
    feed(EVENT_PROGRESS, 0, 1, 1, 0, 0);
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed_ref(EVENT_RELEASE, 1);
    feed(EVENT_SETTLED, 0, 0, 0, 0x44, 1);
    assert_int_equal(j.violation_count, 0);
    /* A call after the last release, then one release too many. */
    feed(EVENT_PROGRESS, 0, 1, 1, 0, 0);
    assert_violation("callback-after-release", 13);
    feed_ref(EVENT_RELEASE, 0);
    assert_violation("callback-refcount", 14);
}

static void test_callback_leak_and_closed_handle(void **state)
{
    (void)state;
    good_start();
    feed_ref(EVENT_ADDREF, 2);
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0);
    feed(EVENT_SETTLED, 0, 0, 0, 0x44, 0); /* the host's CloseHandle failed */
    assert_violation("callback-refcount", 10);
    assert_non_null(strstr(j.violations[0].message, "still holds 1"));
    assert_violation("event-owned-by-host", 10);
}

static void test_cancel(void **state)
{
    (void)state;
    good_start();
    feed(EVENT_PROGRESS, 0, 1, 5, 0, 0);
    feed(EVENT_PROGRESS, 0x80040113, 2, 5, 0, 0); /* the host cancels */
    feed(EVENT_PROGRESS, 0x80040113, 3, 5, 0, 0); /* one more is tolerated */
    feed(EVENT_DONE, 0x80040113, 0, 0, 0x44, 0);
    assert_int_equal(j.violation_count, 0);
    fresh();
    good_start();
    feed(EVENT_PROGRESS, 0x80040113, 1, 5, 0, 0);
    feed(EVENT_DONE, 0, 0, 0, 0x44, 0); /* success after a cancel */
    assert_violation("cancel-honored", 9);
    fresh();
    good_start();
    feed(EVENT_PROGRESS, 0x80040113, 1, 5, 0, 0);
    feed(EVENT_PROGRESS, 0x80040113, 2, 5, 0, 0);
    feed(EVENT_PROGRESS, 0x80040113, 3, 5, 0, 0); /* a second one after the cancel */
    assert_violation("cancel-honored", 10);
}

static void progress_on(uint32_t thread, uint32_t hr)
{
    feed_event((struct event){
        .kind = EVENT_PROGRESS, .thread = thread, .hr = hr, .index = 1, .index_max = 1});
}

/* Several threads reporting at once: each learns of the cancel from its own
 * answer, and each may make one more call; a thread that goes on is flagged. */
static void test_cancel_per_thread(void **state)
{
    (void)state;
    good_start();
    progress_on(11, 0);
    for (uint32_t t = 11; t <= 14; t++) {
        progress_on(t, 0x80040113); /* calls under way on four threads, all cancelled */
    }
    for (uint32_t t = 11; t <= 14; t++) {
        progress_on(t, 0x80040113); /* one more each */
    }
    assert_int_equal(j.violation_count, 0);
    progress_on(12, 0x80040113); /* thread 12 goes on */
    feed(EVENT_DONE, 0x80040113, 0, 0, 0x44, 0);
    assert_int_equal(j.violation_count, 1);
    assert_violation("cancel-honored", 17);
    assert_non_null(strstr(j.violations[0].message, "on thread 12"));
}

#include "test_rules_callback.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests_name("rules-callback", tests, NULL, NULL);
}
