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

/* Each case: how the two objects answer, what the check returns and says.
 * Either way both objects are left with the one reference they had. */
static void test_identities(void **state)
{
    static const struct {
        int sync_is_store;    /* sync answers with the store's IUnknown */
        HRESULT sync_hr;      /* what sync's QueryInterface returns */
        int store_gives_null; /* the store answers S_OK and NULL in *out */
        HRESULT hr;
        const char *detail;
        int exact; /* detail is all it says, not a part of it */
    } cases[] = {
        {1, S_OK, 0, S_OK, "share IUnknown 0x", 0},
        {0, S_OK, 0, E_FAIL, "COM requires one IUnknown per object", 0},
        {0, E_NOINTERFACE, 0, E_NOINTERFACE, "IMAPISync's QueryInterface(IID_IUnknown) failed", 1},
        {0, S_OK, 1, E_POINTER,
         "the store's QueryInterface(IID_IUnknown) returned success and NULL", 1},
    };
    struct obj store, sync;
    char detail[256];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        HRESULT hr;

        obj_init(&store, NULL, S_OK);
        if (cases[i].store_gives_null) {
            store.answer = NULL;
        }
        obj_init(&sync, cases[i].sync_is_store ? &store.iface : NULL, cases[i].sync_hr);
        hr = identity_check(&store.iface, &sync.iface, detail, sizeof detail);
        if (hr != cases[i].hr || (cases[i].exact ? strcmp(detail, cases[i].detail) != 0
                                                 : strstr(detail, cases[i].detail) == NULL)) {
            fail_msg("case %u: 0x%08lx \"%s\", not 0x%08lx \"%s\"", (unsigned)i, (unsigned long)hr,
                     detail, (unsigned long)cases[i].hr, cases[i].detail);
        }
        assert_int_equal(store.refs, 1);
        assert_int_equal(sync.refs, 1);
    }
}

#include "test_identity.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
