/*
 * sync.c: the sync's background thread (contract in sync.h; the call that
 * starts it, and the set of running syncs, are sync_start.c). The defect knobs of provider_behaviour that concern the sync are
 * all read here, each at the one place where a correct provider does the
 * thing the knob breaks.
 */
#include "sync_internal.h"

#include <strsafe.h>

#include <mapicode.h>

#include <stdlib.h>
#include <string.h>

#include "behaviour.h"
#include "flood.h"

static BOOL sync_stop_requested(const struct sync *sync)
{
    return WaitForSingleObject(sync->set->stop_event, 0) == WAIT_OBJECT_0;
}

static HRESULT sync_progress(struct sync *sync, const WCHAR *text, ULONG index, ULONG max)
{
    if (sync->callback == NULL) {
        return S_OK;
    }
    InterlockedIncrement(&sync->progress_calls);
    if (provider_behaviour.slow_progress_background) {
        LARGE_INTEGER t0, t1, freq;
        HRESULT hr;
        QueryPerformanceCounter(&t0);
        hr = IMAPISyncProgressCallback_Progress(sync->callback, text, index, max);
        QueryPerformanceCounter(&t1);
        QueryPerformanceFrequency(&freq);
        if ((t1.QuadPart - t0.QuadPart) * 1000 >= 5 * freq.QuadPart) {
            InterlockedIncrement(&sync->slow_progress_calls);
        }
        return hr;
    }
    return IMAPISyncProgressCallback_Progress(sync->callback, text, index, max);
}

/* upload_second_alloc_more: the upload's two item buffers, chained to the
 * status buffer; the second allocation's result goes unchecked. */
static HRESULT sync_upload_items(struct sync *sync, WCHAR *text)
{
    void *first = NULL;
    void *volatile second = NULL;

    if ((sync->flags & (SYNC_UPLOAD_CONTENTS | SYNC_UPLOAD_HIERARCHY)) == 0) {
        return S_OK;
    }
    if (FAILED(sync->set->alloc.allocate_more(64, text, &first)) || first == NULL) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    sync->set->alloc.allocate_more(64, text, (void **)&second);
    *(volatile BYTE *)second = 1; /* the defect: no check */
    return S_OK;
}

/* Did another sync of the store run beside this one (cancel_overlap_leak)? */
static BOOL sync_overlapped(struct sync *sync)
{
    BOOL overlapped;

    EnterCriticalSection(&sync->set->lock);
    overlapped = sync->overlapped;
    LeaveCriticalSection(&sync->set->lock);
    return overlapped;
}

/* The long Progress text (progress_text_units): made once and kept for the
 * DLL's life, as a provider's own status buffer would be. NULL when out of
 * memory. */
static const WCHAR *sync_long_text(ULONG units)
{
    static WCHAR *volatile made;
    WCHAR *s;

    if (made != NULL) {
        return made;
    }
    s = HeapAlloc(GetProcessHeap(), 0, ((SIZE_T)units + 1) * sizeof(WCHAR));
    if (s == NULL) {
        return NULL;
    }
    for (ULONG i = 0; i < units; i++) {
        s[i] = L'x';
    }
    s[units] = 0;
    if (InterlockedCompareExchangePointer((PVOID volatile *)&made, s, NULL) != NULL) {
        HeapFree(GetProcessHeap(), 0, s);
    }
    return made;
}

static void sync_error(struct sync *sync, HRESULT hr, const WCHAR *text)
{
    if (sync->callback != NULL) {
        IMAPISyncProgressCallback_Error(sync->callback, hr, text);
    }
}

/* Recursion the compiler cannot turn into a loop: each frame keeps a
 * buffer alive across the call. */
static ULONG sync_recurse(volatile ULONG depth)
{
    volatile char frame[512];

    frame[0] = (char)depth;
    if (depth > 0x7fffffffu) {
        return 0; /* never reached: the stack (1 MiB) ends long before */
    }
    return sync_recurse(depth + 1) + frame[0];
}

static void sync_crash(void)
{
    /* The store goes through a volatile pointer so that the compiler emits a
     * real access violation rather than a trap instruction. */
    static LONG *volatile nowhere;

    switch (provider_behaviour.crash_kind) {
    case CRASH_STACK_OVERFLOW:
        sync_recurse(0);
        break;
    case CRASH_ABORT:
        abort();
        break;
    default:
        *nowhere = 1;
        break;
    }
}

/* The heap abuse of provider_behaviour.heap_abuse. The pointers and the
 * size are volatile so that the compiler keeps every call and the stray
 * write (it drops a write it can prove is past the end of a block). */
static void sync_abuse_heap(void)
{
    static volatile size_t size = 40;
    char *volatile block;
    void *volatile heap_block;
    volatile char *past;

    switch (provider_behaviour.heap_abuse) {
    case HEAP_ABUSE_DOUBLE_FREE:
        block = malloc(size);
        free(block);
        free(block);
        break;
    case HEAP_ABUSE_OVERRUN:
        block = malloc(size);
        if (block != NULL) {
            past = block + size;
            for (int i = 0; i < 4; i++) {
                past[i] = 'x';
            }
        }
        free(block);
        break;
    case HEAP_ABUSE_FREE_TWICE:
        heap_block = HeapAlloc(GetProcessHeap(), 0, size);
        HeapFree(GetProcessHeap(), 0, heap_block);
        HeapFree(GetProcessHeap(), 0, heap_block);
        break;
    default:
        break;
    }
}

/* The syncs that replace the steps: the flood (benchmark, multithread-flood)
 * or a single Progress call (only_one_progress). */
static HRESULT sync_run_other(struct sync *sync, WCHAR *text)
{
    const struct provider_behaviour *b = &provider_behaviour;
    ULONG index = b->only_progress_index;

    if (b->only_one_progress) {
        StringCchPrintfW(text, SYNC_TEXT_CCH, L"Synchronizing folder %lu of %lu", index, index);
        return sync_progress(sync, text, index, index) == MAPI_E_USER_CANCEL ? MAPI_E_USER_CANCEL
                                                                             : S_OK;
    }
    if (sync->callback == NULL) {
        return S_OK;
    }
    return flood_run(sync->callback, sync->set->stop_event,
                     flood_calls_wanted(b->flood_progress_calls, b->flood_calls_env),
                     b->flood_threads, &sync->progress_calls);
}

/* b->stderr_bytes to standard error, in pieces as a logger writes them:
 * "\0start\n", filler, "\nend\n" (when there is room for them). */
static void write_stderr(DWORD bytes)
{
    static const char first[] = "\0start\n", last[] = "\nend\n";
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    char *buf = bytes > 0 ? malloc(bytes) : NULL;
    DWORD done = 0, n;

    if (buf == NULL) {
        return;
    }
    memset(buf, 'e', bytes);
    if (bytes >= sizeof first - 1 + sizeof last - 1) {
        memcpy(buf, first, sizeof first - 1);
        memcpy(buf + bytes - (sizeof last - 1), last, sizeof last - 1);
    }
    while (done < bytes &&
           WriteFile(err, buf + done, bytes - done < 65536 ? bytes - done : 65536, &n, NULL) &&
           n > 0) {
        done += n;
    }
    free(buf);
}

/* The sync proper: the Progress steps. Returns the final status for Done. */
/* What real providers do for their own diagnostics, as a sync starts; the
 * host shows it. */
static void sync_announce(void)
{
    const struct provider_behaviour *b = &provider_behaviour;

    OutputDebugStringW(L"provider engine: sync started\n");
    if (b->debug_output_bytes > 0) {
        char *dump = malloc(b->debug_output_bytes + 1);
        if (dump != NULL) {
            memset(dump, 'd', b->debug_output_bytes);
            dump[b->debug_output_bytes] = '\0';
            OutputDebugStringA(dump);
            free(dump);
        }
    }
    write_stderr(b->stderr_bytes);
}

/* Step k of the sync: its Progress, with what the defect knobs put around
 * it, then the "work" before the next one (the stop event cuts it short).
 * S_OK: go on; anything else ends the sync with that result. */
static HRESULT sync_step(struct sync *sync, WCHAR *text, ULONG k, ULONG last, DWORD step_ms)
{
    const struct provider_behaviour *b = &provider_behaviour;
    const WCHAR *shown = text;

    if (sync_stop_requested(sync)) {
        return MAPI_E_END_OF_SESSION;
    }
    StringCchPrintfW(text, SYNC_TEXT_CCH, L"Synchronizing folder %lu of %lu", k,
                     (ULONG)SYNC_STEPS);
    if (k == 2 && b->progress_text_units > 0 && sync_long_text(b->progress_text_units)) {
        shown = sync_long_text(b->progress_text_units);
    }
    if (k == 2 && b->progress_text_ill_formed) {
        text[0] = 0xD800; /* a high surrogate with no low one after it */
    }
    if (k == 2 && b->error_with_s_ok) {
        sync_error(sync, S_OK, L"Folder 2 synchronized.");
    }
    if (k == 2 && b->error_text_null) {
        sync_error(sync, MAPI_E_NETWORK_ERROR, NULL);
    }
    if (k == 2 && b->report_error != S_OK) {
        sync_error(sync, b->report_error, L"The server could not be reached for folder 2.");
        if (FAILED(b->report_error)) {
            return b->report_error;
        }
    }
    /* Only MAPI_E_USER_CANCEL means anything; other failures of a status
     * display are no reason to stop syncing. */
    if (sync_progress(sync, shown, k == 3 && b->progress_goes_back ? 1 : k, SYNC_STEPS) ==
            MAPI_E_USER_CANCEL &&
        !b->ignore_cancel) {
        return MAPI_E_USER_CANCEL;
    }
    if (k == 1 && b->heap_abuse != HEAP_ABUSE_NONE) {
        sync_abuse_heap();
    }
    if (k == b->crash_after_progress) {
        sync_crash();
    }
    if (k == b->exit_after_progress) {
        ExitProcess(3);
    }
    if (k < last && WaitForSingleObject(sync->set->stop_event, step_ms) == WAIT_OBJECT_0) {
        return MAPI_E_END_OF_SESSION;
    }
    return S_OK;
}

static HRESULT sync_run(struct sync *sync)
{
    const struct provider_behaviour *b = &provider_behaviour;
    const ULONG last = SYNC_STEPS + b->progress_overshoot - (b->progress_stops_short ? 1 : 0);
    const DWORD step_ms = b->step_ms > 0 ? b->step_ms : SYNC_STEP_MS;
    WCHAR *text = NULL;
    HRESULT hr = S_OK;

    if (b->done_on_caller_thread) {
        return S_OK; /* the "sync" already happened inside the call */
    }
    sync_announce();
    /* The text lives in a buffer from the host's allocator, as MAPI memory a
     * provider hands out would; when the host's allocator fails, the failure
     * is reported through Error and Done (faults-survived). */
    hr = sync->set->alloc.allocate_buffer(SYNC_TEXT_CCH * sizeof(WCHAR), (void **)&text);
    if (b->use_failed_alloc) {
        *(volatile WCHAR *)text = L'S'; /* the defect: no check */
    }
    if (FAILED(hr) || text == NULL) {
        sync_error(sync, MAPI_E_NOT_ENOUGH_MEMORY,
                   L"Could not allocate memory for the synchronization status.");
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (b->upload_second_alloc_more && FAILED(sync_upload_items(sync, text))) {
        sync->set->alloc.free_buffer(text);
        sync_error(sync, MAPI_E_NOT_ENOUGH_MEMORY, L"Could not allocate memory for the upload.");
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (b->flood_progress_calls > 0 || b->only_one_progress) {
        /* In place of the steps. */
        hr = sync_run_other(sync, text);
        sync->set->alloc.free_buffer(text);
        return hr;
    }
    for (ULONG k = 1; k <= last && hr == S_OK; k++) {
        hr = sync_step(sync, text, k, last, step_ms);
    }
    if (!b->leak_mapi_buffer) {
        sync->set->alloc.free_buffer(text);
    }
    return hr;
}

/* A thread left behind (linger_thread_ms). arg: a reference on this DLL,
 * taken by its creator, so that the code stays mapped until it ends. */
static DWORD WINAPI sync_linger(void *arg)
{
    Sleep(provider_behaviour.linger_thread_ms);
    FreeLibraryAndExitThread((HMODULE)arg, 0);
    return 0;
}

static DWORD WINAPI pool_step(void *done)
{
    Sleep(5); /* a step of the sync: indexing what was downloaded */
    SetEvent((HANDLE)done);
    return 0;
}

void sync_pool_work(void)
{
    HANDLE done = CreateEventW(NULL, TRUE, FALSE, NULL);

    if (done == NULL) {
        return;
    }
    if (QueueUserWorkItem(pool_step, done, WT_EXECUTEDEFAULT)) {
        WaitForSingleObject(done, INFINITE);
    }
    CloseHandle(done);
}

/* Leaves the set of running syncs, once: from then on Logoff does not wait
 * for this thread. The set lives on, as the thread holds the store. */
static void sync_leave(struct sync *sync)
{
    struct sync_set *set = sync->set;

    EnterCriticalSection(&set->lock);
    for (struct sync **link = &set->running; *link != NULL; link = &(*link)->next) {
        if (*link == sync) {
            *link = sync->next;
            set->count--;
            set->ended++;
            break;
        }
    }
    if (sync->thread != NULL) {
        CloseHandle(sync->thread);
        sync->thread = NULL;
    }
    LeaveCriticalSection(&set->lock);
}

/* How long a late extra Done waits (extra_done_at_random): well past a
 * logoff 10 ms after the call, well within the host's deadline. */
#define EXTRA_DONE_LATE_MS 60

/* A fair coin that differs from run to run and from process to process:
 * the low bits of the performance counter, mixed. */
static BOOL coin_toss(void)
{
    LARGE_INTEGER now;
    ULONGLONG x;

    QueryPerformanceCounter(&now);
    x = (ULONGLONG)now.QuadPart ^ ((ULONGLONG)GetCurrentProcessId() << 32) ^
        GetCurrentThreadId();
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (BOOL)(x & 1);
}

/* late_progress_timer_ms: the timer's work, on a thread of the system's
 * timer queue. */
static void CALLBACK sync_late_timer(void *arg, BOOLEAN fired)
{
    IMAPISyncProgressCallback *late = arg;

    (void)fired;
    IMAPISyncProgressCallback_Progress(late, L"Late", SYNC_STEPS, SYNC_STEPS);
    IMAPISyncProgressCallback_Release(late);
}

/* Keeps the callback, and has the timer queue call Progress on it later
 * (the timer's handle is left to the process's end: it fires once). */
static void sync_late_by_timer(IMAPISyncProgressCallback *cb, DWORD ms)
{
    HMODULE self = NULL;
    HANDLE timer = NULL;

    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                       (LPCWSTR)(ULONG_PTR)sync_late_timer, &self);
    IMAPISyncProgressCallback_AddRef(cb);
    if (!CreateTimerQueueTimer(&timer, NULL, sync_late_timer, cb, ms, 0, WT_EXECUTEONLYONCE)) {
        IMAPISyncProgressCallback_Release(cb);
    }
}

/* Reports the end to the host; see sync.h for the order. */
/* The sync's end through its callback: Done (once, or as the defect knobs
 * say), what some defects call after it, and the sync's reference given
 * back. The callback is NULL after. */
static void sync_call_done(struct sync *sync, HRESULT hr)
{
    const struct provider_behaviour *b = &provider_behaviour;

    if (b->release_before_done) {
        /* The host's object outlives this reference, so the calls below
         * still land; a real host's callback might be gone. */
        IMAPISyncProgressCallback_Release(sync->callback);
    }
    if (!b->skip_done && !b->done_on_caller_thread) {
        static volatile LONG syncs;
        ULONG extra = b->extra_done_calls;
        if (b->done_twice_from_sync != 0 &&
            (ULONG)InterlockedIncrement(&syncs) >= b->done_twice_from_sync) {
            extra = 1;
        }
        for (ULONG i = 0; i <= extra; i++) {
            if (i > 0 && sync->late_done) {
                Sleep(EXTRA_DONE_LATE_MS);
            }
            IMAPISyncProgressCallback_Done(
                sync->callback, b->done_wrong_handle ? sync->event : sync->host_event, hr);
        }
    }
    if (b->progress_after_done) {
        IMAPISyncProgressCallback_Progress(sync->callback, L"Synchronization complete",
                                           SYNC_STEPS, SYNC_STEPS);
    }
    /* Released before the event is signaled, so that the host sees its
     * references balanced when it wakes (callback-refcount). */
    if (!b->callback_leak && !b->release_before_done &&
        !(b->cancel_overlap_leak && hr == MAPI_E_USER_CANCEL && sync_overlapped(sync))) {
        IMAPISyncProgressCallback_Release(sync->callback);
    }
    sync->callback = NULL;
}

/* linger_thread_ms: a thread left behind, holding a reference on this DLL. */
static void sync_leave_linger(void)
{
    HMODULE module = NULL;
    HANDLE t = NULL;
    if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                           (LPCWSTR)(ULONG_PTR)sync_linger, &module)) {
        t = CreateThread(NULL, 0, sync_linger, module, 0, NULL);
    }
    if (t != NULL) {
        CloseHandle(t);
    } else if (module != NULL) {
        FreeLibrary(module);
    }
}

static void sync_finish(struct sync *sync, HRESULT hr)
{
    const struct provider_behaviour *b = &provider_behaviour;

    if (b->pool_work) {
        sync_pool_work();
    }

    if (b->slow_progress_background && (sync->flags & SYNC_BACKGROUND) &&
        sync->progress_calls >= 3 && sync->slow_progress_calls == sync->progress_calls) {
        WaitForSingleObject(sync->set->stop_event, INFINITE); /* the defect: a deadlock */
    }
    if (b->before_done != NULL) {
        const struct provider_sync_view view = {
            .host_event = sync->host_event,
            .event = sync->event,
            .thread = sync->thread,
            .caller_tid = sync->caller_tid,
            .progress_calls = (ULONG)sync->progress_calls,
            .status = hr,
            .callback = sync->callback,
        };
        b->before_done(&view);
    }
    /* The defect abandon_on_logoff: a sync stopped by Logoff just ends. */
    const BOOL abandoned = b->abandon_on_logoff && hr == MAPI_E_END_OF_SESSION;

    if (sync->callback != NULL && b->late_progress_timer_ms > 0) {
        sync_late_by_timer(sync->callback, b->late_progress_timer_ms);
    }
    IMAPISyncProgressCallback *late = NULL;
    if (sync->callback != NULL && b->late_progress_ms > 0) {
        late = sync->callback;
        IMAPISyncProgressCallback_AddRef(late);
    }
    if (sync->callback != NULL && abandoned) {
        IMAPISyncProgressCallback_Release(sync->callback);
        sync->callback = NULL;
    }
    if (sync->callback != NULL) {
        sync_call_done(sync, hr);
    }

    /* Leave the set before signaling: once the host wakes, this sync holds no
     * thread handle and makes no more calls to the host (leak-handles). */
    sync_leave(sync);

    if (b->linger_thread_ms > 0) {
        sync_leave_linger();
    }
    if (!b->skip_signal && !abandoned) {
        SetEvent(sync->event);
    }
    CloseHandle(sync->event);
    if (b->close_host_handle && sync->host_event != NULL) {
        CloseHandle(sync->host_event);
    }
    if (b->after_signal != NULL) {
        const struct provider_sync_view view = {
            .host_event = sync->host_event,
            .caller_tid = sync->caller_tid,
            .status = hr,
        };
        b->after_signal(&view);
    }
    if (late != NULL) {
        Sleep(b->late_progress_ms);
        IMAPISyncProgressCallback_Progress(late, L"Late", SYNC_STEPS, SYNC_STEPS);
        IMAPISyncProgressCallback_Release(late);
    }
}

DWORD WINAPI sync_thread(void *arg)
{
    struct sync *sync = arg;
    HMODULE module = sync->module;
    IUnknown *owner = sync->owner;

    /* extra_done_at_random: out of the set, Logoff does not wait for this
     * sync, so its late Done comes after Logoff has returned. */
    if (provider_behaviour.extra_done_at_random && coin_toss()) {
        sync->late_done = TRUE;
        sync_leave(sync);
    }
    sync_finish(sync, sync_run(sync));
    HeapFree(GetProcessHeap(), 0, sync);
    /* This may be the store's last reference. */
    owner->lpVtbl->Release(owner);
    /* Drops the DLL reference taken in sync_start. The host may have called
     * FreeLibrary while this thread ran; this reference kept the code mapped
     * until now, and FreeLibraryAndExitThread never returns into it. */
    FreeLibraryAndExitThread(module, 0);
    return 0;
}
