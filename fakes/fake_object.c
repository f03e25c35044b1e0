/* fake_object.c: the IUnknown half of the fakes (see fake_object.h). */
#include "fake_object.h"

#include <stdlib.h>

#include "fake_record.h"

void fake_object_init(struct fake_object *obj, const char *name, const IID *const *iids, LONG refs)
{
    obj->name = name;
    obj->iids = iids;
    obj->refs = refs;
    obj->call = 0;
}

HRESULT fake_object_create(size_t size, size_t obj_offset, const void *vtbl, const char *name,
                           const IID *const *iids, LONG refs, void **out)
{
    IUnknown *iface;

    if (out == NULL) {
        return E_POINTER;
    }
    *out = NULL;
    iface = calloc(1, size);
    if (iface == NULL) {
        return E_OUTOFMEMORY;
    }
    /* Every vtable is a static const; nothing writes through lpVtbl. */
    iface->lpVtbl = (IUnknownVtbl *)vtbl;
    fake_object_init((struct fake_object *)((char *)iface + obj_offset), name, iids, refs);
    *out = iface;
    return S_OK;
}

static int answers(const struct fake_object *obj, REFIID riid)
{
    if (IsEqualIID(riid, &IID_IUnknown)) {
        return 1;
    }
    for (const IID *const *iid = obj->iids; *iid != NULL; iid++) {
        if (IsEqualIID(riid, *iid)) {
            return 1;
        }
    }
    return 0;
}

HRESULT fake_object_query(struct fake_object *obj, IUnknown *iface, REFIID riid, void **ppv)
{
    HRESULT hr;

    if (ppv == NULL) {
        return fake_record_qi_in(obj->call, obj->name, riid, E_POINTER);
    }
    *ppv = NULL;
    if (riid == NULL || IsBadReadPtr(riid, sizeof *riid)) {
        return fake_record_qi_in(obj->call, obj->name, riid, E_INVALIDARG);
    }
    if (!answers(obj, riid)) {
        return fake_record_qi_in(obj->call, obj->name, riid, E_NOINTERFACE);
    }
    hr = fake_record_qi_in(obj->call, obj->name, riid, S_OK);
    *ppv = iface;
    iface->lpVtbl->AddRef(iface);
    return hr;
}

ULONG fake_object_addref(struct fake_object *obj)
{
    return fake_record_ref_in(obj->call, EVENT_ADDREF, obj->name, InterlockedIncrement(&obj->refs));
}

ULONG fake_object_release(struct fake_object *obj)
{
    return fake_record_ref_in(obj->call, EVENT_RELEASE, obj->name,
                              InterlockedDecrement(&obj->refs));
}

LONG fake_object_refs(struct fake_object *obj)
{
    return InterlockedCompareExchange(&obj->refs, 0, 0);
}
