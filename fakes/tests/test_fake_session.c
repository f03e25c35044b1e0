/*
 * test_fake_session.c: the session answers QueryInterface as COM asks,
 * records refcounts, and records and refuses every method.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "capture.h"
#include "fake_iids.h"
#include "fake_session.h"

#include <mapicode.h>

static int setup(void **state)
{
    IMAPISession *session = NULL;

    capture_start();
    assert_int_equal(fake_session_create(&session), S_OK);
    *state = session;
    return 0;
}

static int teardown(void **state)
{
    fake_session_destroy(*state);
    return 0;
}

static void test_vtable_complete(void **state)
{
    IMAPISession *session = *state;
    void *const *slot = (void *const *)session->lpVtbl;

    /* 3 IUnknown + 19 MAPI_IMAPISESSION_METHODS. */
    assert_int_equal(sizeof(IMAPISessionVtbl) / sizeof(void *), 22);
    for (size_t i = 0; i < 22; i++) {
        assert_non_null(slot[i]);
    }
}

static void test_qi(void **state)
{
    IMAPISession *session = *state;
    void *p = NULL;

    assert_int_equal(session->lpVtbl->QueryInterface(session, &IID_IMAPISession, &p), S_OK);
    assert_ptr_equal(p, session);
    assert_int_equal(session->lpVtbl->QueryInterface(session, &IID_IUnknown, &p), S_OK);
    assert_ptr_equal(p, session);
    assert_int_equal(session->lpVtbl->QueryInterface(session, &IID_IMAPISup, &p), E_NOINTERFACE);
    assert_null(p);
    assert_int_equal(fake_session_refs(session), 3);
    assert_string_equal(capture_at(0)->text, "session {00020300-0000-0000-c000-000000000046}");
    assert_int_equal(capture_at(1)->kind, EVENT_ADDREF);
    assert_string_equal(capture_at(1)->text, "session");
    assert_int_equal(capture_at(1)->value, 2);
    assert_int_equal(capture_at(4)->hr, (uint32_t)E_NOINTERFACE);
}

static void test_methods_refused_and_recorded(void **state)
{
    IMAPISession *session = *state;
    LPMAPITABLE table = (LPMAPITABLE)(uintptr_t)1;
    LPMDB mdb = (LPMDB)(uintptr_t)1;
    const struct event *ev;

    assert_int_equal(session->lpVtbl->GetMsgStoresTable(session, 0, &table), MAPI_E_NO_SUPPORT);
    assert_null(table);
    assert_int_equal(session->lpVtbl->OpenMsgStore(session, 0, 0, NULL, NULL, 0, &mdb),
                     MAPI_E_NO_SUPPORT);
    assert_null(mdb);
    /* The last slot, to catch a vtable that is one short or out of order. */
    assert_int_equal(session->lpVtbl->PrepareForm(session, NULL, NULL, NULL), MAPI_E_NO_SUPPORT);

    ev = capture_at(0);
    assert_int_equal(ev->kind, EVENT_SESSION_CALL);
    assert_string_equal(ev->text, "GetMsgStoresTable");
    assert_int_equal(ev->hr, (uint32_t)MAPI_E_NO_SUPPORT);
    assert_string_equal(capture_at(1)->text, "OpenMsgStore");
    assert_string_equal(capture_at(2)->text, "PrepareForm");
}

static void test_refcounts(void **state)
{
    IMAPISession *session = *state;

    assert_int_equal(session->lpVtbl->AddRef(session), 2);
    assert_int_equal(session->lpVtbl->Release(session), 1);
    assert_int_equal(session->lpVtbl->Release(session), 0);
    assert_int_equal(fake_session_refs(session), 0);
    assert_int_equal(capture_at(2)->kind, EVENT_RELEASE);
    assert_int_equal(capture_at(2)->value, 0);
}

#include "test_fake_session.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
