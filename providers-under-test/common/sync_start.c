/*
 * sync_start.c: SynchronizeInBackground (sync_start), the checks of its
 * MAPISIB, and the set of running syncs that Logoff stops (contract in
 * sync.h). The defect knobs that concern the call itself are read here.
 */
#include "sync_internal.h"

#include <mapicode.h>

#include "behaviour.h"

BOOL sync_set_init(struct sync_set *set, const struct mapi_allocators *alloc)
{
    set->running = NULL;
    set->count = 0;
    set->ended = 0;
    set->alloc = *alloc;
    set->stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (set->stop_event == NULL) {
        return FALSE;
    }
    InitializeCriticalSection(&set->lock);
    return TRUE;
}

void sync_set_destroy(struct sync_set *set)
{
    DeleteCriticalSection(&set->lock);
    CloseHandle(set->stop_event);
}

/* Every SYNC_* bit the MAPI reference documents. */
#define SYNC_DOCUMENTED_BITS                                                                       \
    (SYNC_UPLOAD_HIERARCHY | SYNC_DOWNLOAD_HIERARCHY | SYNC_UPLOAD_CONTENTS |                      \
     SYNC_DOWNLOAD_CONTENTS | SYNC_OUTGOING_MAIL | SYNC_BACKGROUND | SYNC_THESE_FOLDERS |          \
     SYNC_GLOBAL_HEADERS | SYNC_ON_DEMAND)

/* Does punkCallBack give an IMAPISyncProgressCallback? */
static BOOL sync_has_callback(IUnknown *unk)
{
    IMAPISyncProgressCallback *cb = NULL;

    if (unk == NULL ||
        FAILED(unk->lpVtbl->QueryInterface(unk, &IID_IMAPISyncProgressCallback, (void **)&cb))) {
        return FALSE;
    }
    IMAPISyncProgressCallback_Release(cb);
    return TRUE;
}

/* The defects' own refusals of a well-formed MAPISIB. */
static HRESULT sync_check_defects(const MAPISIB *sib)
{
    const struct provider_behaviour *b = &provider_behaviour;

    if (b->size_exact && sib->ulSize != sizeof(MAPISIB)) {
        return E_INVALIDARG;
    }
    if (b->undefined_flags_invalidarg && (sib->ulFlags & ~SYNC_DOCUMENTED_BITS) != 0) {
        return E_INVALIDARG;
    }
    if (b->refuse_outgoing_mail && (sib->ulFlags & SYNC_OUTGOING_MAIL) != 0) {
        return MAPI_E_UNKNOWN_FLAGS;
    }
    if (b->callback_required && !sync_has_callback(sib->punkCallBack)) {
        return MAPI_E_CALL_FAILED;
    }
    return S_OK;
}

static HRESULT sync_check_args(const MAPISIB *sib)
{
    if (sib == NULL) {
        return E_INVALIDARG;
    }
    /* Read nothing past ulSize: a short structure may end before phSyncDoneEvent. */
    if (sib->ulSize < sizeof(MAPISIB)) {
        return MAPI_E_INVALID_PARAMETER;
    }
    if (sib->phSyncDoneEvent == NULL) {
        return E_INVALIDARG;
    }
    return sync_check_defects(sib);
}

/* A place in the set, taken before anything is made so that nothing has to
 * be undone because the set is full; given back by sync_unreserve. */
static HRESULT sync_reserve(struct sync_set *set)
{
    const struct provider_behaviour *b = &provider_behaviour;
    HRESULT hr = MAPI_E_BUSY;

    EnterCriticalSection(&set->lock);
    if (FAILED(b->overlap_result) && set->count > 0) {
        hr = b->overlap_result;
    } else if (b->fail_after_first_sync && set->ended > 0) {
        hr = MAPI_E_CALL_FAILED;
    } else if (set->count < SYNC_MAX_RUNNING) {
        set->count++;
        hr = S_OK;
    }
    LeaveCriticalSection(&set->lock);
    return hr;
}

static void sync_unreserve(struct sync_set *set)
{
    EnterCriticalSection(&set->lock);
    set->count--;
    LeaveCriticalSection(&set->lock);
}

static void sync_free_unstarted(struct sync *sync)
{
    if (sync->module != NULL) {
        FreeLibrary(sync->module);
    }
    if (sync->event != NULL) {
        CloseHandle(sync->event);
    }
    if (sync->host_event != NULL) {
        CloseHandle(sync->host_event);
    }
    HeapFree(GetProcessHeap(), 0, sync);
}

/* The sync, its done event (the host's handle and our own), the DLL
 * reference its thread holds and the thread, suspended until it is in the
 * set (so that a Logoff can always find it). own_event: the host gets no
 * handle, and the one made is only ours. */
static HRESULT sync_create(struct sync_set *set, IUnknown *owner, const MAPISIB *sib,
                           BOOL own_event, struct sync **out)
{
    HANDLE process = GetCurrentProcess();
    struct sync *sync = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*sync));
    HANDLE event;
    HRESULT hr = S_OK;

    if (sync == NULL) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    sync->set = set;
    sync->owner = owner;
    sync->caller_tid = GetCurrentThreadId();
    sync->flags = sib->ulFlags;
    if ((event = CreateEventW(NULL, TRUE, FALSE, NULL)) == NULL) {
        hr = HRESULT_FROM_WIN32(GetLastError());
    } else if (own_event) {
        sync->event = event;
    } else if (DuplicateHandle(process, event, process, &sync->event, 0, FALSE,
                               DUPLICATE_SAME_ACCESS)) {
        sync->host_event = event;
    } else {
        hr = HRESULT_FROM_WIN32(GetLastError());
        CloseHandle(event);
    }
    /* By address, so that the count is this DLL's whatever its file name. */
    if (SUCCEEDED(hr) && !GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                                             (LPCWSTR)(ULONG_PTR)sync_thread, &sync->module)) {
        hr = HRESULT_FROM_WIN32(GetLastError());
    }
    if (SUCCEEDED(hr) &&
        (sync->thread = CreateThread(NULL, 0, sync_thread, sync, CREATE_SUSPENDED, NULL)) == NULL) {
        hr = HRESULT_FROM_WIN32(GetLastError());
    }
    if (FAILED(hr)) {
        sync_free_unstarted(sync);
        return hr;
    }
    *out = sync;
    return S_OK;
}

/* Nothing can fail from here on: the references the thread owns, the sync
 * in the set, the thread started. */
static void sync_launch(struct sync_set *set, struct sync *sync, IUnknown *owner,
                        const MAPISIB *sib)
{
    const struct provider_behaviour *b = &provider_behaviour;

    if (b->callback_cast && sib->punkCallBack != NULL) {
        sync->callback = (IMAPISyncProgressCallback *)sib->punkCallBack;
        sync->callback->lpVtbl->AddRef(sync->callback);
    } else if (sib->punkCallBack != NULL &&
               FAILED(sib->punkCallBack->lpVtbl->QueryInterface(sib->punkCallBack,
                                                                &IID_IMAPISyncProgressCallback,
                                                                (void **)&sync->callback))) {
        sync->callback = NULL;
    }
    if (b->done_on_caller_thread && sync->callback != NULL) {
        IMAPISyncProgressCallback_Done(sync->callback, sync->host_event, S_OK);
    }
    owner->lpVtbl->AddRef(owner);
    EnterCriticalSection(&set->lock);
    /* Every sync that runs beside another is marked, for life. */
    for (struct sync *s = set->running; s != NULL; s = s->next) {
        s->overlapped = TRUE;
        sync->overlapped = TRUE;
    }
    sync->next = set->running;
    set->running = sync;
    LeaveCriticalSection(&set->lock);
}

/* sib_write: the MAPISIB written into, through a volatile pointer (the
 * stores are the defect, not to be folded away). */
static void sync_write_sib(PMAPISIB sib)
{
    if (provider_behaviour.sib_write == SIB_WRITE_PAST) {
        ((volatile BYTE *)sib)[sizeof(MAPISIB)] = 0x41;
    } else if (provider_behaviour.sib_write == SIB_WRITE_ZERO) {
        for (size_t i = 0; i < sizeof(MAPISIB); i++) {
            ((volatile BYTE *)sib)[i] = 0;
        }
    }
}

HRESULT sync_start(struct sync_set *set, IUnknown *owner, PMAPISIB sib)
{
    const struct provider_behaviour *b = &provider_behaviour;
    struct sync *sync = NULL;
    HANDLE unused = NULL, *slot;
    HRESULT hr, refused = S_OK;

    if (b->sync_despite_refusal && sib != NULL && sib->ulSize >= sizeof(MAPISIB) &&
        sib->phSyncDoneEvent == NULL) {
        refused = E_INVALIDARG; /* ... and yet the sync starts below */
        slot = &unused;
    } else if (FAILED(hr = sync_check_args(sib))) {
        return hr;
    } else {
        slot = sib->phSyncDoneEvent;
    }
    *slot = NULL;
    if (b->slow_return_ms > 0) {
        Sleep(b->slow_return_ms);
    }
    if (b->in_call != NULL) {
        b->in_call();
    }
    if (FAILED(b->sib_result)) {
        return b->sib_result;
    }
    if (WaitForSingleObject(set->stop_event, 0) == WAIT_OBJECT_0) {
        return MAPI_E_END_OF_SESSION;
    }
    if (FAILED(hr = sync_reserve(set))) {
        return hr;
    }
    if (FAILED(hr = sync_create(set, owner, sib, b->withhold_done_event || FAILED(refused),
                                &sync))) {
        sync_unreserve(set);
        return hr;
    }
    sync_launch(set, sync, owner, sib);
    *slot = sync->host_event;
    if (b->close_host_handle_at_return && sync->host_event != NULL) {
        CloseHandle(sync->host_event);
        sync->host_event = NULL;
    }
    ResumeThread(sync->thread);
    sync_write_sib(sib);
    return FAILED(refused) ? refused : S_OK;
}

BOOL sync_stop_all(struct sync_set *set, DWORD timeout_ms)
{
    HANDLE process = GetCurrentProcess();
    HANDLE threads[SYNC_MAX_RUNNING];
    DWORD count = 0;
    DWORD wait = WAIT_OBJECT_0;

    SetEvent(set->stop_event);

    /* Our own copies of the thread handles: a thread closes its own when it
     * leaves the set, which may happen while we wait. A thread that left the
     * set already makes no more calls to the host and needs no wait. */
    EnterCriticalSection(&set->lock);
    for (struct sync *s = set->running; s != NULL && count < SYNC_MAX_RUNNING; s = s->next) {
        /* A Logoff from inside a callback must not wait for its own thread. */
        if (GetThreadId(s->thread) == GetCurrentThreadId()) {
            continue;
        }
        if (DuplicateHandle(process, s->thread, process, &threads[count], SYNCHRONIZE, FALSE,
                            0)) {
            count++;
        }
    }
    LeaveCriticalSection(&set->lock);

    if (count > 0) {
        wait = WaitForMultipleObjects(count, threads, TRUE, timeout_ms);
    }
    for (DWORD i = 0; i < count; i++) {
        CloseHandle(threads[i]);
    }
    return wait != WAIT_TIMEOUT && wait != WAIT_FAILED;
}
