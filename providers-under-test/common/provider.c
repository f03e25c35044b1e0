/*
 * provider.c: the DLL's entry point MSProviderInit and the IMSProvider it
 * returns (MAPI reference: "MSProviderInit", "IMSProvider::Logon").
 *
 * MSProviderInit returns a new provider object per call, reports
 * CURRENT_SPI_VERSION and keeps the host's allocators for the stores it
 * creates. Logon reads the store's display name from its profile section,
 * as a store provider reads its configuration, then creates one store and
 * one IMSLogon; the host receives a reference on each. When the host cannot
 * give the profile section or its properties, Logon fails with the host's
 * answer. The IMalloc argument is not kept (nothing here needs
 * it), so it is not AddRef'd either.
 *
 * When provider_behaviour.fast_shutdown says so, the provider object also
 * offers IMAPIProviderShutdown ("IMAPIProviderShutdown : IUnknown"): one
 * object, one refcount, two interfaces.
 *
 * Threading: free-threaded; Interlocked refcount.
 */
#include <windows.h>
#include <mapispi.h>
#include <mapicode.h>
#include <mapiguid.h>
#include <mapitags.h>

#include <synchost/mapisync.h>

#include "behaviour.h"
#include "logon.h"
#include "store.h"

struct provider {
    IMSProvider IMSProvider_iface;
    IMAPIProviderShutdown IMAPIProviderShutdown_iface;
    LONG refs;
    struct mapi_allocators alloc;
    HANDLE save_thread; /* started by NotifyProcessShutdown */
};

static struct provider *impl_from_IMSProvider(IMSProvider *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IMSProvider_iface);
}

static struct provider *impl_from_shutdown(IMAPIProviderShutdown *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IMAPIProviderShutdown_iface);
}

static HRESULT STDMETHODCALLTYPE provider_QueryInterface(IMSProvider *iface, REFIID riid,
                                                         void **out)
{
    struct provider *provider = impl_from_IMSProvider(iface);

    if (out == NULL) {
        return E_POINTER;
    }
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMSProvider)) {
        *out = &provider->IMSProvider_iface;
        InterlockedIncrement(&provider->refs);
        return S_OK;
    }
    if (IsEqualIID(riid, &IID_IMAPIProviderShutdown) &&
        provider_behaviour.fast_shutdown != FAST_SHUTDOWN_NONE) {
        *out = &provider->IMAPIProviderShutdown_iface;
        InterlockedIncrement(&provider->refs);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE provider_AddRef(IMSProvider *iface)
{
    return (ULONG)InterlockedIncrement(&impl_from_IMSProvider(iface)->refs);
}

static ULONG STDMETHODCALLTYPE provider_Release(IMSProvider *iface)
{
    struct provider *provider = impl_from_IMSProvider(iface);
    LONG refs = InterlockedDecrement(&provider->refs);

    if (refs == 0) {
        HeapFree(GetProcessHeap(), 0, provider);
    }
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE shutdown_QueryInterface(IMAPIProviderShutdown *iface, REFIID riid,
                                                         void **out)
{
    if (IsEqualIID(riid, &IID_IMAPIProviderShutdown)) {
        if (out == NULL) {
            return E_POINTER;
        }
        *out = iface;
        InterlockedIncrement(&impl_from_shutdown(iface)->refs);
        return S_OK;
    }
    return provider_QueryInterface(&impl_from_shutdown(iface)->IMSProvider_iface, riid, out);
}

static ULONG STDMETHODCALLTYPE shutdown_AddRef(IMAPIProviderShutdown *iface)
{
    return provider_AddRef(&impl_from_shutdown(iface)->IMSProvider_iface);
}

static ULONG STDMETHODCALLTYPE shutdown_Release(IMAPIProviderShutdown *iface)
{
    return provider_Release(&impl_from_shutdown(iface)->IMSProvider_iface);
}

static HRESULT STDMETHODCALLTYPE shutdown_QueryFastShutdown(IMAPIProviderShutdown *iface)
{
    (void)iface;
    return provider_behaviour.fast_shutdown == FAST_SHUTDOWN_OFFERED ? S_OK : MAPI_E_NO_SUPPORT;
}

/* Saving the store's state: here, time spent as a write to disk would. */
static DWORD WINAPI save_thread(void *arg)
{
    (void)arg;
    Sleep(provider_behaviour.fast_save_ms);
    OutputDebugStringA("provider engine: state saved for fast shutdown\n");
    return 0;
}

static HRESULT STDMETHODCALLTYPE shutdown_NotifyProcessShutdown(IMAPIProviderShutdown *iface)
{
    struct provider *provider = impl_from_shutdown(iface);

    if (provider_behaviour.pool_work) {
        sync_pool_work(); /* the save, on the system's thread pool */
    } else if (provider->save_thread == NULL) {
        provider->save_thread = CreateThread(NULL, 0, save_thread, NULL, 0, NULL);
    }
    return FAILED(provider_behaviour.fast_shutdown_result) ? provider_behaviour.fast_shutdown_result
                                                           : S_OK;
}

/* The process exits once this returns: the save must be over by then. */
static HRESULT STDMETHODCALLTYPE shutdown_DoFastShutdown(IMAPIProviderShutdown *iface)
{
    struct provider *provider = impl_from_shutdown(iface);

    if (provider->save_thread != NULL && !provider_behaviour.fast_shutdown_no_wait) {
        WaitForSingleObject(provider->save_thread, INFINITE);
        CloseHandle(provider->save_thread);
        provider->save_thread = NULL;
    }
    return FAILED(provider_behaviour.fast_shutdown_result) ? provider_behaviour.fast_shutdown_result
                                                           : S_OK;
}

static const IMAPIProviderShutdownVtbl shutdown_vtbl = {
    shutdown_QueryInterface,
    shutdown_AddRef,
    shutdown_Release,
    shutdown_QueryFastShutdown,
    shutdown_NotifyProcessShutdown,
    shutdown_DoFastShutdown,
};

/* Stores and logons own their resources and outlive Shutdown if the host
 * still holds them; there is nothing provider-wide to tear down. */
static HRESULT STDMETHODCALLTYPE provider_Shutdown(IMSProvider *iface, ULONG *flags)
{
    (void)iface;
    (void)flags;
    return S_OK;
}

/* Reads PR_DISPLAY_NAME from the provider's profile section (it may be
 * missing: the store then has no name of its own) and shows it in the
 * debug output. Frees what it was given with the host's allocator. */
static HRESULT read_profile(const struct provider *provider, IMAPISupport *support)
{
    SizedSPropTagArray(1, tags) = {1, {PR_DISPLAY_NAME_A}};
    IProfSect *section = NULL;
    LPSPropValue vals = NULL;
    ULONG count = 0;
    HRESULT hr;

    hr = support->lpVtbl->OpenProfileSection(support, NULL, 0, &section);
    if (FAILED(hr) || section == NULL) {
        return FAILED(hr) ? hr : MAPI_E_CALL_FAILED;
    }
    hr = section->lpVtbl->GetProps(section, (LPSPropTagArray)&tags, 0, &count, &vals);
    if (SUCCEEDED(hr) && vals != NULL && count == 1 && vals[0].ulPropTag == PR_DISPLAY_NAME_A &&
        vals[0].Value.lpszA != NULL) {
        char line[300] = "provider engine: store ";
        lstrcpynA(line + lstrlenA(line), vals[0].Value.lpszA, 256);
        lstrcatA(line, "\n");
        OutputDebugStringA(line);
    }
    if (vals != NULL) {
        provider->alloc.free_buffer(vals);
    }
    section->lpVtbl->Release(section);
    return FAILED(hr) ? hr : S_OK;
}

static HRESULT STDMETHODCALLTYPE provider_Logon(IMSProvider *iface, LPMAPISUP support,
                                                ULONG ui_param, LPTSTR profile_name,
                                                ULONG cb_entry_id, LPENTRYID entry_id,
                                                ULONG flags, LPCIID iid,
                                                ULONG *cb_spool_security,
                                                LPBYTE *spool_security, LPMAPIERROR *error,
                                                LPMSLOGON *out_logon, LPMDB *out_store)
{
    struct provider *provider = impl_from_IMSProvider(iface);
    IMsgStore *store = NULL;
    IMSLogon *logon = NULL;
    HRESULT hr;

    /* The profile and the entry ID would pick the store's data; this
     * provider has one fixed, empty store. */
    (void)ui_param;
    (void)profile_name;
    (void)cb_entry_id;
    (void)entry_id;
    (void)flags;

    if (out_logon == NULL || out_store == NULL) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *out_logon = NULL;
    *out_store = NULL;
    if (cb_spool_security != NULL) {
        *cb_spool_security = 0;
    }
    if (spool_security != NULL) {
        *spool_security = NULL;
    }
    if (error != NULL) {
        *error = NULL;
    }
    if (provider_behaviour.logon_delay_ms > 0) {
        Sleep(provider_behaviour.logon_delay_ms);
    }
    if (FAILED(provider_behaviour.logon_result)) {
        return provider_behaviour.logon_result;
    }
    if (support == NULL) {
        return MAPI_E_INVALID_PARAMETER;
    }
    if (iid != NULL && !IsEqualIID(iid, &IID_IMsgStore) && !IsEqualIID(iid, &IID_IMAPIProp) &&
        !IsEqualIID(iid, &IID_IUnknown)) {
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }

    if (FAILED(hr = read_profile(provider, support))) {
        return hr;
    }
    if (FAILED(hr = store_create(&provider->alloc, &store))) {
        goto done;
    }
    if (FAILED(hr = logon_create(support, store, &logon))) {
        goto done;
    }
    *out_logon = logon;
    *out_store = store;
    return S_OK;

done:
    if (store != NULL) {
        store->lpVtbl->Release(store);
    }
    return hr;
}

/* Not needed by a sync test; parameters are the interface's, unused. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

static HRESULT STDMETHODCALLTYPE provider_SpoolerLogon(IMSProvider *iface, LPMAPISUP support,
                                                       ULONG ui_param, LPTSTR profile_name,
                                                       ULONG cb_entry_id, LPENTRYID entry_id,
                                                       ULONG flags, LPCIID iid,
                                                       ULONG cb_spool_security,
                                                       LPBYTE spool_security,
                                                       LPMAPIERROR *error,
                                                       LPMSLOGON *out_logon,
                                                       LPMDB *out_store)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE provider_CompareStoreIDs(IMSProvider *iface, ULONG cb_id1,
                                                          LPENTRYID id1, ULONG cb_id2,
                                                          LPENTRYID id2, ULONG flags,
                                                          ULONG *result)
{
    return MAPI_E_NO_SUPPORT;
}

#pragma GCC diagnostic pop

static const IMSProviderVtbl provider_vtbl = {
    provider_QueryInterface,
    provider_AddRef,
    provider_Release,
    provider_Shutdown,
    provider_Logon,
    provider_SpoolerLogon,
    provider_CompareStoreIDs,
};

/* Exported by this exact name through provider.def (cdecl; on x64 there is
 * only one convention and no decoration). */
HRESULT STDMAPIINITCALLTYPE MSProviderInit(HINSTANCE instance, LPMALLOC imalloc,
                                           LPALLOCATEBUFFER allocate_buffer,
                                           LPALLOCATEMORE allocate_more,
                                           LPFREEBUFFER free_buffer, ULONG flags,
                                           ULONG mapi_version, ULONG *provider_version,
                                           LPMSPROVIDER *out)
{
    struct provider *provider;

    (void)instance;
    (void)imalloc;
    (void)flags;

    if (provider_version == NULL || out == NULL) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *out = NULL;
    /* Reported even on failure: it tells MAPI which version we wanted. */
    *provider_version = CURRENT_SPI_VERSION;
    if (FAILED(provider_behaviour.init_result)) {
        return provider_behaviour.init_result;
    }
    if (mapi_version < CURRENT_SPI_VERSION) {
        return MAPI_E_VERSION;
    }
    if (allocate_buffer == NULL || allocate_more == NULL || free_buffer == NULL) {
        return MAPI_E_INVALID_PARAMETER;
    }

    provider = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*provider));
    if (provider == NULL) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    /* The cast drops a const nothing relies on: see store_create. */
    provider->IMSProvider_iface.lpVtbl = (IMSProviderVtbl *)&provider_vtbl;
    provider->IMAPIProviderShutdown_iface.lpVtbl = (IMAPIProviderShutdownVtbl *)&shutdown_vtbl;
    provider->refs = 1;
    provider->alloc.allocate_buffer = allocate_buffer;
    provider->alloc.allocate_more = allocate_more;
    provider->alloc.free_buffer = free_buffer;
    *out = &provider->IMSProvider_iface;
    return S_OK;
}
