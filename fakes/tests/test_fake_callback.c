/*
 * test_fake_callback.c: the progress callback answers QueryInterface as COM
 * asks, records refcounts without ever freeing itself, reads every kind of
 * provider string safely, and answers as scripted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capture.h"
#include "fake_callback.h"
#include "fake_iids.h"

#include <mapicode.h>

#define IID_IUNKNOWN_TEXT "{00000000-0000-0000-c000-000000000046}"
#define IID_CALLBACK_TEXT "{5024a386-2d44-486a-81a8-8f0ecb6071dd}"
#define IID_SYNC_TEXT "{5024a385-2d44-486a-81a8-8f0ecb6071dd}"

static IMAPISyncProgressCallback *make(const struct fake_callback_config *cfg)
{
    IMAPISyncProgressCallback *cb = NULL;

    assert_int_equal(fake_callback_create(cfg, &cb), S_OK);
    assert_non_null(cb);
    return cb;
}

static int setup(void **state)
{
    capture_start();
    *state = make(NULL);
    return 0;
}

static int teardown(void **state)
{
    fake_callback_destroy(*state);
    return 0;
}

/* Checks the event at index i: kind, hr and text (NULL for none). */
static void check_event_at(size_t i, enum event_kind kind, uint32_t hr, const char *text,
                           const char *file, int line)
{
    const struct event *ev = capture_at(i);

    _assert_true(ev != NULL, "event exists", file, line);
    _assert_int_equal(ev->kind, kind, file, line);
    _assert_int_equal(ev->hr, hr, file, line);
    if (text == NULL) {
        _assert_true(ev->text == NULL, "no text", file, line);
    } else {
        _assert_true(ev->text != NULL, "has text", file, line);
        _assert_string_equal(ev->text, text, file, line);
    }
}
#define check_event(i, kind, hr, text) check_event_at(i, kind, hr, text, __FILE__, __LINE__)

static void test_qi_hits(void **state)
{
    IMAPISyncProgressCallback *cb = *state;
    void *p = NULL;

    assert_int_equal(cb->lpVtbl->QueryInterface(cb, &IID_IUnknown, &p), S_OK);
    assert_ptr_equal(p, cb);
    assert_int_equal(fake_callback_refs(cb), 2);
    p = NULL;
    assert_int_equal(cb->lpVtbl->QueryInterface(cb, &IID_IMAPISyncProgressCallback, &p), S_OK);
    assert_ptr_equal(p, cb);
    assert_int_equal(fake_callback_refs(cb), 3);

    assert_int_equal(capture_count(), 4);
    check_event(0, EVENT_QI, S_OK, "callback " IID_IUNKNOWN_TEXT);
    check_event(1, EVENT_ADDREF, 0, "callback");
    assert_int_equal(capture_at(1)->value, 2);
    check_event(2, EVENT_QI, S_OK, "callback " IID_CALLBACK_TEXT);
    check_event(3, EVENT_ADDREF, 0, "callback");
    assert_int_equal(capture_at(3)->value, 3);
}

static void test_qi_misses(void **state)
{
    IMAPISyncProgressCallback *cb = *state;
    void *p = (void *)(uintptr_t)0x1234;

    assert_int_equal(cb->lpVtbl->QueryInterface(cb, &IID_IMAPISync, &p), E_NOINTERFACE);
    assert_null(p);
    assert_int_equal(fake_callback_refs(cb), 1);
    assert_int_equal(cb->lpVtbl->QueryInterface(cb, &IID_IUnknown, NULL), E_POINTER);
    assert_int_equal(fake_callback_refs(cb), 1);

    assert_int_equal(capture_count(), 2);
    check_event(0, EVENT_QI, (uint32_t)E_NOINTERFACE, "callback " IID_SYNC_TEXT);
    check_event(1, EVENT_QI, (uint32_t)E_POINTER, "callback " IID_IUNKNOWN_TEXT);
}

static void test_refcounts_recorded_never_freed(void **state)
{
    IMAPISyncProgressCallback *cb = *state;

    assert_int_equal(cb->lpVtbl->AddRef(cb), 2);
    assert_int_equal(cb->lpVtbl->Release(cb), 1);
    assert_int_equal(cb->lpVtbl->Release(cb), 0);
    /* Over-release: recorded, and the object is still there to record it. */
    assert_int_equal((LONG)cb->lpVtbl->Release(cb), -1);
    assert_int_equal(fake_callback_refs(cb), -1);
    assert_int_equal(cb->lpVtbl->Progress(cb, NULL, 0, 0), S_OK);

    assert_int_equal(capture_count(), 5);
    check_event(0, EVENT_ADDREF, 0, "callback");
    assert_int_equal(capture_at(0)->value, 2);
    check_event(1, EVENT_RELEASE, 0, "callback");
    assert_int_equal(capture_at(1)->value, 1);
    check_event(2, EVENT_RELEASE, 0, "callback");
    assert_int_equal(capture_at(2)->value, 0);
    check_event(3, EVENT_RELEASE, 0, "callback");
    assert_int_equal((int64_t)capture_at(3)->value, -1);
    check_event(4, EVENT_PROGRESS, 0, NULL);
}

static void test_progress_null_string(void **state)
{
    IMAPISyncProgressCallback *cb = *state;
    const struct event *ev;

    assert_int_equal(cb->lpVtbl->Progress(cb, NULL, 3, 7), S_OK);
    ev = capture_at(0);
    assert_non_null(ev);
    assert_int_equal(ev->kind, EVENT_PROGRESS);
    assert_int_equal(ev->index, 3);
    assert_int_equal(ev->index_max, 7);
    assert_int_equal(ev->text_state, TEXT_NULL);
    assert_null(ev->text);
    assert_int_equal(ev->thread, GetCurrentThreadId());
}

static void test_progress_valid_string(void **state)
{
    IMAPISyncProgressCallback *cb = *state;
    const struct event *ev;

    assert_int_equal(cb->lpVtbl->Progress(cb, L"Syncing Inbox \x00e9\x20ac", 1, 2), S_OK);
    ev = capture_at(0);
    assert_int_equal(ev->text_state, TEXT_OK);
    assert_string_equal(ev->text, "Syncing Inbox \xc3\xa9\xe2\x82\xac");
    assert_int_equal(ev->index, 1);
    assert_int_equal(ev->index_max, 2);
}

static void test_progress_unreadable_pointer(void **state)
{
    IMAPISyncProgressCallback *cb = *state;
    const struct event *ev;

    assert_int_equal(cb->lpVtbl->Progress(cb, (const WCHAR *)(uintptr_t)0x10, 0, 1), S_OK);
    ev = capture_at(0);
    assert_int_equal(ev->text_state, TEXT_UNREADABLE);
    assert_null(ev->text);
}

#define progress_letters(cb_, buf_, n_) progress_letters_at(cb_, buf_, n_, __FILE__, __LINE__)

/* Progress (index 0 of 1) with buf's first n units the letters a to z over
 * and over, what follows them the caller's; asserts S_OK and returns its
 * event. */
static const struct event *progress_letters_at(IMAPISyncProgressCallback *cb, WCHAR *buf, size_t n,
                                               const char *file, int line)
{
    for (size_t i = 0; i < n; i++) {
        buf[i] = (WCHAR)('a' + i % 26);
    }
    _assert_int_equal(cast_to_largest_integral_type(cb->lpVtbl->Progress(cb, buf, 0, 1)),
                      cast_to_largest_integral_type(S_OK), file, line);
    return capture_at(0);
}

static void test_progress_unterminated(void **state)
{
    /* No NUL within the 65536 units the host looks at. */
    static WCHAR buf[65537];
    const struct event *ev = progress_letters(*state, buf, 65537);

    assert_int_equal(ev->text_state, TEXT_TOO_LONG);
    assert_int_equal(strlen(ev->text), 1024);
    for (size_t i = 0; i < 1024; i++) {
        assert_int_equal(ev->text[i], 'a' + i % 26);
    }
}

/* A terminated text past 1024 units is long, not unterminated: its first
 * 1024 units are recorded and its length is told. */
static void test_progress_long_terminated(void **state)
{
    static WCHAR buf[2001]; /* buf[2000] stays 0 */
    const struct event *ev = progress_letters(*state, buf, 2000);

    assert_int_equal(ev->text_state, TEXT_LONG);
    assert_int_equal(ev->value, 2000);
    assert_int_equal(strlen(ev->text), 1024);
}

static void test_progress_lone_high_surrogate(void **state)
{
    IMAPISyncProgressCallback *cb = *state;
    static const WCHAR s[] = {'o', 'k', 0xd801, '!', 0};
    const struct event *ev;

    assert_int_equal(cb->lpVtbl->Progress(cb, s, 0, 1), S_OK);
    ev = capture_at(0);
    assert_int_equal(ev->text_state, TEXT_ILL_FORMED);
    assert_string_equal(ev->text, "ok\xef\xbf\xbd!");
}

static void test_progress_cancel_from_third_call(void **state)
{
    struct fake_callback_config cfg = {0};
    IMAPISyncProgressCallback *cb;

    (void)state;
    cfg.progress_returns[0].from_call = 3;
    cfg.progress_returns[0].hresult = MAPI_E_USER_CANCEL;
    cfg.progress_return_count = 1;
    cb = make(&cfg);
    assert_int_equal(cb->lpVtbl->Progress(cb, L"1", 1, 4), S_OK);
    assert_int_equal(cb->lpVtbl->Progress(cb, L"2", 2, 4), S_OK);
    assert_int_equal(cb->lpVtbl->Progress(cb, L"3", 3, 4), MAPI_E_USER_CANCEL);
    assert_int_equal(cb->lpVtbl->Progress(cb, L"4", 4, 4), MAPI_E_USER_CANCEL);
    assert_int_equal(fake_callback_progress_calls(cb), 4);
    check_event(0, EVENT_PROGRESS, S_OK, "1");
    check_event(1, EVENT_PROGRESS, S_OK, "2");
    check_event(2, EVENT_PROGRESS, (uint32_t)MAPI_E_USER_CANCEL, "3");
    check_event(3, EVENT_PROGRESS, (uint32_t)MAPI_E_USER_CANCEL, "4");
    fake_callback_destroy(cb);
}

static void test_progress_script_unsorted(void **state)
{
    struct fake_callback_config cfg = {0};
    IMAPISyncProgressCallback *cb;

    (void)state;
    cfg.progress_returns[0].from_call = 4;
    cfg.progress_returns[0].hresult = S_OK;
    cfg.progress_returns[1].from_call = 2;
    cfg.progress_returns[1].hresult = E_FAIL;
    cfg.progress_return_count = 2;
    cb = make(&cfg);
    assert_int_equal(cb->lpVtbl->Progress(cb, NULL, 0, 0), S_OK);
    assert_int_equal(cb->lpVtbl->Progress(cb, NULL, 0, 0), E_FAIL);
    assert_int_equal(cb->lpVtbl->Progress(cb, NULL, 0, 0), E_FAIL);
    assert_int_equal(cb->lpVtbl->Progress(cb, NULL, 0, 0), S_OK);
    assert_int_equal(cb->lpVtbl->Progress(cb, NULL, 0, 0), S_OK);
    fake_callback_destroy(cb);
}

static void test_error_and_done_recorded(void **state)
{
    struct fake_callback_config cfg = {0};
    IMAPISyncProgressCallback *cb;
    const struct event *ev;

    (void)state;
    cfg.error_returns = E_ABORT;
    cfg.done_returns = S_FALSE;
    cb = make(&cfg);
    assert_int_equal(cb->lpVtbl->Error(cb, MAPI_E_NETWORK_ERROR, L"server gone"), E_ABORT);
    assert_int_equal(cb->lpVtbl->Error(cb, MAPI_W_ERRORS_RETURNED, NULL), E_ABORT);
    assert_int_equal(cb->lpVtbl->Done(cb, (HANDLE)(uintptr_t)0xabc4, MAPI_E_USER_CANCEL), S_FALSE);
    assert_int_equal(fake_callback_error_calls(cb), 2);
    assert_int_equal(fake_callback_done_calls(cb), 1);

    ev = capture_at(0);
    assert_int_equal(ev->kind, EVENT_ERROR);
    assert_int_equal(ev->hr, (uint32_t)MAPI_E_NETWORK_ERROR);
    assert_int_equal(ev->text_state, TEXT_OK);
    assert_string_equal(ev->text, "server gone");
    ev = capture_at(1);
    assert_int_equal(ev->kind, EVENT_ERROR);
    assert_int_equal(ev->hr, (uint32_t)MAPI_W_ERRORS_RETURNED);
    assert_int_equal(ev->text_state, TEXT_NULL);
    ev = capture_at(2);
    assert_int_equal(ev->kind, EVENT_DONE);
    assert_int_equal(ev->handle, 0xabc4);
    assert_int_equal(ev->hr, (uint32_t)MAPI_E_USER_CANCEL);
    fake_callback_destroy(cb);
}

static void test_defaults_answer_s_ok(void **state)
{
    IMAPISyncProgressCallback *cb = *state;

    assert_int_equal(cb->lpVtbl->Error(cb, E_FAIL, L"x"), S_OK);
    assert_int_equal(cb->lpVtbl->Done(cb, NULL, S_OK), S_OK);
    assert_int_equal(capture_at(1)->handle, 0);
}

static void test_create_rejects_null_out(void **state)
{
    (void)state;
    assert_int_equal(fake_callback_create(NULL, NULL), E_POINTER);
    fake_callback_destroy(NULL);
}

#include "test_fake_callback.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
