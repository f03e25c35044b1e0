/*
 * fake_profsect.c: a profile section with one property (see
 * fake_profsect.h). IMAPIProp semantics from the Outlook MAPI reference
 * ("IMAPIProp::GetProps"): PT_ERROR entries with MAPI_W_ERRORS_RETURNED for
 * properties that are not there, the array from MAPIAllocateBuffer.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <mapicode.h>
#include <mapitags.h>

#include "fake_alloc.h"
#include "fake_iids.h"
#include "fake_object.h"
#include "fake_profsect.h"
#include "fake_record.h"

/* A sanity bound on a provider's tag array, far above any real request. */
#define PROFSECT_MAX_TAGS 4096

struct fake_profsect {
    IProfSect iface;
    struct fake_object obj;
};

static const IID *const profsect_iids[] = {&IID_IMAPIProp, &IID_IProfSect, NULL};

static const WCHAR display_name_w[] = L"" FAKE_PROFSECT_DISPLAY_NAME;
static const char display_name_a[] = FAKE_PROFSECT_DISPLAY_NAME;

static struct fake_profsect *impl_from_iface(IProfSect *iface)
{
    return CONTAINING_RECORD(iface, struct fake_profsect, iface);
}

static HRESULT record(const char *method, HRESULT hr)
{
    return fake_record_call(EVENT_SUPPORT_CALL, method, hr);
}

static HRESULT no_support(const char *method, void *out)
{
    return fake_record_no_support(EVENT_SUPPORT_CALL, method, out);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_QueryInterface(IProfSect *iface, REFIID riid,
                                                              void **ppv)
{
    return fake_object_query(&impl_from_iface(iface)->obj, (IUnknown *)iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE fake_profsect_AddRef(IProfSect *iface)
{
    return fake_object_addref(&impl_from_iface(iface)->obj);
}

static ULONG STDMETHODCALLTYPE fake_profsect_Release(IProfSect *iface)
{
    /* Never freed here: the owner destroys it (fake_profsect.h). */
    return fake_object_release(&impl_from_iface(iface)->obj);
}

/* Fills one value for PR_DISPLAY_NAME in the given string type, its string a
 * child of vals. */
static HRESULT display_name(SPropValue *vals, SPropValue *v, ULONG type)
{
    void *s = NULL;
    HRESULT hr;

    if (type == PT_UNICODE) {
        hr = fake_alloc_more(sizeof display_name_w, vals, &s);
        if (SUCCEEDED(hr)) {
            memcpy(s, display_name_w, sizeof display_name_w);
            v->Value.lpszW = s;
        }
    } else {
        hr = fake_alloc_more(sizeof display_name_a, vals, &s);
        if (SUCCEEDED(hr)) {
            memcpy(s, display_name_a, sizeof display_name_a);
            v->Value.lpszA = s;
        }
    }
    v->ulPropTag = PROP_TAG(type, PROP_ID(PR_DISPLAY_NAME));
    return hr;
}

static HRESULT STDMETHODCALLTYPE fake_profsect_GetProps(IProfSect *iface,
                                                        LPSPropTagArray lpPropTagArray,
                                                        ULONG ulFlags, ULONG *lpcValues,
                                                        LPSPropValue *lppPropArray)
{
    ULONG default_type = (ulFlags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8;
    ULONG all_tag = PROP_TAG(default_type, PROP_ID(PR_DISPLAY_NAME));
    const ULONG *tags = &all_tag;
    SPropValue *vals = NULL;
    ULONG count = 1;
    HRESULT hr = S_OK;
    int errors = 0;

    (void)iface;
    if (lpcValues == NULL || lppPropArray == NULL) {
        hr = MAPI_E_INVALID_PARAMETER;
        goto done;
    }
    *lpcValues = 0;
    *lppPropArray = NULL;
    if (lpPropTagArray != NULL) {
        if (IsBadReadPtr(lpPropTagArray, offsetof(SPropTagArray, aulPropTag)) ||
            lpPropTagArray->cValues == 0 || lpPropTagArray->cValues > PROFSECT_MAX_TAGS ||
            IsBadReadPtr(lpPropTagArray, CbSPropTagArray(lpPropTagArray))) {
            hr = MAPI_E_INVALID_PARAMETER;
            goto done;
        }
        count = lpPropTagArray->cValues;
        tags = lpPropTagArray->aulPropTag;
    }
    hr = fake_alloc_buffer(count * (ULONG)sizeof *vals, (void **)&vals);
    if (FAILED(hr)) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto done;
    }
    memset(vals, 0, count * sizeof *vals);
    for (ULONG i = 0; i < count; i++) {
        ULONG tag = tags[i];
        ULONG type = PROP_TYPE(tag);

        if (PROP_ID(tag) == PROP_ID(PR_DISPLAY_NAME) &&
            (type == PT_UNICODE || type == PT_STRING8 || type == PT_UNSPECIFIED)) {
            if (FAILED(
                    display_name(vals, &vals[i], type == PT_UNSPECIFIED ? default_type : type))) {
                fake_free_buffer(vals);
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
                goto done;
            }
        } else {
            vals[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
            vals[i].Value.err = MAPI_E_NOT_FOUND;
            errors = 1;
        }
    }
    *lpcValues = count;
    *lppPropArray = vals;
    hr = errors ? MAPI_W_ERRORS_RETURNED : S_OK;
done:
    return record("profsect GetProps", hr);
}

/* The other methods, in vtable order: stubs that ignore their arguments. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

static HRESULT STDMETHODCALLTYPE fake_profsect_GetLastError(IProfSect *iface, HRESULT hResult,
                                                            ULONG ulFlags,
                                                            LPMAPIERROR *lppMAPIError)
{
    return no_support("profsect GetLastError", lppMAPIError);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_SaveChanges(IProfSect *iface, ULONG ulFlags)
{
    return no_support("profsect SaveChanges", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_GetPropList(IProfSect *iface, ULONG ulFlags,
                                                           LPSPropTagArray *lppPropTagArray)
{
    return no_support("profsect GetPropList", lppPropTagArray);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_OpenProperty(IProfSect *iface, ULONG ulPropTag,
                                                            LPCIID lpiid, ULONG ulInterfaceOptions,
                                                            ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    return no_support("profsect OpenProperty", lppUnk);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_SetProps(IProfSect *iface, ULONG cValues,
                                                        LPSPropValue lpPropArray,
                                                        LPSPropProblemArray *lppProblems)
{
    return no_support("profsect SetProps", lppProblems);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_DeleteProps(IProfSect *iface,
                                                           LPSPropTagArray lpPropTagArray,
                                                           LPSPropProblemArray *lppProblems)
{
    return no_support("profsect DeleteProps", lppProblems);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_CopyTo(
    IProfSect *iface, ULONG ciidExclude, LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps,
    ULONG ulUIParam, LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
    LPSPropProblemArray *lppProblems)
{
    return no_support("profsect CopyTo", lppProblems);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_CopyProps(
    IProfSect *iface, LPSPropTagArray lpIncludeProps, ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
    LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return no_support("profsect CopyProps", lppProblems);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_GetNamesFromIDs(IProfSect *iface,
                                                               LPSPropTagArray *lppPropTags,
                                                               LPGUID lpPropSetGuid, ULONG ulFlags,
                                                               ULONG *lpcPropNames,
                                                               LPMAPINAMEID **lpppPropNames)
{
    if (lpcPropNames != NULL) {
        *lpcPropNames = 0;
    }
    return no_support("profsect GetNamesFromIDs", lpppPropNames);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_GetIDsFromNames(IProfSect *iface, ULONG cPropNames,
                                                               LPMAPINAMEID *lppPropNames,
                                                               ULONG ulFlags,
                                                               LPSPropTagArray *lppPropTags)
{
    return no_support("profsect GetIDsFromNames", lppPropTags);
}

#pragma GCC diagnostic pop

/* In the order of MAPI_IUNKNOWN_METHODS and MAPI_IMAPIPROP_METHODS. */
static const IProfSectVtbl fake_profsect_vtbl = {
    fake_profsect_QueryInterface,
    fake_profsect_AddRef,
    fake_profsect_Release,
    fake_profsect_GetLastError,
    fake_profsect_SaveChanges,
    fake_profsect_GetProps,
    fake_profsect_GetPropList,
    fake_profsect_OpenProperty,
    fake_profsect_SetProps,
    fake_profsect_DeleteProps,
    fake_profsect_CopyTo,
    fake_profsect_CopyProps,
    fake_profsect_GetNamesFromIDs,
    fake_profsect_GetIDsFromNames,
};

HRESULT fake_profsect_create(IProfSect **out)
{
    struct fake_profsect *ps;

    if (out == NULL) {
        return E_POINTER;
    }
    *out = NULL;
    ps = calloc(1, sizeof *ps);
    if (ps == NULL) {
        return E_OUTOFMEMORY;
    }
    ps->iface.lpVtbl = (IProfSectVtbl *)&fake_profsect_vtbl;
    fake_object_init(&ps->obj, "profsect", profsect_iids, 0);
    *out = &ps->iface;
    return S_OK;
}

void fake_profsect_destroy(IProfSect *ps)
{
    if (ps != NULL) {
        free(impl_from_iface(ps));
    }
}

LONG fake_profsect_refs(IProfSect *ps)
{
    return fake_object_refs(&impl_from_iface(ps)->obj);
}
