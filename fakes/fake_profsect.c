/*
 * fake_profsect.c: the profile section with the scenario's properties (see
 * fake_profsect.h; the answers themselves are fake_profsect_props.c's).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mapicode.h>
#include <mapitags.h>

#include "fake_alloc.h"
#include "fake_iids.h"
#include "fake_object.h"
#include "fake_profsect.h"
#include "fake_profsect_props.h"
#include "fake_record.h"

#define KIND EVENT_SUPPORT_CALL

struct fake_profsect {
    IProfSect iface;
    struct fake_object obj;
    /* Set by the host before the provider sees the section. */
    struct profile_prop props[PROFILE_MAX_PROPS];
    size_t prop_count;
};

static const IID *const profsect_iids[] = {&IID_IMAPIProp, &IID_IProfSect, NULL};

static struct fake_profsect *impl_from_iface(IProfSect *iface)
{
    return CONTAINING_RECORD(iface, struct fake_profsect, iface);
}

static HRESULT no_support(enum fault_service service, const char *method, void *out)
{
    return fake_record_unsupported(KIND, service, method, out);
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

/* The first tags asked for, "0x3001001f,0x300c0102" (or "all"). */
static const char *tags_text(LPSPropTagArray tags, char *buf, size_t cap)
{
    size_t w = 0;

    if (tags == NULL) {
        return "all";
    }
    if (IsBadReadPtr(tags, sizeof(ULONG)) || IsBadReadPtr(tags, CbSPropTagArray(tags))) {
        return "unreadable";
    }
    buf[0] = '\0';
    for (ULONG i = 0; i < tags->cValues && i < 8 && w + 12 < cap; i++) {
        w += (size_t)snprintf(buf + w, cap - w, "%s0x%08lx", i > 0 ? "," : "",
                              (unsigned long)tags->aulPropTag[i]);
    }
    if (tags->cValues > 8 && w + 5 < cap) {
        snprintf(buf + w, cap - w, ",...");
    }
    return buf;
}

static HRESULT STDMETHODCALLTYPE fake_profsect_GetProps(IProfSect *iface,
                                                        LPSPropTagArray lpPropTagArray,
                                                        ULONG ulFlags, ULONG *lpcValues,
                                                        LPSPropValue *lppPropArray)
{
    struct fake_profsect *ps = impl_from_iface(iface);
    struct fake_call c = fake_fault_begin(FAULT_SVC_PS_GET_PROPS);
    HRESULT hr = c.fault;
    char tags[160];

    if (hr != S_OK) {
        if (lpcValues != NULL) {
            *lpcValues = 0;
        }
        fake_clear_out(lppPropArray);
    } else {
        hr = profsect_get_props(ps->props, ps->prop_count, lpPropTagArray, ulFlags, lpcValues,
                                lppPropArray);
    }
    return fake_record_service(KIND, &c, "profsect GetProps", hr, 0, 0, "tags=%s flags=0x%lx",
                               tags_text(lpPropTagArray, tags, sizeof tags),
                               (unsigned long)ulFlags);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_GetPropList(IProfSect *iface, ULONG ulFlags,
                                                           LPSPropTagArray *lppPropTagArray)
{
    struct fake_profsect *ps = impl_from_iface(iface);
    struct fake_call c = fake_fault_begin(FAULT_SVC_PS_GET_PROP_LIST);
    HRESULT hr = c.fault;

    if (hr != S_OK) {
        fake_clear_out(lppPropTagArray);
    } else {
        hr = profsect_get_prop_list(ps->props, ps->prop_count, ulFlags, lppPropTagArray);
    }
    return fake_record_service(KIND, &c, "profsect GetPropList", hr, 0, 0, "flags=0x%lx",
                               (unsigned long)ulFlags);
}

/* Accepted and recorded; the section's answers stay the scenario's (a
 * provider that writes to its profile section at Logon is normal, and
 * reading its own writes back is not what a sync test is about). */
static HRESULT STDMETHODCALLTYPE fake_profsect_SetProps(IProfSect *iface, ULONG cValues,
                                                        LPSPropValue lpPropArray,
                                                        LPSPropProblemArray *lppProblems)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_PS_SET_PROPS);
    HRESULT hr = c.fault;

    (void)iface;
    if (hr == S_OK && (cValues == 0 || lpPropArray == NULL)) {
        hr = MAPI_E_INVALID_PARAMETER;
    }
    fake_clear_out(lppProblems);
    return fake_record_service(KIND, &c, "profsect SetProps", hr, 0, cValues, "values=%lu",
                               (unsigned long)cValues);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_SaveChanges(IProfSect *iface, ULONG ulFlags)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_PS_SAVE_CHANGES);

    (void)iface;
    return fake_record_service(KIND, &c, "profsect SaveChanges", c.fault, 0, 0, "flags=0x%lx",
                               (unsigned long)ulFlags);
}

/* The other methods, in vtable order: stubs that ignore their arguments. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

static HRESULT STDMETHODCALLTYPE fake_profsect_GetLastError(IProfSect *iface, HRESULT hResult,
                                                            ULONG ulFlags,
                                                            LPMAPIERROR *lppMAPIError)
{
    return no_support(FAULT_SVC_PS_GET_LAST_ERROR, "profsect GetLastError", lppMAPIError);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_OpenProperty(IProfSect *iface, ULONG ulPropTag,
                                                            LPCIID lpiid, ULONG ulInterfaceOptions,
                                                            ULONG ulFlags, LPUNKNOWN *lppUnk)
{
    return no_support(FAULT_SVC_PS_OPEN_PROPERTY, "profsect OpenProperty", lppUnk);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_DeleteProps(IProfSect *iface,
                                                           LPSPropTagArray lpPropTagArray,
                                                           LPSPropProblemArray *lppProblems)
{
    return no_support(FAULT_SVC_PS_DELETE_PROPS, "profsect DeleteProps", lppProblems);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_CopyTo(
    IProfSect *iface, ULONG ciidExclude, LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps,
    ULONG ulUIParam, LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
    LPSPropProblemArray *lppProblems)
{
    return no_support(FAULT_SVC_PS_COPY_TO, "profsect CopyTo", lppProblems);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_CopyProps(
    IProfSect *iface, LPSPropTagArray lpIncludeProps, ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
    LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return no_support(FAULT_SVC_PS_COPY_PROPS, "profsect CopyProps", lppProblems);
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
    return no_support(FAULT_SVC_PS_GET_NAMES_FROM_IDS, "profsect GetNamesFromIDs", lpppPropNames);
}

static HRESULT STDMETHODCALLTYPE fake_profsect_GetIDsFromNames(IProfSect *iface, ULONG cPropNames,
                                                               LPMAPINAMEID *lppPropNames,
                                                               ULONG ulFlags,
                                                               LPSPropTagArray *lppPropTags)
{
    return no_support(FAULT_SVC_PS_GET_IDS_FROM_NAMES, "profsect GetIDsFromNames", lppPropTags);
}

#pragma GCC diagnostic pop

/* In the order of MAPI_IUNKNOWN_METHODS and MAPI_IMAPIPROP_METHODS. */
static const IProfSectVtbl fake_profsect_vtbl = {
    fake_profsect_QueryInterface,  fake_profsect_AddRef,          fake_profsect_Release,
    fake_profsect_GetLastError,    fake_profsect_SaveChanges,     fake_profsect_GetProps,
    fake_profsect_GetPropList,     fake_profsect_OpenProperty,    fake_profsect_SetProps,
    fake_profsect_DeleteProps,     fake_profsect_CopyTo,          fake_profsect_CopyProps,
    fake_profsect_GetNamesFromIDs, fake_profsect_GetIDsFromNames,
};

HRESULT fake_profsect_create(IProfSect **out)
{
    struct fake_profsect *ps;
    HRESULT hr =
        fake_object_create(sizeof *ps, offsetof(struct fake_profsect, obj), &fake_profsect_vtbl,
                           "profsect", profsect_iids, 0, (void **)out);

    if (FAILED(hr)) {
        return hr;
    }
    ps = impl_from_iface(*out);
    ps->prop_count = 1;
    ps->props[0].tag = PROP_TAG(PT_UNICODE, PROP_ID(PR_DISPLAY_NAME));
    ps->props[0].len = (uint32_t)strlen(FAKE_PROFSECT_DISPLAY_NAME);
    memcpy(ps->props[0].data, FAKE_PROFSECT_DISPLAY_NAME, ps->props[0].len);
    return S_OK;
}

void fake_profsect_set(IProfSect *iface, const struct profile_prop *props, size_t n)
{
    struct fake_profsect *ps = impl_from_iface(iface);

    ps->prop_count = n < PROFILE_MAX_PROPS ? n : PROFILE_MAX_PROPS;
    if (ps->prop_count > 0) {
        memcpy(ps->props, props, ps->prop_count * sizeof ps->props[0]);
    }
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
