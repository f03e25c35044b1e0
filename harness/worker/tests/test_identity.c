/*
 * test_identity.c: probe's IUnknown identity check on small COM objects:
 * one object with two interfaces passes; two objects, a failing
 * QueryInterface and a success with NULL each fail with their HRESULT; what
 * the check was given is released as it was before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <windows.h>

#include "identity.h"

/* An object whose QueryInterface(IID_IUnknown) answers as told. */
struct obj {
    IUnknown iface;
    LONG refs;
    IUnknown *answer; /* what IID_IUnknown gives (AddRef'd), or NULL */
    HRESULT hr;       /* what QueryInterface returns */
};

static struct obj *impl(IUnknown *iface)
{
    return CONTAINING_RECORD(iface, struct obj, iface);
}

static HRESULT STDMETHODCALLTYPE obj_QueryInterface(IUnknown *iface, REFIID riid, void **out)
{
    struct obj *o = impl(iface);

    *out = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown)) {
        return E_NOINTERFACE;
    }
    if (SUCCEEDED(o->hr) && o->answer != NULL) {
        o->answer->lpVtbl->AddRef(o->answer);
        *out = o->answer;
    }
    return o->hr;
}

static ULONG STDMETHODCALLTYPE obj_AddRef(IUnknown *iface)
{
    return (ULONG)InterlockedIncrement(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE obj_Release(IUnknown *iface)
{
    return (ULONG)InterlockedDecrement(&impl(iface)->refs);
}

static IUnknownVtbl obj_vtbl = {obj_QueryInterface, obj_AddRef, obj_Release};

static void obj_init(struct obj *o, IUnknown *answer, HRESULT hr)
{
    o->iface.lpVtbl = &obj_vtbl;
    o->refs = 1;
    o->answer = answer != NULL ? answer : &o->iface; /* NULL: itself */
    o->hr = hr;
}

static void test_one_identity(void **state)
{
    struct obj store, sync;
    char detail[256];

    (void)state;
    obj_init(&store, NULL, S_OK);
    obj_init(&sync, &store.iface, S_OK); /* IMAPISync of the same object */
    assert_int_equal(identity_check(&store.iface, &sync.iface, detail, sizeof detail), S_OK);
    assert_non_null(strstr(detail, "share IUnknown 0x"));
    assert_int_equal(store.refs, 1);
    assert_int_equal(sync.refs, 1);
}

static void test_two_identities(void **state)
{
    struct obj store, sync;
    char detail[256];

    (void)state;
    obj_init(&store, NULL, S_OK);
    obj_init(&sync, NULL, S_OK); /* answers with itself: another object */
    assert_int_equal(identity_check(&store.iface, &sync.iface, detail, sizeof detail), E_FAIL);
    assert_non_null(strstr(detail, "COM requires one IUnknown per object"));
    assert_int_equal(store.refs, 1);
    assert_int_equal(sync.refs, 1);
}

static void test_failing_query(void **state)
{
    struct obj store, sync;
    char detail[256];

    (void)state;
    obj_init(&store, NULL, S_OK);
    obj_init(&sync, NULL, E_NOINTERFACE);
    assert_int_equal(identity_check(&store.iface, &sync.iface, detail, sizeof detail),
                     E_NOINTERFACE);
    assert_string_equal(detail, "IMAPISync's QueryInterface(IID_IUnknown) failed");
    assert_int_equal(store.refs, 1);
    obj_init(&store, NULL, S_OK);
    store.answer = NULL; /* S_OK, and NULL in *out */
    obj_init(&sync, NULL, S_OK);
    assert_int_equal(identity_check(&store.iface, &sync.iface, detail, sizeof detail), E_POINTER);
    assert_string_equal(detail, "the store's QueryInterface(IID_IUnknown) returned success and "
                                "NULL");
    assert_int_equal(sync.refs, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_identity),
        cmocka_unit_test(test_two_identities),
        cmocka_unit_test(test_failing_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
