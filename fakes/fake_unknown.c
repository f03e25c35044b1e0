/* fake_unknown.c: an IUnknown that is nothing more (see fake_unknown.h). */
#include <stddef.h>
#include <stdlib.h>

#include "protocol/event.h"
#include "fake_object.h"
#include "fake_unknown.h"

struct fake_unknown {
    IUnknown iface;
    struct fake_object obj;
};

/* No interface besides IID_IUnknown, which fake_object_query always answers. */
static const IID *const unknown_iids[] = {NULL};

static struct fake_unknown *impl_from_iface(IUnknown *iface)
{
    return CONTAINING_RECORD(iface, struct fake_unknown, iface);
}

static HRESULT STDMETHODCALLTYPE fake_unknown_QueryInterface(IUnknown *iface, REFIID riid,
                                                             void **ppv)
{
    return fake_object_query(&impl_from_iface(iface)->obj, iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE fake_unknown_AddRef(IUnknown *iface)
{
    return fake_object_addref(&impl_from_iface(iface)->obj);
}

static ULONG STDMETHODCALLTYPE fake_unknown_Release(IUnknown *iface)
{
    /* Never freed here: see Lifetime in fake_unknown.h. */
    return fake_object_release(&impl_from_iface(iface)->obj);
}

static const IUnknownVtbl fake_unknown_vtbl = {
    fake_unknown_QueryInterface,
    fake_unknown_AddRef,
    fake_unknown_Release,
};

HRESULT fake_unknown_create(IUnknown **out)
{
    return fake_object_create(sizeof(struct fake_unknown), offsetof(struct fake_unknown, obj),
                              &fake_unknown_vtbl, host_object_name(HOST_OBJECT_UNKNOWN_CALLBACK),
                              unknown_iids, 1, (void **)out);
}

void fake_unknown_destroy(IUnknown *unk)
{
    if (unk != NULL) {
        free(impl_from_iface(unk));
    }
}

LONG fake_unknown_refs(IUnknown *unk)
{
    return fake_object_refs(&impl_from_iface(unk)->obj);
}
