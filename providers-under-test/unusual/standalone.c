/*
 * standalone.c: a whole store provider in one file, written as a team
 * outside synchost would write it: from the public synchost/mapisync.h and
 * mingw-w64's MAPI headers alone, sharing nothing with the providers-under-test
 * engine. Built twice, for two unusual but correct ways to hand over the
 * done event (MAPISIB asks for "the event that will occur when the thread
 * that was just created is complete", and says nothing more of it):
 *
 * DONE_EVENT_IS_THREAD 0 (unusual-autoreset-event.dll): the done event is an
 * AUTO-reset event, and the sync is so fast that it is over before
 * SynchronizeInBackground returns. The call starts the sync thread and waits
 * for it to end; the thread makes its five Progress calls, calls Done,
 * releases the callback and signals the event. So the event the host
 * receives is already signaled, and its first successful wait consumes that
 * signal. Done is called on the sync thread, not the caller's.
 *
 * DONE_EVENT_IS_THREAD 1 (unusual-thread-handle-event.dll): the "done event"
 * is the sync thread itself: a thread handle is signaled when the thread
 * ends. *phSyncDoneEvent receives a duplicate of the thread's handle
 * (SYNCHRONIZE access), which the host owns and closes; Done passes that same
 * value back. The thread holds a reference on the DLL and ends with
 * FreeLibraryAndExitThread, so the host may unload the DLL once the handle is
 * signaled.
 *
 * One object carries IMsgStore, IMAPISync and IMSLogon (Logon's store and
 * logon "act as one object"); a second is the IMSProvider.
 *
 * Threading: free-threaded; Interlocked refcounts.
 */
#include <windows.h>
#include <mapix.h>
#include <mapispi.h>
#include <mapicode.h>

/* The IIDs this file uses, defined here (this is its only translation unit). */
#include <initguid.h>
#define USES_IID_IMAPIProp
#define USES_IID_IMsgStore
#define USES_IID_IMSLogon
#define USES_IID_IMSProvider
#include <mapiguid.h>
#define SYNCHOST_DEFINE_IIDS
#include <synchost/mapisync.h>

static const WCHAR *const step_texts[] = {
    L"Synchronizing Inbox",    L"Synchronizing Sent Items", L"Synchronizing Drafts",
    L"Synchronizing Calendar", L"Synchronizing Contacts",
};
#define STEP_COUNT ((ULONG)(sizeof(step_texts) / sizeof(step_texts[0])))

/* ---- the store: IMsgStore, IMAPISync and IMSLogon on one object ---- */

struct store {
    IMsgStore IMsgStore_iface;
    IMAPISync IMAPISync_iface;
    IMSLogon IMSLogon_iface;
    LONG refs;
    IMAPISupport *support; /* AddRef'd at Logon; released by Logoff or the last Release */
};

static struct store *from_store(IMsgStore *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMsgStore_iface);
}

static struct store *from_sync(IMAPISync *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMAPISync_iface);
}

static struct store *from_logon(IMSLogon *iface)
{
    return CONTAINING_RECORD(iface, struct store, IMSLogon_iface);
}

static HRESULT store_qi(struct store *store, REFIID riid, void **out)
{
    if (out == NULL) {
        return E_POINTER;
    }
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPIProp) ||
        IsEqualIID(riid, &IID_IMsgStore)) {
        *out = &store->IMsgStore_iface;
    } else if (IsEqualIID(riid, &IID_IMAPISync)) {
        *out = &store->IMAPISync_iface;
    } else if (IsEqualIID(riid, &IID_IMSLogon)) {
        *out = &store->IMSLogon_iface;
    } else {
        *out = NULL;
        return E_NOINTERFACE;
    }
    InterlockedIncrement(&store->refs);
    return S_OK;
}

static void store_drop_support(struct store *store)
{
    IMAPISupport *support = InterlockedExchangePointer((void **)&store->support, NULL);

    if (support != NULL) {
        support->lpVtbl->Release(support);
    }
}

static ULONG store_release(struct store *store)
{
    LONG refs = InterlockedDecrement(&store->refs);

    if (refs == 0) {
        store_drop_support(store);
        HeapFree(GetProcessHeap(), 0, store);
    }
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE ms_QueryInterface(IMsgStore *iface, REFIID riid, void **out)
{
    return store_qi(from_store(iface), riid, out);
}

static ULONG STDMETHODCALLTYPE ms_AddRef(IMsgStore *iface)
{
    return (ULONG)InterlockedIncrement(&from_store(iface)->refs);
}

static ULONG STDMETHODCALLTYPE ms_Release(IMsgStore *iface)
{
    return store_release(from_store(iface));
}

static HRESULT STDMETHODCALLTYPE ms_GetLastError(IMsgStore *iface, HRESULT hr, ULONG flags,
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

/* The rest of IMAPIProp and IMsgStore: not supported, as the pages allow. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define NO_SUPPORT(name, ...)                                            \
    static HRESULT STDMETHODCALLTYPE name(IMsgStore *iface, __VA_ARGS__) \
    {                                                                    \
        return MAPI_E_NO_SUPPORT;                                        \
    }
NO_SUPPORT(ms_SaveChanges, ULONG flags)
NO_SUPPORT(ms_GetProps, LPSPropTagArray tags, ULONG flags, ULONG *count, LPSPropValue *props)
NO_SUPPORT(ms_GetPropList, ULONG flags, LPSPropTagArray *tags)
NO_SUPPORT(ms_OpenProperty, ULONG tag, LPCIID iid, ULONG options, ULONG flags, LPUNKNOWN *out)
NO_SUPPORT(ms_SetProps, ULONG count, LPSPropValue props, LPSPropProblemArray *problems)
NO_SUPPORT(ms_DeleteProps, LPSPropTagArray tags, LPSPropProblemArray *problems)
NO_SUPPORT(ms_CopyTo, ULONG n_iids, LPCIID iids, LPSPropTagArray excluded, ULONG ui_param,
           LPMAPIPROGRESS progress, LPCIID iid, LPVOID dest, ULONG flags,
           LPSPropProblemArray *problems)
NO_SUPPORT(ms_CopyProps, LPSPropTagArray included, ULONG ui_param, LPMAPIPROGRESS progress,
           LPCIID iid, LPVOID dest, ULONG flags, LPSPropProblemArray *problems)
NO_SUPPORT(ms_GetNamesFromIDs, LPSPropTagArray *tags, LPGUID guid, ULONG flags, ULONG *count,
           LPMAPINAMEID **names)
NO_SUPPORT(ms_GetIDsFromNames, ULONG count, LPMAPINAMEID *names, ULONG flags, LPSPropTagArray *tags)
NO_SUPPORT(ms_Advise, ULONG cb_id, LPENTRYID id, ULONG mask, LPMAPIADVISESINK sink,
           ULONG *connection)
NO_SUPPORT(ms_Unadvise, ULONG connection)
NO_SUPPORT(ms_CompareEntryIDs, ULONG cb1, LPENTRYID id1, ULONG cb2, LPENTRYID id2, ULONG flags,
           ULONG *result)
NO_SUPPORT(ms_OpenEntry, ULONG cb_id, LPENTRYID id, LPCIID iid, ULONG flags, ULONG *type,
           LPUNKNOWN *out)
NO_SUPPORT(ms_SetReceiveFolder, LPTSTR cls, ULONG flags, ULONG cb_id, LPENTRYID id)
NO_SUPPORT(ms_GetReceiveFolder, LPTSTR cls, ULONG flags, ULONG *cb_id, LPENTRYID *id,
           LPTSTR *explicit_cls)
NO_SUPPORT(ms_GetReceiveFolderTable, ULONG flags, LPMAPITABLE *table)
NO_SUPPORT(ms_StoreLogoff, ULONG *flags)
NO_SUPPORT(ms_AbortSubmit, ULONG cb_id, LPENTRYID id, ULONG flags)
NO_SUPPORT(ms_GetOutgoingQueue, ULONG flags, LPMAPITABLE *table)
NO_SUPPORT(ms_SetLockState, LPMESSAGE message, ULONG state)
NO_SUPPORT(ms_FinishedMsg, ULONG flags, ULONG cb_id, LPENTRYID id)
NO_SUPPORT(ms_NotifyNewMail, LPNOTIFICATION notification)
#undef NO_SUPPORT
#pragma GCC diagnostic pop

static const IMsgStoreVtbl ms_vtbl = {
    ms_QueryInterface,   ms_AddRef,           ms_Release,
    ms_GetLastError,     ms_SaveChanges,      ms_GetProps,
    ms_GetPropList,      ms_OpenProperty,     ms_SetProps,
    ms_DeleteProps,      ms_CopyTo,           ms_CopyProps,
    ms_GetNamesFromIDs,  ms_GetIDsFromNames,  ms_Advise,
    ms_Unadvise,         ms_CompareEntryIDs,  ms_OpenEntry,
    ms_SetReceiveFolder, ms_GetReceiveFolder, ms_GetReceiveFolderTable,
    ms_StoreLogoff,      ms_AbortSubmit,      ms_GetOutgoingQueue,
    ms_SetLockState,     ms_FinishedMsg,      ms_NotifyNewMail,
};

/* ---- IMAPISync: the sync ---- */

#if DONE_EVENT_IS_THREAD
/* The wait between two steps: the "work". */
#define STEP_MS 5

#endif
struct job {
    IMAPISyncProgressCallback *callback; /* from QueryInterface; NULL: sync silently */
#if DONE_EVENT_IS_THREAD
    HANDLE host_handle;                  /* the host's duplicate of our thread handle */
    HMODULE module;                      /* the DLL reference the thread ends with */
#else
    HANDLE host_event;                   /* the value the host receives; passed to Done */
    HANDLE event;                        /* our duplicate: signaled, then closed */
#endif
};

static DWORD WINAPI sync_thread(void *arg)
{
    struct job *job = arg;
#if DONE_EVENT_IS_THREAD
    HMODULE module = job->module;
#endif
    HRESULT hr = S_OK;

    for (ULONG i = 0; job->callback != NULL && i < STEP_COUNT; i++) {
#if DONE_EVENT_IS_THREAD
        if (i > 0) {
            Sleep(STEP_MS);
        }
#endif
        if (IMAPISyncProgressCallback_Progress(job->callback, step_texts[i], i + 1, STEP_COUNT) ==
            MAPI_E_USER_CANCEL) {
            hr = MAPI_E_USER_CANCEL;
            break;
        }
    }
    if (job->callback != NULL) {
#if DONE_EVENT_IS_THREAD
        IMAPISyncProgressCallback_Done(job->callback, job->host_handle, hr);
#else
        IMAPISyncProgressCallback_Done(job->callback, job->host_event, hr);
#endif
        IMAPISyncProgressCallback_Release(job->callback);
    }
#if !DONE_EVENT_IS_THREAD
    SetEvent(job->event);
    CloseHandle(job->event);
#endif
    HeapFree(GetProcessHeap(), 0, job);
#if DONE_EVENT_IS_THREAD
    /* Ending the thread is what signals the host's handle. */
    FreeLibraryAndExitThread(module, 0);
#endif
    return 0;
}

static HRESULT STDMETHODCALLTYPE sync_QueryInterface(IMAPISync *iface, REFIID riid, void **out)
{
    return store_qi(from_sync(iface), riid, out);
}

static ULONG STDMETHODCALLTYPE sync_AddRef(IMAPISync *iface)
{
    return (ULONG)InterlockedIncrement(&from_sync(iface)->refs);
}

static ULONG STDMETHODCALLTYPE sync_Release(IMAPISync *iface)
{
    return store_release(from_sync(iface));
}

static void job_free(struct job *job)
{
    if (job->callback != NULL) {
        IMAPISyncProgressCallback_Release(job->callback);
    }
#if DONE_EVENT_IS_THREAD
    if (job->host_handle != NULL) {
        CloseHandle(job->host_handle);
#else
    if (job->event != NULL) {
        CloseHandle(job->event);
#endif
    }
#if DONE_EVENT_IS_THREAD
    if (job->module != NULL) {
        FreeLibrary(job->module);
#else
    if (job->host_event != NULL) {
        CloseHandle(job->host_event);
#endif
    }
    HeapFree(GetProcessHeap(), 0, job);
}

static HRESULT STDMETHODCALLTYPE sync_SynchronizeInBackground(IMAPISync *iface, PMAPISIB sib)
{
    HANDLE process = GetCurrentProcess();
    struct job *job;
    HANDLE thread;
#if DONE_EVENT_IS_THREAD
    HANDLE host_handle;
#else
    HANDLE host_event;
#endif

    (void)iface;
    if (sib == NULL || sib->phSyncDoneEvent == NULL) {
        return E_INVALIDARG;
    }
    if (sib->ulSize < sizeof(MAPISIB)) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *sib->phSyncDoneEvent = NULL;
    job = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*job));
    if (job == NULL) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
#if DONE_EVENT_IS_THREAD
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)(ULONG_PTR)sync_thread,
                            &job->module)) {
        job_free(job);
        return MAPI_E_CALL_FAILED;
    }
    /* Suspended until the host's handle is in the job, for Done to pass back. */
    thread = CreateThread(NULL, 0, sync_thread, job, CREATE_SUSPENDED, NULL);
    if (thread == NULL) {
        job_free(job);
        return MAPI_E_CALL_FAILED;
    }
    if (!DuplicateHandle(process, thread, process, &job->host_handle, SYNCHRONIZE, FALSE, 0)) {
        /* Never resumed: let it end at once, with nothing to do. */
        TerminateThread(thread, 0);
        CloseHandle(thread);
#else
    /* bManualReset FALSE: an auto-reset event. */
    job->host_event = CreateEventW(NULL, FALSE, FALSE, NULL);
    if (job->host_event == NULL || !DuplicateHandle(process, job->host_event, process, &job->event,
                                                    0, FALSE, DUPLICATE_SAME_ACCESS)) {
#endif
        job_free(job);
        return MAPI_E_CALL_FAILED;
    }
    if (sib->punkCallBack != NULL &&
        FAILED(sib->punkCallBack->lpVtbl->QueryInterface(
            sib->punkCallBack, &IID_IMAPISyncProgressCallback, (void **)&job->callback))) {
        job->callback = NULL;
    }
#if DONE_EVENT_IS_THREAD
    host_handle = job->host_handle;
    ResumeThread(thread); /* from here on the thread owns the job */
#else
    host_event = job->host_event;
    thread = CreateThread(NULL, 0, sync_thread, job, 0, NULL);
    if (thread == NULL) {
        job_free(job);
        return MAPI_E_CALL_FAILED;
    }
    /* The sync is quick: let it finish, Done and the signal included, before
     * returning. The thread owns and frees the job. */
    WaitForSingleObject(thread, INFINITE);
#endif
    CloseHandle(thread);
#if DONE_EVENT_IS_THREAD
    *sib->phSyncDoneEvent = host_handle;
#else
    *sib->phSyncDoneEvent = host_event;
#endif
    return S_OK;
}

static const IMAPISyncVtbl sync_vtbl = {
    sync_QueryInterface,
    sync_AddRef,
    sync_Release,
    sync_SynchronizeInBackground,
};

/* ---- IMSLogon ---- */

static HRESULT STDMETHODCALLTYPE logon_QueryInterface(IMSLogon *iface, REFIID riid, void **out)
{
    return store_qi(from_logon(iface), riid, out);
}

static ULONG STDMETHODCALLTYPE logon_AddRef(IMSLogon *iface)
{
    return (ULONG)InterlockedIncrement(&from_logon(iface)->refs);
}

static ULONG STDMETHODCALLTYPE logon_Release(IMSLogon *iface)
{
    return store_release(from_logon(iface));
}

static HRESULT STDMETHODCALLTYPE logon_GetLastError(IMSLogon *iface, HRESULT hr, ULONG flags,
                                                    LPMAPIERROR *error)
{
    return ms_GetLastError(&from_logon(iface)->IMsgStore_iface, hr, flags, error);
}

#if DONE_EVENT_IS_THREAD
/* A sync still running goes on to its end (it holds the DLL and touches
 * nothing of the store); the host waits on its handle anyway. */
#else
/* Every sync has ended before its call returned: nothing to wait for. */
#endif
static HRESULT STDMETHODCALLTYPE logon_Logoff(IMSLogon *iface, ULONG *flags)
{
    (void)flags;
    store_drop_support(from_logon(iface));
    return S_OK;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
static HRESULT STDMETHODCALLTYPE logon_OpenEntry(IMSLogon *iface, ULONG cb_id, LPENTRYID id,
                                                 LPCIID iid, ULONG flags, ULONG *type,
                                                 LPUNKNOWN *out)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE logon_CompareEntryIDs(IMSLogon *iface, ULONG cb1, LPENTRYID id1,
                                                       ULONG cb2, LPENTRYID id2, ULONG flags,
                                                       ULONG *result)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE logon_Advise(IMSLogon *iface, ULONG cb_id, LPENTRYID id,
                                              ULONG mask, LPMAPIADVISESINK sink, ULONG *connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE logon_Unadvise(IMSLogon *iface, ULONG connection)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE logon_OpenStatusEntry(IMSLogon *iface, LPCIID iid, ULONG flags,
                                                       ULONG *type, LPVOID *out)
{
    return MAPI_E_NO_SUPPORT;
}
#pragma GCC diagnostic pop

static const IMSLogonVtbl logon_vtbl = {
    logon_QueryInterface, logon_AddRef,          logon_Release,         logon_GetLastError,
    logon_Logoff,         logon_OpenEntry,       logon_CompareEntryIDs, logon_Advise,
    logon_Unadvise,       logon_OpenStatusEntry,
};

/* ---- IMSProvider and MSProviderInit ---- */

struct provider {
    IMSProvider IMSProvider_iface;
    LONG refs;
};

static struct provider *from_provider(IMSProvider *iface)
{
    return CONTAINING_RECORD(iface, struct provider, IMSProvider_iface);
}

static HRESULT STDMETHODCALLTYPE prov_QueryInterface(IMSProvider *iface, REFIID riid, void **out)
{
    if (out == NULL) {
        return E_POINTER;
    }
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMSProvider)) {
        *out = iface;
        InterlockedIncrement(&from_provider(iface)->refs);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE prov_AddRef(IMSProvider *iface)
{
    return (ULONG)InterlockedIncrement(&from_provider(iface)->refs);
}

static ULONG STDMETHODCALLTYPE prov_Release(IMSProvider *iface)
{
    struct provider *provider = from_provider(iface);
    LONG refs = InterlockedDecrement(&provider->refs);

    if (refs == 0) {
        HeapFree(GetProcessHeap(), 0, provider);
    }
    return (ULONG)refs;
}

static HRESULT STDMETHODCALLTYPE prov_Shutdown(IMSProvider *iface, ULONG *flags)
{
    (void)iface;
    (void)flags;
    return S_OK;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
static HRESULT STDMETHODCALLTYPE prov_Logon(IMSProvider *iface, LPMAPISUP support, ULONG ui_param,
                                            LPTSTR profile, ULONG cb_id, LPENTRYID id, ULONG flags,
                                            LPCIID iid, ULONG *cb_spool, LPBYTE *spool,
                                            LPMAPIERROR *error, LPMSLOGON *out_logon,
                                            LPMDB *out_store)
{
    struct store *store;

    if (out_logon == NULL || out_store == NULL || support == NULL) {
        return MAPI_E_INVALID_PARAMETER;
    }
    if (cb_spool != NULL) {
        *cb_spool = 0;
    }
    if (spool != NULL) {
        *spool = NULL;
    }
    if (error != NULL) {
        *error = NULL;
    }
    store = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*store));
    if (store == NULL) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    /* mingw-w64's lpVtbl is not const; nothing writes through it. */
    store->IMsgStore_iface.lpVtbl = (IMsgStoreVtbl *)&ms_vtbl;
    store->IMAPISync_iface.lpVtbl = (IMAPISyncVtbl *)&sync_vtbl;
    store->IMSLogon_iface.lpVtbl = (IMSLogonVtbl *)&logon_vtbl;
    store->refs = 2; /* one for each interface handed out */
    support->lpVtbl->AddRef(support);
    store->support = support;
    *out_logon = &store->IMSLogon_iface;
    *out_store = &store->IMsgStore_iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE prov_SpoolerLogon(IMSProvider *iface, LPMAPISUP support,
                                                   ULONG ui_param, LPTSTR profile, ULONG cb_id,
                                                   LPENTRYID id, ULONG flags, LPCIID iid,
                                                   ULONG cb_spool, LPBYTE spool, LPMAPIERROR *error,
                                                   LPMSLOGON *out_logon, LPMDB *out_store)
{
    return MAPI_E_NO_SUPPORT;
}

static HRESULT STDMETHODCALLTYPE prov_CompareStoreIDs(IMSProvider *iface, ULONG cb1, LPENTRYID id1,
                                                      ULONG cb2, LPENTRYID id2, ULONG flags,
                                                      ULONG *result)
{
    return MAPI_E_NO_SUPPORT;
}
#pragma GCC diagnostic pop

static const IMSProviderVtbl provider_vtbl = {
    prov_QueryInterface, prov_AddRef,       prov_Release,         prov_Shutdown,
    prov_Logon,          prov_SpoolerLogon, prov_CompareStoreIDs,
};

HRESULT STDMAPIINITCALLTYPE MSProviderInit(HINSTANCE instance, LPMALLOC imalloc,
                                           LPALLOCATEBUFFER allocate_buffer,
                                           LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer,
                                           ULONG flags, ULONG mapi_version, ULONG *provider_version,
                                           LPMSPROVIDER *out)
{
    struct provider *provider;

    (void)instance;
    (void)imalloc;
    (void)allocate_buffer;
    (void)allocate_more;
    (void)free_buffer;
    (void)flags;
    if (provider_version == NULL || out == NULL) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *out = NULL;
    *provider_version = CURRENT_SPI_VERSION;
    if (mapi_version < CURRENT_SPI_VERSION) {
        return MAPI_E_VERSION;
    }
    provider = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*provider));
    if (provider == NULL) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    provider->IMSProvider_iface.lpVtbl = (IMSProviderVtbl *)&provider_vtbl;
    provider->refs = 1;
    *out = &provider->IMSProvider_iface;
    return S_OK;
}
