/*
 * identity.c: one IUnknown for the store and its IMAPISync (identity.h).
 *
 * Documented (COM, "Rules for implementing QueryInterface"): a query for
 * IID_IUnknown on any interface of one object returns the same pointer,
 * which is how a host tells whether two interfaces belong to one object.
 */
#include <stdio.h>

#include "identity.h"

/* QueryInterface(IID_IUnknown) on obj, named what: S_OK with *out set, or
 * the failure (said in detail). */
static HRESULT ask(IUnknown *obj, const char *what, IUnknown **out, char *detail, size_t cap)
{
    HRESULT hr;

    *out = NULL;
    hr = obj->lpVtbl->QueryInterface(obj, &IID_IUnknown, (void **)out);
    if (FAILED(hr)) {
        snprintf(detail, cap, "%s QueryInterface(IID_IUnknown) failed", what);
        *out = NULL;
        return hr;
    }
    if (*out == NULL) {
        snprintf(detail, cap, "%s QueryInterface(IID_IUnknown) returned success and NULL", what);
        return E_POINTER;
    }
    return S_OK;
}

HRESULT identity_check(IUnknown *store, IUnknown *sync, char *detail, size_t cap)
{
    IUnknown *a = NULL, *b = NULL;
    HRESULT hr = ask(store, "the store's", &a, detail, cap);

    if (SUCCEEDED(hr)) {
        hr = ask(sync, "IMAPISync's", &b, detail, cap);
    }
    if (SUCCEEDED(hr) && a != b) {
        snprintf(detail, cap,
                 "the store answers IID_IUnknown with 0x%llx, its IMAPISync with 0x%llx: COM "
                 "requires one IUnknown per object",
                 (unsigned long long)(UINT_PTR)a, (unsigned long long)(UINT_PTR)b);
        hr = E_FAIL;
    } else if (SUCCEEDED(hr)) {
        snprintf(detail, cap, "the store and its IMAPISync share IUnknown 0x%llx",
                 (unsigned long long)(UINT_PTR)a);
    }
    if (a != NULL) {
        a->lpVtbl->Release(a);
    }
    if (b != NULL) {
        b->lpVtbl->Release(b);
    }
    return hr;
}
