/*
 * fake_profsect_props.c: the profile section's answers to GetProps and
 * GetPropList from the scenario's properties (fake_profsect_props.h).
 * IMAPIProp semantics from the Outlook MAPI reference ("IMAPIProp::
 * GetProps"): PT_ERROR entries with MAPI_W_ERRORS_RETURNED for properties
 * that are not there, the array one MAPIAllocateBuffer with everything it
 * points at in MAPIAllocateMore children.
 */
#include <stddef.h>
#include <string.h>

#include <mapicode.h>
#include <mapitags.h>

#include "fake_alloc.h"
#include "fake_profsect_props.h"

/* A sanity bound on a provider's tag array, far above any real request. */
#define PROFSECT_MAX_TAGS 4096

static const struct profile_prop *find(const struct profile_prop *props, size_t n, ULONG id)
{
    for (size_t i = 0; i < n; i++) {
        if (PROFILE_PROP_ID(props[i].tag) == id) {
            return &props[i];
        }
    }
    return NULL;
}

/* A string property's UTF-8 as the type asked for, a child of vals. */
static HRESULT string_value(SPropValue *vals, SPropValue *v, const struct profile_prop *p,
                            ULONG type)
{
    WCHAR wide[PROFILE_VALUE_MAX + 1];
    int wn = 0, an;
    void *s = NULL;

    if (p->len > 0) {
        wn = MultiByteToWideChar(CP_UTF8, 0, (const char *)p->data, (int)p->len, wide,
                                 PROFILE_VALUE_MAX);
    }
    wide[wn] = 0;
    if (type == PT_UNICODE) {
        if (FAILED(fake_alloc_more_host((ULONG)(wn + 1) * sizeof(WCHAR), vals, "profsect GetProps",
                                        &s))) {
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        memcpy(s, wide, (size_t)(wn + 1) * sizeof(WCHAR));
        v->Value.lpszW = s;
        return S_OK;
    }
    an = WideCharToMultiByte(CP_ACP, 0, wide, wn + 1, NULL, 0, NULL, NULL);
    if (an <= 0 || FAILED(fake_alloc_more_host((ULONG)an, vals, "profsect GetProps", &s))) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    WideCharToMultiByte(CP_ACP, 0, wide, wn + 1, s, an, NULL, NULL);
    v->Value.lpszA = s;
    return S_OK;
}

/* Fills v for p in type (p's own, or the string type asked for). */
static HRESULT fill(SPropValue *vals, SPropValue *v, const struct profile_prop *p, ULONG type)
{
    void *bytes = NULL;

    v->ulPropTag = PROP_TAG(type, PROFILE_PROP_ID(p->tag));
    switch (type) {
    case PT_UNICODE:
    case PT_STRING8:
        return string_value(vals, v, p, type);
    case PT_LONG:
        v->Value.l = (LONG)(ULONG)p->number;
        return S_OK;
    case PT_I8:
        v->Value.li.QuadPart = (LONGLONG)p->number;
        return S_OK;
    case PT_BOOLEAN:
        v->Value.b = (unsigned short)(p->number != 0);
        return S_OK;
    default: /* PT_BINARY */
        if (FAILED(
                fake_alloc_more_host(p->len > 0 ? p->len : 1, vals, "profsect GetProps", &bytes))) {
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        memcpy(bytes, p->data, p->len);
        v->Value.bin.cb = p->len;
        v->Value.bin.lpb = bytes;
        return S_OK;
    }
}

/* The type a property is answered in for a tag of type asked: a string in
 * the string type asked (PT_UNSPECIFIED: string_type), anything else in its
 * own type when asked for it or for PT_UNSPECIFIED; 0 when it cannot be. */
static ULONG answer_type(const struct profile_prop *p, ULONG asked, ULONG string_type)
{
    ULONG own = PROFILE_PROP_TYPE(p->tag);

    if (profile_type_is_string(own)) {
        return asked == PT_UNSPECIFIED                      ? string_type
               : asked == PT_UNICODE || asked == PT_STRING8 ? asked
                                                            : 0;
    }
    return asked == PT_UNSPECIFIED || asked == own ? own : 0;
}

HRESULT profsect_get_props(const struct profile_prop *props, size_t n, LPSPropTagArray tags,
                           ULONG flags, ULONG *lpcValues, LPSPropValue *lppPropArray)
{
    ULONG string_type = (flags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8;
    SPropValue *vals = NULL;
    ULONG count = (ULONG)n;
    int errors = 0;

    if (lpcValues == NULL || lppPropArray == NULL) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *lpcValues = 0;
    *lppPropArray = NULL;
    if (tags != NULL) {
        if (IsBadReadPtr(tags, offsetof(SPropTagArray, aulPropTag)) || tags->cValues == 0 ||
            tags->cValues > PROFSECT_MAX_TAGS || IsBadReadPtr(tags, CbSPropTagArray(tags))) {
            return MAPI_E_INVALID_PARAMETER;
        }
        count = tags->cValues;
    }
    if (FAILED(fake_alloc_host((count > 0 ? count : 1) * (ULONG)sizeof *vals, "profsect GetProps",
                               (void **)&vals))) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memset(vals, 0, (count > 0 ? count : 1) * sizeof *vals);
    for (ULONG i = 0; i < count; i++) {
        const struct profile_prop *p =
            tags == NULL ? &props[i] : find(props, n, PROP_ID(tags->aulPropTag[i]));
        ULONG type = p == NULL      ? 0
                     : tags == NULL ? answer_type(p, PT_UNSPECIFIED, string_type)
                                    : answer_type(p, PROP_TYPE(tags->aulPropTag[i]), string_type);

        if (type == 0) {
            vals[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[i]));
            vals[i].Value.err = MAPI_E_NOT_FOUND;
            errors = 1;
        } else if (FAILED(fill(vals, &vals[i], p, type))) {
            fake_free_buffer(vals);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
    }
    *lpcValues = count;
    *lppPropArray = vals;
    return errors ? MAPI_W_ERRORS_RETURNED : S_OK;
}

HRESULT profsect_get_prop_list(const struct profile_prop *props, size_t n, ULONG flags,
                               LPSPropTagArray *lppPropTagArray)
{
    ULONG string_type = (flags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8;
    SPropTagArray *list = NULL;

    if (lppPropTagArray == NULL) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *lppPropTagArray = NULL;
    if (FAILED(fake_alloc_host(CbNewSPropTagArray(n > 0 ? n : 1), "profsect GetPropList",
                               (void **)&list))) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    list->cValues = (ULONG)n;
    for (size_t i = 0; i < n; i++) {
        list->aulPropTag[i] = PROP_TAG(answer_type(&props[i], PT_UNSPECIFIED, string_type),
                                       PROFILE_PROP_ID(props[i].tag));
    }
    *lppPropTagArray = list;
    return S_OK;
}
