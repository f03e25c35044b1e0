/*
 * test_handover.c: a scenario's end says what the provider still holds of
 * what the host handed over (a reference beyond the host's, a Done still
 * due) and nothing when it holds nothing, so that only a holding provider's
 * worker is retired.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capture.h"
#include "fake_callback.h"
#include "fake_session.h"
#include "fake_support.h"
#include "handover.h"

static IMAPISyncProgressCallback *make_callback(void)
{
    IMAPISyncProgressCallback *cb = NULL;

    assert_int_equal(fake_callback_create(NULL, &cb), S_OK);
    return cb;
}

/* Balanced references and Done made: nothing is kept. */
static void test_nothing_kept(void **state)
{
    IMAPISyncProgressCallback *cb = make_callback();
    char what[256];

    (void)state;
    handover_begin();
    handover_call(1, cb, NULL, NULL, 1);
    cb->lpVtbl->AddRef(cb);
    cb->lpVtbl->Done(cb, NULL, S_OK);
    cb->lpVtbl->Release(cb);
    assert_int_equal(handover_kept(NULL, 0, what, sizeof what), 0);
    assert_string_equal(what, "");
    fake_callback_destroy(cb);
}

/* A callback still referenced is kept, and named with its call. */
static void test_callback_kept(void **state)
{
    IMAPISyncProgressCallback *first = make_callback(), *second = make_callback();
    char what[256];

    (void)state;
    handover_begin();
    handover_call(1, first, NULL, NULL, 0);
    handover_call(2, second, NULL, NULL, 0);
    second->lpVtbl->AddRef(second);
    assert_int_equal(handover_kept(NULL, 0, what, sizeof what), 1);
    assert_string_equal(what, "the callback of call 2 (1 reference beyond the host's)");
    second->lpVtbl->Release(second);
    assert_int_equal(handover_kept(NULL, 0, what, sizeof what), 0);
    fake_callback_destroy(first);
    fake_callback_destroy(second);
}

/* A Done still due is kept, except after a logoff during the sync. */
static void test_done_due(void **state)
{
    IMAPISyncProgressCallback *cb = make_callback();
    char what[256];

    (void)state;
    handover_begin();
    handover_call(1, cb, NULL, NULL, 1);
    assert_int_equal(handover_kept(NULL, 0, what, sizeof what), 1);
    assert_string_equal(what, "call 1's Done, not yet made");
    assert_int_equal(handover_kept(NULL, 1, what, sizeof what), 0);
    fake_callback_destroy(cb);
}

/* The session and the support object count too; a new scenario forgets
 * the last one's calls. */
static void test_session_support_and_begin(void **state)
{
    IMAPISyncProgressCallback *cb = make_callback();
    IMAPISession *session = NULL;
    IMAPISupport *support = NULL;
    char what[256];

    (void)state;
    assert_int_equal(fake_session_create(&session), S_OK);
    assert_int_equal(fake_support_create(&support), S_OK);
    handover_begin();
    handover_call(1, cb, NULL, session, 0);
    session->lpVtbl->AddRef(session);
    support->lpVtbl->AddRef(support);
    support->lpVtbl->AddRef(support);
    assert_int_equal(handover_kept(support, 0, what, sizeof what), 2);
    assert_string_equal(what, "the session of call 1 (1 reference beyond the host's), "
                              "the support object (2 references beyond the host's)");
    handover_begin();
    assert_int_equal(handover_kept(NULL, 0, what, sizeof what), 0);
    fake_session_destroy(session);
    fake_support_destroy(support);
    fake_callback_destroy(cb);
}

/* Past three, the rest is counted, and a short buffer is never overrun. */
static void test_many_kept(void **state)
{
    IMAPISyncProgressCallback *cb[5];
    char what[256], small[16];

    (void)state;
    handover_begin();
    for (uint32_t i = 0; i < 5; i++) {
        cb[i] = make_callback();
        cb[i]->lpVtbl->AddRef(cb[i]);
        handover_call(i + 1, cb[i], NULL, NULL, 0);
    }
    assert_int_equal(handover_kept(NULL, 0, what, sizeof what), 5);
    assert_non_null(strstr(what, "call 3 (1 reference beyond the host's), and 2 more"));
    assert_int_equal(handover_kept(NULL, 0, small, sizeof small), 5);
    assert_int_equal(strlen(small), sizeof small - 1);
    for (uint32_t i = 0; i < 5; i++) {
        fake_callback_destroy(cb[i]);
    }
}

static int setup(void **state)
{
    (void)state;
    capture_start();
    return 0;
}

#include "test_handover.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
