/*
 * test_fake_faults.c: host.faults in the fakes. Each service's calls are
 * counted from 1 after fake_faults_set; the calls the list names answer its
 * HRESULT (allocators NULL) and are marked in the trace; the others behave as
 * usual; the host's own allocations are not the provider's calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capture.h"
#include "fake_alloc.h"
#include "fake_faults.h"
#include "fake_profsect.h"
#include "fake_session.h"
#include "fake_support.h"

#include <mapicode.h>
#include <mapitags.h>

static int setup(void **state)
{
    IMAPISupport *support = NULL;

    capture_start();
    fake_alloc_fail_from(0);
    fake_faults_set(NULL, 0);
    assert_int_equal(fake_support_create(&support), S_OK);
    *state = support;
    return 0;
}

static int teardown(void **state)
{
    fake_faults_set(NULL, 0);
    fake_support_destroy(*state);
    return 0;
}

static void set_one(enum fault_service svc, uint32_t from, uint32_t to, uint32_t hr)
{
    struct fault_spec f = {(uint32_t)svc, from, to, hr};

    fake_faults_set(&f, 1);
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);

    return n >= m && strcmp(s + n - m, tail) == 0;
}

static void test_allocate_buffer_nth(void **state)
{
    LONG before = fake_alloc_outstanding();
    void *a = NULL, *b = (void *)(uintptr_t)1, *c = NULL;
    const struct event *ev;

    (void)state;
    set_one(FAULT_SVC_MAPI_ALLOCATE_BUFFER, 2, 2, FAULT_HR_NOT_ENOUGH_MEMORY);
    assert_int_equal(fake_alloc_buffer(8, &a), S_OK);
    assert_int_equal(fake_alloc_buffer(8, &b), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(b);
    assert_int_equal(fake_alloc_buffer(8, &c), S_OK);
    assert_int_equal(fake_fault_calls(FAULT_SVC_MAPI_ALLOCATE_BUFFER), 3);
    assert_int_equal(fake_alloc_outstanding(), before + 2);
    ev = capture_at(1);
    assert_int_equal(ev->kind, EVENT_ALLOC);
    assert_int_equal(ev->step, 1);
    assert_int_equal(ev->index, 2);
    assert_int_equal(ev->handle, 0);
    assert_int_equal(ev->hr, (uint32_t)MAPI_E_NOT_ENOUGH_MEMORY);
    assert_true(ends_with(ev->text, " (fault injected)"));
    assert_int_equal(capture_at(2)->step, 0);
    assert_int_equal(capture_at(2)->index, 3);
    fake_free_buffer(a);
    fake_free_buffer(c);
    assert_int_equal(fake_alloc_outstanding(), before);
}

static void test_allocate_more_and_free(void **state)
{
    LONG before = fake_alloc_outstanding();
    void *root = NULL, *child = (void *)(uintptr_t)1;

    (void)state;
    set_one(FAULT_SVC_MAPI_ALLOCATE_MORE, 1, FAULT_TO_END, 0x80040001u);
    assert_int_equal(fake_alloc_buffer(8, &root), S_OK);
    assert_int_equal((uint32_t)(fake_alloc_more(8, root, &child)), 0x80040001u);
    assert_null(child);
    /* A failing free answers its fault and frees all the same. */
    set_one(FAULT_SVC_MAPI_FREE_BUFFER, 1, 1, FAULT_HR_CALL_FAILED);
    assert_int_equal((uint32_t)(fake_free_buffer(root)), (ULONG)FAULT_HR_CALL_FAILED);
    assert_int_equal(fake_alloc_outstanding(), before);
    assert_int_equal(capture_last_of(EVENT_FREE, 0)->step, 1);
    assert_int_equal(capture_last_of(EVENT_FREE, 0)->value, 1);
}

static void test_imalloc(void **state)
{
    IMalloc *m = fake_malloc_get();
    struct fault_spec f[3] = {
        {FAULT_SVC_MALLOC_ALLOC, 1, 1, FAULT_HR_NOT_ENOUGH_MEMORY},
        {FAULT_SVC_MALLOC_REALLOC, 1, 1, FAULT_HR_NOT_ENOUGH_MEMORY},
        {FAULT_SVC_MALLOC_DID_ALLOC, 1, 1, FAULT_HR_CALL_FAILED},
    };
    void *p;

    (void)state;
    fake_faults_set(f, 3);
    assert_null(m->lpVtbl->Alloc(m, 16));
    p = m->lpVtbl->Alloc(m, 16);
    assert_non_null(p);
    memset(p, 5, 16);
    assert_null(m->lpVtbl->Realloc(m, p, 64));
    assert_int_equal(((unsigned char *)p)[15], 5); /* left as it was */
    assert_int_equal(m->lpVtbl->DidAlloc(m, p), -1);
    assert_int_equal(m->lpVtbl->DidAlloc(m, p), 1);
    m->lpVtbl->Free(m, p);
    assert_string_equal(capture_at(0)->text, "malloc Alloc cb=16 (fault injected)");
    assert_int_equal(capture_at(0)->step, 1);
}

static void test_support_method_fault(void **state)
{
    IMAPISupport *support = *state;
    IProfSect *ps = (IProfSect *)(uintptr_t)1;
    IUnknown *unk = (IUnknown *)(uintptr_t)1;
    ULONG type = 0;

    set_one(FAULT_SVC_SUP_OPEN_PROFILE_SECTION, 1, 1, 0x8004010Fu);
    assert_int_equal((uint32_t)(support->lpVtbl->OpenProfileSection(support, NULL, 0, &ps)),
                     0x8004010Fu);
    assert_null(ps);
    assert_int_equal(fake_profsect_refs(fake_support_profsect(support)), 0);
    assert_string_equal(capture_at(0)->text,
                        "OpenProfileSection uid=null flags=0x0 (fault injected)");
    assert_int_equal(support->lpVtbl->OpenProfileSection(support, NULL, 0, &ps), S_OK);
    assert_int_equal(capture_at(1)->index, 2);
    assert_int_equal(capture_at(1)->step, 0);
    ps->lpVtbl->Release(ps);

    /* An unsupported method answers the fault instead of MAPI_E_NO_SUPPORT. */
    set_one(FAULT_SVC_SUP_OPEN_ENTRY, 1, FAULT_TO_END, FAULT_HR_CALL_FAILED);
    assert_int_equal((uint32_t)(support->lpVtbl->OpenEntry(support, 0, NULL, NULL, 0, &type, &unk)),
                     FAULT_HR_CALL_FAILED);
    assert_null(unk);
    assert_string_equal(capture_last_of(EVENT_SUPPORT_CALL, 0)->text, "OpenEntry (fault injected)");
}

/* fake_faults_set starts every count again. */
static void test_counts_reset(void **state)
{
    IMAPISupport *support = *state;
    MAPIUID uid;

    set_one(FAULT_SVC_SUP_NEW_UID, 2, 2, FAULT_HR_CALL_FAILED);
    assert_int_equal(support->lpVtbl->NewUID(support, &uid), S_OK);
    set_one(FAULT_SVC_SUP_NEW_UID, 2, 2, FAULT_HR_CALL_FAILED);
    assert_int_equal(support->lpVtbl->NewUID(support, &uid), S_OK);
    assert_int_equal((uint32_t)(support->lpVtbl->NewUID(support, &uid)), FAULT_HR_CALL_FAILED);
    assert_int_equal(fake_fault_calls(FAULT_SVC_SUP_NEW_UID), 2);
}

/* The host's own allocation for GetProps is not the provider's
 * MAPIAllocateBuffer call: a fault on that service does not reach it. */
static void test_host_allocations_not_counted(void **state)
{
    IMAPISupport *support = *state;
    IProfSect *ps = NULL;
    SPropValue *vals = NULL;
    ULONG count = 0;

    set_one(FAULT_SVC_MAPI_ALLOCATE_BUFFER, 1, FAULT_TO_END, FAULT_HR_NOT_ENOUGH_MEMORY);
    assert_int_equal(support->lpVtbl->OpenProfileSection(support, NULL, 0, &ps), S_OK);
    assert_int_equal(ps->lpVtbl->GetProps(ps, NULL, 0, &count, &vals), S_OK);
    assert_int_equal(fake_fault_calls(FAULT_SVC_MAPI_ALLOCATE_BUFFER), 0);
    assert_string_equal(capture_at(2)->text, "MAPIAllocateBuffer by host for profsect GetProps");
    fake_free_buffer(vals);

    set_one(FAULT_SVC_PS_GET_PROPS, 1, 1, FAULT_HR_CALL_FAILED);
    vals = (SPropValue *)(uintptr_t)1;
    assert_int_equal((uint32_t)(ps->lpVtbl->GetProps(ps, NULL, 0, &count, &vals)),
                     FAULT_HR_CALL_FAILED);
    assert_null(vals);
    assert_int_equal(count, 0);
    ps->lpVtbl->Release(ps);
}

static void test_session(void **state)
{
    IMAPISupport *support = *state;
    IMAPIAdviseSink *sink = (IMAPIAdviseSink *)(uintptr_t)0x10; /* never called */
    IMAPISession *session = NULL;
    IProfSect *ps = NULL;
    ULONG conn = 0;

    assert_int_equal(fake_session_create(&session), S_OK);
    assert_int_equal(session->lpVtbl->OpenProfileSection(session, NULL, NULL, 0, &ps),
                     MAPI_E_NOT_FOUND);
    fake_session_set_profsect(session, fake_support_profsect(support));
    assert_int_equal(session->lpVtbl->OpenProfileSection(session, NULL, NULL, 0, &ps), S_OK);
    assert_ptr_equal(ps, fake_support_profsect(support));
    ps->lpVtbl->Release(ps);
    set_one(FAULT_SVC_SES_ADVISE, 2, 2, FAULT_HR_CALL_FAILED);
    assert_int_equal(session->lpVtbl->Advise(session, 0, NULL, 1, sink, &conn), S_OK);
    assert_int_equal(conn, 1);
    assert_int_equal((uint32_t)(session->lpVtbl->Advise(session, 0, NULL, 1, sink, &conn)),
                     FAULT_HR_CALL_FAILED);
    assert_int_equal(conn, 0);
    assert_int_equal(capture_last_of(EVENT_SESSION_CALL, 0)->step, 1);
    assert_int_equal(session->lpVtbl->Unadvise(session, 1), S_OK);
    fake_session_destroy(session);
}

static void test_profile_properties(void **state)
{
    IMAPISupport *support = *state;
    struct profile_prop props[4];
    SizedSPropTagArray(6, tags) = {6,
                                   {PR_DISPLAY_NAME_A, PR_DISPLAY_NAME_W, PR_RESOURCE_FLAGS,
                                    PR_PROVIDER_UID, PR_DEFAULT_STORE, PR_PROVIDER_DISPLAY_W}};
    LPSPropTagArray list = NULL;
    IProfSect *ps = NULL;
    SPropValue *v = NULL;
    ULONG count = 0;

    memset(props, 0, sizeof props);
    props[0].tag = PR_DISPLAY_NAME_W;
    props[0].len = 6;
    memcpy(props[0].data, "caf\xc3\xa9!", 6); /* UTF-8 */
    props[1].tag = PR_RESOURCE_FLAGS;
    props[1].number = 0x40;
    props[2].tag = PR_PROVIDER_UID;
    props[2].len = 3;
    memcpy(props[2].data, "\x00\x01\x02", 3);
    props[3].tag = PR_DEFAULT_STORE;
    props[3].number = 1;
    fake_profsect_set(fake_support_profsect(support), props, 4);
    assert_int_equal(support->lpVtbl->OpenProfileSection(support, NULL, 0, &ps), S_OK);
    assert_int_equal(ps->lpVtbl->GetProps(ps, (LPSPropTagArray)&tags, 0, &count, &v),
                     MAPI_W_ERRORS_RETURNED);
    assert_int_equal(count, 6);
    assert_int_equal(v[0].ulPropTag, PR_DISPLAY_NAME_A);
    assert_int_equal(strlen(v[0].Value.lpszA), 5); /* one byte per character in the ANSI page */
    assert_true(wcscmp(v[1].Value.lpszW, L"caf\x00e9!") == 0);
    assert_int_equal(v[2].Value.l, 0x40);
    assert_int_equal(v[3].Value.bin.cb, 3);
    assert_memory_equal(v[3].Value.bin.lpb, "\x00\x01\x02", 3);
    assert_int_equal(v[4].Value.b, 1);
    assert_int_equal(v[5].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_PROVIDER_DISPLAY_W)));
    fake_free_buffer(v);

    /* Asked in another type than it is held: not found. */
    SizedSPropTagArray(1, wrong) = {1, {PROP_TAG(PT_BINARY, PROP_ID(PR_RESOURCE_FLAGS))}};
    assert_int_equal(ps->lpVtbl->GetProps(ps, (LPSPropTagArray)&wrong, 0, &count, &v),
                     MAPI_W_ERRORS_RETURNED);
    fake_free_buffer(v);

    assert_int_equal(ps->lpVtbl->GetPropList(ps, MAPI_UNICODE, &list), S_OK);
    assert_int_equal(list->cValues, 4);
    assert_int_equal(list->aulPropTag[0], PR_DISPLAY_NAME_W);
    assert_int_equal(list->aulPropTag[2], PR_PROVIDER_UID);
    fake_free_buffer(list);

    /* An empty profile: every property is missing. */
    fake_profsect_set(ps, NULL, 0);
    assert_int_equal(ps->lpVtbl->GetProps(ps, (LPSPropTagArray)&tags, 0, &count, &v),
                     MAPI_W_ERRORS_RETURNED);
    assert_int_equal(v[0].ulPropTag, PROP_TAG(PT_ERROR, PROP_ID(PR_DISPLAY_NAME)));
    fake_free_buffer(v);
    ps->lpVtbl->Release(ps);
}

static void test_wrap_and_provider_uid(void **state)
{
    IMAPISupport *support = *state;
    LONG before = fake_alloc_outstanding();
    BYTE eid[6] = {1, 2, 3, 4, 5, 6};
    LPENTRYID wrapped = NULL;
    ULONG cb = 0;
    MAPIUID uid;

    assert_int_equal(support->lpVtbl->WrapStoreEntryID(support, 6, (LPENTRYID)eid, &cb, &wrapped),
                     S_OK);
    assert_int_equal(cb, 26);
    assert_memory_equal((BYTE *)wrapped + 20, eid, 6);
    assert_int_equal(fake_alloc_outstanding(), before + 1);
    fake_free_buffer(wrapped);
    assert_int_equal(support->lpVtbl->WrapStoreEntryID(support, 0, NULL, &cb, &wrapped),
                     MAPI_E_INVALID_PARAMETER);
    assert_null(wrapped);
    memset(uid.ab, 0xab, sizeof uid.ab);
    assert_int_equal(support->lpVtbl->SetProviderUID(support, &uid, 0), S_OK);
    assert_string_equal(capture_last_of(EVENT_SUPPORT_CALL, 0)->text,
                        "SetProviderUID uid=abababababababababababababababab flags=0x0");
    assert_int_equal(support->lpVtbl->SpoolerNotify(support, 1, NULL), S_OK);
    assert_int_equal(support->lpVtbl->ModifyProfile(support, 0), S_OK);
    assert_int_equal(support->lpVtbl->MakeInvalid(support, 0, &uid, 1, 3), S_OK);
}

#include "test_fake_faults.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
