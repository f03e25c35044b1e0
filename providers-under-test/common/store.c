/*
 * store.c: IMsgStore and IMAPISync on one object (contract in store.h).
 */
#include "store.h"

#include <mapicode.h>
#include <mapiguid.h>

#include "behaviour.h"

struct store {
    IMsgStore IMsgStore_iface;
    IMAPISync IMAPISync_iface;
    LONG refs;
    struct sync_set syncs;
};

static struct store *impl_from_IMsgStore(IMsgStore *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMsgStore_iface);
}

static struct store *impl_from_IMAPISync(IMAPISync *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMAPISync_iface);
}

/* The one QueryInterface of both interfaces: IID_IUnknown always gives the
 * IMsgStore pointer, so the object has one identity (com-qi-rules). */
static HRESULT store_query_interface(struct store *store, REFIID riid, void **out)
{
    if (out == NULL) {
        return E_POINTER;
    }
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIProp) ||
        IsEqualIID(riid, &IID_IMsgStore)) {
        *out = &store->IMsgStore_iface;
    } else if (IsEqualIID(riid, &IID_IMAPISync) && !provider_behaviour.hide_imapisync) {
        *out = &store->IMAPISync_iface;
    } else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    InterlockedIncrement(&store->refs);
    return S_OK;
}

static ULONG store_release(struct store *store)
{
    LONG refs = InterlockedDecrement(&store->refs);

    if (refs == 0) {
        /* Every sync thread holds a reference, so none runs any more. */
        sync_set_destroy(&store->syncs);
        HeapFree(GetProcessHeap(), 0, store);
    }
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE store_QueryInterface(IMsgStore *iface, REFIID riid, void **out)
{
    return store_query_interface(impl_from_IMsgStore(iface), riid, out);
}

static ULONG STDMETHODCALLTYPE store_AddRef(IMsgStore *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMsgStore(iface)->refs);
}

static ULONG STDMETHODCALLTYPE store_Release(IMsgStore *iface)
{
    return store_release(impl_from_IMsgStore(iface));
}

/* "No further information": a NULL MAPIERROR is the documented answer. */
static HRESULT STDMETHODCALLTYPE store_GetLastError(IMsgStore *iface, HRESULT hr, ULONG flags,
                                                    LPMAPIERROR *error)
{
    (void)iface;
    (void)hr;
    (void)flags;
    if (error == NULL) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *error = NULL;
    return S_OK;
}

/* The rest of IMAPIProp and IMsgStore: a sync test never calls them, and a
 * store that does not support a method may say so. Their parameters are the
 * interface's, unused. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

static HRESULT STDMETHODCALLTYPE store_SaveChanges(IMsgStore *iface, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_GetProps(IMsgStore *iface, LPSPropTagArray tags,
                                                ULONG flags, ULONG *count, LPSPropValue *props)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_GetPropList(IMsgStore *iface, ULONG flags,
                                                   LPSPropTagArray *tags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_OpenProperty(IMsgStore *iface, ULONG tag, LPCIID iid,
                                                    ULONG options, ULONG flags, LPUNKNOWN *out)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_SetProps(IMsgStore *iface, ULONG count,
                                                LPSPropValue props,
                                                LPSPropProblemArray *problems)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_DeleteProps(IMsgStore *iface, LPSPropTagArray tags,
                                                   LPSPropProblemArray *problems)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_CopyTo(IMsgStore *iface, ULONG exclude_count,
                                              LPCIID exclude_iids, LPSPropTagArray exclude_props,
                                              ULONG ui_param, LPMAPIPROGRESS progress,
                                              LPCIID iid, LPVOID dest, ULONG flags,
                                              LPSPropProblemArray *problems)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_CopyProps(IMsgStore *iface, LPSPropTagArray include,
                                                 ULONG ui_param, LPMAPIPROGRESS progress,
                                                 LPCIID iid, LPVOID dest, ULONG flags,
                                                 LPSPropProblemArray *problems)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_GetNamesFromIDs(IMsgStore *iface, LPSPropTagArray *tags,
                                                       LPGUID guid, ULONG flags, ULONG *count,
                                                       LPMAPINAMEID **names)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_GetIDsFromNames(IMsgStore *iface, ULONG count,
                                                       LPMAPINAMEID *names, ULONG flags,
                                                       LPSPropTagArray *tags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_Advise(IMsgStore *iface, ULONG cb_entry_id,
                                              LPENTRYID entry_id, ULONG event_mask,
                                              LPMAPIADVISESINK sink, ULONG *connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_Unadvise(IMsgStore *iface, ULONG connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_CompareEntryIDs(IMsgStore *iface, ULONG cb_id1,
                                                       LPENTRYID id1, ULONG cb_id2,
                                                       LPENTRYID id2, ULONG flags,
                                                       ULONG *result)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_OpenEntry(IMsgStore *iface, ULONG cb_entry_id,
                                                 LPENTRYID entry_id, LPCIID iid, ULONG flags,
                                                 ULONG *obj_type, LPUNKNOWN *out)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_SetReceiveFolder(IMsgStore *iface, LPTSTR message_class,
                                                        ULONG flags, ULONG cb_entry_id,
                                                        LPENTRYID entry_id)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_GetReceiveFolder(IMsgStore *iface, LPTSTR message_class,
                                                        ULONG flags, ULONG *cb_entry_id,
                                                        LPENTRYID *entry_id,
                                                        LPTSTR *explicit_class)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_GetReceiveFolderTable(IMsgStore *iface, ULONG flags,
                                                             LPMAPITABLE *table)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_StoreLogoff(IMsgStore *iface, ULONG *flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_AbortSubmit(IMsgStore *iface, ULONG cb_entry_id,
                                                   LPENTRYID entry_id, ULONG flags)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_GetOutgoingQueue(IMsgStore *iface, ULONG flags,
                                                        LPMAPITABLE *table)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_SetLockState(IMsgStore *iface, LPMESSAGE message,
                                                    ULONG lock_state)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_FinishedMsg(IMsgStore *iface, ULONG flags,
                                                   ULONG cb_entry_id, LPENTRYID entry_id)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE store_NotifyNewMail(IMsgStore *iface,
                                                     LPNOTIFICATION notification)
{
    return MAPI_E_NO_SUPPORT;
}

#pragma GCC diagnostic pop

static const IMsgStoreVtbl store_vtbl = {
    store_QueryInterface,
    store_AddRef,
    store_Release,
    /* IMAPIProp */
    store_GetLastError,
    store_SaveChanges,
    store_GetProps,
    store_GetPropList,
    store_OpenProperty,
    store_SetProps,
    store_DeleteProps,
    store_CopyTo,
    store_CopyProps,
    store_GetNamesFromIDs,
    store_GetIDsFromNames,
    /* IMsgStore */
    store_Advise,
    store_Unadvise,
    store_CompareEntryIDs,
    store_OpenEntry,
    store_SetReceiveFolder,
    store_GetReceiveFolder,
    store_GetReceiveFolderTable,
    store_StoreLogoff,
    store_AbortSubmit,
    store_GetOutgoingQueue,
    store_SetLockState,
    store_FinishedMsg,
    store_NotifyNewMail,
};

static HRESULT STDMETHODCALLTYPE store_sync_QueryInterface(IMAPISync *iface, REFIID riid,
                                                          void **out)
{
    struct store *store = impl_from_IMAPISync(iface);

    if (provider_behaviour.sync_own_identity && out != NULL && IsEqualIID(riid, &IID_IUnknown)) {
        /* The classic slip: "IUnknown is me", from the second interface. */
        *out = iface;
        InterlockedIncrement(&store->refs);
        return S_OK;
    }
    return store_query_interface(store, riid, out);
}

static ULONG STDMETHODCALLTYPE store_sync_AddRef(IMAPISync *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMAPISync(iface)->refs);
}

static ULONG STDMETHODCALLTYPE store_sync_Release(IMAPISync *iface)
{
    return store_release(impl_from_IMAPISync(iface));
}

static HRESULT STDMETHODCALLTYPE store_sync_SynchronizeInBackground(IMAPISync *iface,
                                                                   PMAPISIB sib)
{
    struct store *store = impl_from_IMAPISync(iface);

    return sync_start(&store->syncs, (IUnknown *)&store->IMsgStore_iface, sib);
}

static const IMAPISyncVtbl store_sync_vtbl = {
    store_sync_QueryInterface,
    store_sync_AddRef,
    store_sync_Release,
    store_sync_SynchronizeInBackground,
};

HRESULT store_create(const struct mapi_allocators *alloc, IMsgStore **out)
{
    struct store *store;

    *out = NULL;
    store = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*store));
    if (store == NULL) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (!sync_set_init(&store->syncs, alloc)) {
        HeapFree(GetProcessHeap(), 0, store);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    /* mingw-w64 declares lpVtbl non-const unless CONST_VTABLE is defined, and
     * under CONST_VTABLE its DECLARE_INTERFACE warns (-Wextra) in any header
     * outside the system ones, such as synchost/mapisync.h. Nothing writes
     * through lpVtbl, so the vtables stay const and the cast is safe. */
    store->IMsgStore_iface.lpVtbl = (IMsgStoreVtbl *)&store_vtbl;
    store->IMAPISync_iface.lpVtbl = (IMAPISyncVtbl *)&store_sync_vtbl;
    store->refs = 1;
    *out = &store->IMsgStore_iface;
    return S_OK;
}

void store_stop(IMsgStore *iface, DWORD timeout_ms)
{
    sync_stop_all(&impl_from_IMsgStore(iface)->syncs, timeout_ms);
}
