/*
 * test_fake_support.c: the support object hands out the fake allocators and
 * a profile section with a display name, answers the Logon-time calls with
 * success, and records and refuses everything else; every vtable slot is
 * filled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capture.h"
#include "fake_alloc.h"
#include "fake_iids.h"
#include "fake_profsect.h"
#include "fake_support.h"

#include <mapicode.h>
#include <mapitags.h>

static int setup(void **state)
{
    IMAPISupport *support = NULL;

    capture_start();
    fake_alloc_fail_from(0);
    assert_int_equal(fake_support_create(&support), S_OK);
    *state = support;
    return 0;
}

static int teardown(void **state)
{
    fake_support_destroy(*state);
    return 0;
}

/* Event i is a support call of method (its text is the method, then a
 * space and the arguments, or nothing more) answered hr. */
static void check_call_at(size_t i, const char *method, HRESULT hr, const char *file, int line)
{
    const struct event *ev = capture_at(i);
    size_t n = strlen(method);

    _assert_true(ev != NULL, "event exists", file, line);
    _assert_int_equal(ev->kind, EVENT_SUPPORT_CALL, file, line);
    _assert_true(ev->text != NULL && strncmp(ev->text, method, n) == 0 &&
                     (ev->text[n] == '\0' || ev->text[n] == ' '),
                 ev->text != NULL ? ev->text : "(null)", file, line);
    _assert_int_equal(ev->hr, (uint32_t)hr, file, line);
}
#define check_call(i, method, hr) check_call_at(i, method, hr, __FILE__, __LINE__)

/* Every slot of a vtable of n pointers is set. */
static void check_vtable_full(const void *vtbl, size_t size)
{
    void *const *slot = vtbl;

    for (size_t i = 0; i < size / sizeof(void *); i++) {
        assert_non_null(slot[i]);
    }
}

static void test_vtables_complete(void **state)
{
    IMAPISupport *support = *state;

    /* 3 IUnknown + 10 + 14 + 17 methods of MAPI_IMAPISUPPORT_METHODS1..3. */
    assert_int_equal(sizeof(IMAPISupportVtbl) / sizeof(void *), 44);
    check_vtable_full(support->lpVtbl, sizeof(IMAPISupportVtbl));
    /* 3 IUnknown + 11 IMAPIProp methods. */
    assert_int_equal(sizeof(IProfSectVtbl) / sizeof(void *), 14);
    check_vtable_full(fake_support_profsect(support)->lpVtbl, sizeof(IProfSectVtbl));
}

static void test_get_mem_alloc_routines(void **state)
{
    IMAPISupport *support = *state;
    LPALLOCATEBUFFER ab = NULL;
    LPALLOCATEMORE am = NULL;
    LPFREEBUFFER fb = NULL;

    assert_int_equal(support->lpVtbl->GetMemAllocRoutines(support, &ab, &am, &fb), S_OK);
    assert_ptr_equal(ab, fake_alloc_buffer);
    assert_ptr_equal(am, fake_alloc_more);
    assert_ptr_equal(fb, fake_free_buffer);
    assert_int_equal(support->lpVtbl->GetMemAllocRoutines(support, NULL, &am, NULL), S_OK);
    check_call(0, "GetMemAllocRoutines", S_OK);
    check_call(1, "GetMemAllocRoutines", S_OK);
}

static void test_profile_section_display_name(void **state)
{
    IMAPISupport *support = *state;
    SizedSPropTagArray(3, tags) = {3, {PR_DISPLAY_NAME_W, PR_DISPLAY_NAME_A, PR_SUBJECT_W}};
    LONG before = fake_alloc_outstanding();
    IProfSect *ps = NULL;
    SPropValue *vals = NULL;
    ULONG count = 0;

    assert_int_equal(support->lpVtbl->OpenProfileSection(support, NULL, 0, &ps), S_OK);
    assert_non_null(ps);
    assert_int_equal(fake_profsect_refs(ps), 1);
    check_call(0, "OpenProfileSection", S_OK);
    assert_int_equal(capture_at(1)->kind, EVENT_ADDREF);
    assert_string_equal(capture_at(1)->text, "profsect");

    assert_int_equal(ps->lpVtbl->GetProps(ps, (LPSPropTagArray)&tags, MAPI_UNICODE, &count, &vals),
                     MAPI_W_ERRORS_RETURNED);
    assert_int_equal(count, 3);
    assert_non_null(vals);
    assert_int_equal(vals[0].ulPropTag, PR_DISPLAY_NAME_W);
    assert_true(wcscmp(vals[0].Value.lpszW, L"synchost store") == 0);
    assert_int_equal(vals[1].ulPropTag, PR_DISPLAY_NAME_A);
    assert_string_equal(vals[1].Value.lpszA, FAKE_PROFSECT_DISPLAY_NAME);
    assert_int_equal(vals[2].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_SUBJECT_W)));
    assert_int_equal(vals[2].Value.err, MAPI_E_NOT_FOUND);
    /* One MAPI buffer (the strings are its children), from the fake allocator. */
    assert_int_equal(fake_alloc_outstanding(), before + 1);
    assert_int_equal(capture_last_of(EVENT_SUPPORT_CALL, 0)->hr, (uint32_t)MAPI_W_ERRORS_RETURNED);
    assert_string_equal(capture_last_of(EVENT_SUPPORT_CALL, 0)->text,
                        "profsect GetProps tags=0x3001001f,0x3001001e,0x0037001f flags=0x80000000");
    assert_int_equal(capture_count_of(EVENT_ALLOC, 0), 3);
    assert_int_equal(fake_free_buffer(vals), S_OK);
    assert_int_equal(fake_alloc_outstanding(), before);

    assert_int_equal(ps->lpVtbl->Release(ps), 0);
}

static void test_get_props_only_display_name(void **state)
{
    IMAPISupport *support = *state;
    SizedSPropTagArray(1, tags) = {1, {PR_DISPLAY_NAME_A}};
    IProfSect *ps = NULL;
    SPropValue *vals = NULL;
    ULONG count = 0;

    assert_int_equal(support->lpVtbl->OpenProfileSection(support, NULL, 0, &ps), S_OK);
    assert_int_equal(ps->lpVtbl->GetProps(ps, (LPSPropTagArray)&tags, 0, &count, &vals), S_OK);
    assert_int_equal(count, 1);
    assert_string_equal(vals[0].Value.lpszA, "synchost store");
    fake_free_buffer(vals);

    /* No tag array: all properties, string type by MAPI_UNICODE. */
    assert_int_equal(ps->lpVtbl->GetProps(ps, NULL, MAPI_UNICODE, &count, &vals), S_OK);
    assert_int_equal(count, 1);
    assert_int_equal(vals[0].ulPropTag, PR_DISPLAY_NAME_W);
    fake_free_buffer(vals);

    /* Bad arguments are refused, not followed. */
    assert_int_equal(ps->lpVtbl->GetProps(ps, NULL, 0, NULL, &vals), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(ps->lpVtbl->GetProps(ps, (LPSPropTagArray)(uintptr_t)0x20, 0, &count, &vals),
                     MAPI_E_INVALID_PARAMETER);
    ps->lpVtbl->Release(ps);
}

static void test_get_props_allocator_failure(void **state)
{
    IMAPISupport *support = *state;
    LONG before = fake_alloc_outstanding();
    IProfSect *ps = NULL;
    SPropValue *vals = NULL;
    ULONG count = 0;

    assert_int_equal(support->lpVtbl->OpenProfileSection(support, NULL, 0, &ps), S_OK);
    fake_alloc_fail_from(2); /* the array succeeds, the string fails */
    assert_int_equal(ps->lpVtbl->GetProps(ps, NULL, 0, &count, &vals), MAPI_E_NOT_ENOUGH_MEMORY);
    fake_alloc_fail_from(0);
    assert_null(vals);
    assert_int_equal(count, 0);
    assert_int_equal(fake_alloc_outstanding(), before);
    ps->lpVtbl->Release(ps);
}

static void test_profsect_other_methods(void **state)
{
    IMAPISupport *support = *state;
    LPSPropProblemArray problems = (LPSPropProblemArray)(uintptr_t)1;
    IProfSect *ps = NULL;
    void *p = (void *)(uintptr_t)1;

    assert_int_equal(support->lpVtbl->OpenProfileSection(support, NULL, 0, &ps), S_OK);
    assert_int_equal(ps->lpVtbl->DeleteProps(ps, NULL, &problems), MAPI_E_NO_SUPPORT);
    assert_null(problems);
    check_call(2, "profsect DeleteProps", MAPI_E_NO_SUPPORT);
    assert_int_equal(ps->lpVtbl->QueryInterface(ps, &IID_IProfSect, &p), S_OK);
    assert_ptr_equal(p, ps);
    assert_int_equal(ps->lpVtbl->QueryInterface(ps, &IID_IMAPISup, &p), E_NOINTERFACE);
    assert_null(p);
    assert_int_equal(fake_profsect_refs(ps), 2);
    ps->lpVtbl->Release(ps);
    ps->lpVtbl->Release(ps);
    /* Over-release is recorded; the section lives until the support goes. */
    assert_int_equal((LONG)ps->lpVtbl->Release(ps), -1);
}

static void test_unimplemented_method(void **state)
{
    IMAPISupport *support = *state;
    IUnknown *unk = (IUnknown *)(uintptr_t)1;
    ULONG type = 0;

    assert_int_equal(support->lpVtbl->OpenEntry(support, 0, NULL, NULL, 0, &type, &unk),
                     MAPI_E_NO_SUPPORT);
    assert_null(unk);
    check_call(0, "OpenEntry", MAPI_E_NO_SUPPORT);
    assert_int_equal(support->lpVtbl->SpoolerYield(support, 0), MAPI_E_NO_SUPPORT);
    check_call(1, "SpoolerYield", MAPI_E_NO_SUPPORT);
    /* The last slot, to catch a vtable that is one short or out of order. */
    assert_int_equal(support->lpVtbl->GetSvcConfigSupportObj(support, 0, NULL), MAPI_E_NO_SUPPORT);
    check_call(2, "GetSvcConfigSupportObj", MAPI_E_NO_SUPPORT);
}

static void test_logon_time_calls_succeed(void **state)
{
    IMAPISupport *support = *state;
    IMAPIAdviseSink *sink = (IMAPIAdviseSink *)(uintptr_t)0x10; /* never called */
    MAPIUID a, b;
    ULONG conn = 0, flags = 7;

    assert_int_equal(support->lpVtbl->NewUID(support, &a), S_OK);
    assert_int_equal(support->lpVtbl->NewUID(support, &b), S_OK);
    assert_memory_not_equal(&a, &b, sizeof a);
    assert_memory_equal(a.ab, "synchost", 8);
    assert_int_equal(support->lpVtbl->NewUID(support, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(support->lpVtbl->Subscribe(support, NULL, 0x4, 0, sink, &conn), S_OK);
    assert_true(conn != 0);
    assert_int_equal(support->lpVtbl->Unsubscribe(support, conn), S_OK);
    assert_int_equal(support->lpVtbl->Notify(support, NULL, 0, NULL, &flags), S_OK);
    assert_int_equal(flags, 0);
    assert_int_equal(support->lpVtbl->ModifyStatusRow(support, 0, NULL, 0), S_OK);
    check_call(0, "NewUID", S_OK);
    check_call(2, "NewUID", MAPI_E_INVALID_PARAMETER);
    check_call(3, "Subscribe", S_OK);
    check_call(4, "Unsubscribe", S_OK);
    check_call(5, "Notify", S_OK);
    check_call(6, "ModifyStatusRow", S_OK);
    assert_string_equal(capture_at(3)->text, "Subscribe mask=0x4 flags=0x0 sink=set connection=1");
    assert_int_equal(capture_at(1)->index, 2); /* the second NewUID */
}

static void test_qi_and_refcounts(void **state)
{
    IMAPISupport *support = *state;
    void *p = (void *)(uintptr_t)1;

    assert_int_equal(support->lpVtbl->QueryInterface(support, &IID_IMAPISup, &p), S_OK);
    assert_ptr_equal(p, support);
    assert_int_equal(support->lpVtbl->QueryInterface(support, &IID_IMAPISession, &p),
                     E_NOINTERFACE);
    assert_null(p);
    assert_int_equal(fake_support_refs(support), 2);
    assert_int_equal(support->lpVtbl->Release(support), 1);
    assert_int_equal(capture_at(0)->kind, EVENT_QI);
    assert_string_equal(capture_at(0)->text, "support {0002030f-0000-0000-c000-000000000046}");
    assert_int_equal(capture_at(1)->kind, EVENT_ADDREF);
    assert_string_equal(capture_at(1)->text, "support");
    assert_int_equal(capture_at(3)->kind, EVENT_RELEASE);
    assert_int_equal(capture_at(3)->value, 1);
}

#include "test_fake_support.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
