/*
 * logon.c: IMSLogon (contract in logon.h).
 */
#include "logon.h"

#include <mapicode.h>
#include <mapiguid.h>

#include "behaviour.h"
#include "store.h"

struct logon {
    IMSLogon IMSLogon_iface;
    LONG refs;
    IMAPISupport *support; /* until Logoff or the final Release; swapped out atomically */
    IMsgStore *store;
};

static struct logon *impl_from_IMSLogon(IMSLogon *iface)
{
    return CONTAINING_RECORD(iface, struct logon, IMSLogon_iface);
}

static void logon_release_support(struct logon *logon)
{
    IMAPISupport *support = InterlockedExchangePointer((void **)&logon->support, NULL);

    if (support != NULL) {
        support->lpVtbl->Release(support);
    }
}

static HRESULT STDMETHODCALLTYPE logon_QueryInterface(IMSLogon *iface, REFIID riid, void **out)
{
    struct logon *logon = impl_from_IMSLogon(iface);

    if (out == NULL) {
        return E_POINTER;
    }
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMSLogon)) {
        *out = &logon->IMSLogon_iface;
        InterlockedIncrement(&logon->refs);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE logon_AddRef(IMSLogon *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMSLogon(iface)->refs);
}

static ULONG STDMETHODCALLTYPE logon_Release(IMSLogon *iface)
{
    struct logon *logon = impl_from_IMSLogon(iface);
    LONG refs = InterlockedDecrement(&logon->refs);

    if (refs == 0) {
        /* A host that never called Logoff still gets its support object back. */
        logon_release_support(logon);
        logon->store->lpVtbl->Release(logon->store);
        HeapFree(GetProcessHeap(), 0, logon);
    }
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE logon_GetLastError(IMSLogon *iface, HRESULT hr, ULONG flags,
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

static HRESULT STDMETHODCALLTYPE logon_Logoff(IMSLogon *iface, ULONG *flags)
{
    struct logon *logon = impl_from_IMSLogon(iface);

    /* lpulFlags is reserved and must be zero; nothing to read from it. */
    (void)flags;
    if (provider_behaviour.hang_in_logoff) {
        HANDLE never = CreateEventW(NULL, TRUE, FALSE, NULL);
        WaitForSingleObject(never, INFINITE);
    }
    store_stop(logon->store, LOGON_LOGOFF_WAIT_MS);
    logon_release_support(logon);
    return S_OK;
}

/* Not needed by a sync test; parameters are the interface's, unused. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

static HRESULT STDMETHODCALLTYPE logon_OpenEntry(IMSLogon *iface, ULONG cb_entry_id,
                                                 LPENTRYID entry_id, LPCIID iid, ULONG flags,
                                                 ULONG *obj_type, LPUNKNOWN *out)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE logon_CompareEntryIDs(IMSLogon *iface, ULONG cb_id1,
                                                       LPENTRYID id1, ULONG cb_id2,
                                                       LPENTRYID id2, ULONG flags,
                                                       ULONG *result)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE logon_Advise(IMSLogon *iface, ULONG cb_entry_id,
                                              LPENTRYID entry_id, ULONG event_mask,
                                              LPMAPIADVISESINK sink, ULONG *connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE logon_Unadvise(IMSLogon *iface, ULONG connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE logon_OpenStatusEntry(IMSLogon *iface, LPCIID iid, ULONG flags,
                                                       ULONG *obj_type, LPVOID *out)
{
    return MAPI_E_NO_SUPPORT;
}

#pragma GCC diagnostic pop

static const IMSLogonVtbl logon_vtbl = {
    logon_QueryInterface,
    logon_AddRef,
    logon_Release,
    logon_GetLastError,
    logon_Logoff,
    logon_OpenEntry,
    logon_CompareEntryIDs,
    logon_Advise,
    logon_Unadvise,
    logon_OpenStatusEntry,
};

/* The DLL's own event, made at the first Logon and kept (global_event). */
static BOOL CALLBACK make_global_event(INIT_ONCE *once, void *param, void **ctx)
{
    (void)once;
    (void)param;
    *ctx = CreateEventW(NULL, TRUE, FALSE, NULL);
    return *ctx != NULL;
}

HRESULT logon_create(IMAPISupport *support, IMsgStore *store, IMSLogon **out)
{
    static INIT_ONCE global_once = INIT_ONCE_STATIC_INIT;
    struct logon *logon;
    void *global = NULL;

    *out = NULL;
    if (provider_behaviour.global_event) {
        InitOnceExecuteOnce(&global_once, make_global_event, NULL, &global);
    }
    logon = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*logon));
    if (logon == NULL) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    /* The cast drops a const nothing relies on: see store_create. */
    logon->IMSLogon_iface.lpVtbl = (IMSLogonVtbl *)&logon_vtbl;
    logon->refs = 1;
    support->lpVtbl->AddRef(support);
    logon->support = support;
    store->lpVtbl->AddRef(store);
    logon->store = store;
    *out = &logon->IMSLogon_iface;
    return S_OK;
}
