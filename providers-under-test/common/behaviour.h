/*
 * behaviour.h: the one thing a provider DLL built on the common engine
 * defines. Every DLL in reference/ and defects/ is a single small .c file
 * that defines `provider_behaviour`; the engine (provider.c, logon.c,
 * store.c, sync.c) reads it and otherwise behaves correctly.
 *
 * Every field's zero value is the correct behaviour, so the reference
 * provider is `{0}` and a defect names only the knob it turns. Each knob
 * breaks one rule of CONTRACT.md; the comment next to it names the rule.
 * The knobs marked "not a defect" are the exception: they make the provider
 * unusual but legal (unusual/), and it must still pass everything.
 * The load-time defects need no knob: their fault is in the DLL's own source
 * or build (a DllMain of its own, an import from a DLL that does not exist,
 * a misspelt export in its .def file).
 *
 * It includes the MAPI headers that define MAPI_E_*, the values the
 * HRESULT knobs take.
 *
 * Threading: the struct is const and read from any thread.
 */
#ifndef PROVIDER_BEHAVIOUR_H
#define PROVIDER_BEHAVIOUR_H

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>
#include <synchost/mapisync.h>

/* What the sync thread holds, shown to provider_behaviour.before_done. */
struct provider_sync_view {
    HANDLE host_event;    /* the handle stored in *phSyncDoneEvent (NULL if withheld) */
    HANDLE event;         /* the engine's own duplicate, which it signals */
    HANDLE thread;        /* the sync thread's own handle */
    DWORD caller_tid;     /* the thread that called SynchronizeInBackground */
    ULONG progress_calls; /* Progress calls the sync made so far */
    HRESULT status;       /* what the sync is about to pass to Done */
    /* The host's callback (before_done only; NULL after Logoff abandoned the
     * sync): for a hook that calls it itself. */
    IMAPISyncProgressCallback *callback;
};

struct provider_behaviour {
    /* MSProviderInit returns this instead of S_OK (load-entry-point). */
    HRESULT init_result;
    /* IMSProvider::Logon returns this instead of S_OK (load-logon). */
    HRESULT logon_result;
    /* The store answers E_NOINTERFACE for IID_IMAPISync (load-qi-imapisync). */
    BOOL hide_imapisync;
    /* SynchronizeInBackground returns this for a valid MAPISIB, after the
     * argument checks, and starts nothing (sib-returns-s-ok). */
    HRESULT sib_result;
    /* Return S_OK but leave *phSyncDoneEvent NULL; the sync still runs and
     * calls Done with NULL (sib-writes-done-event). */
    BOOL withhold_done_event;
    /* Call Done but never signal the done event (event-signaled). */
    BOOL skip_signal;
    /* Call Done this many extra times, all before signaling (done-called-once). */
    ULONG extra_done_calls;
    /* Toss a coin when the sync starts: heads, the extra Done comes at
     * once; tails, the sync stops being one Logoff waits for, and the extra
     * Done comes 60 ms after the first. With a logoff soon after the call
     * (logoff-mid-sync), the second Done lands before the logoff or after
     * it at random: done-called-once or shutdown-during-sync, a defect whose
     * set of broken rules varies from run to run (baselines). */
    BOOL extra_done_at_random;
    /* Signal the done event without ever calling Done (done-called-once). */
    BOOL skip_done;
    /* Call Progress once more after Done, before signaling (done-last). */
    BOOL progress_after_done;
    /* Report this many steps past ulIndexMax, the classic `<=` off-by-one
     * (progress-index-bounded). */
    ULONG progress_overshoot;
    /* Crash on the sync thread right after Progress number k (1-based;
     * 0 = never), in the way crash_kind says (no-crash). */
    ULONG crash_after_progress;
    enum {
        CRASH_NULL_WRITE,     /* a write through NULL: an access violation */
        CRASH_STACK_OVERFLOW, /* unbounded recursion */
        CRASH_ABORT,          /* the C runtime's abort() */
    } crash_kind;
    /* Do the sync's work and call Done inside SynchronizeInBackground, on the
     * caller's thread; the thread then only signals (sib-background-thread). */
    BOOL done_on_caller_thread;
    /* Pass Done the provider's own duplicate of the event instead of the
     * handle the host was given (done-handle-matches). */
    BOOL done_wrong_handle;
    /* Report step 1 again in place of step 3: ulIndex goes back
     * (progress-monotonic). */
    BOOL progress_goes_back;
    /* Call Error(S_OK, ...) once during the sync (error-hresult-failure). */
    BOOL error_with_s_ok;
    /* Call Error(MAPI_E_NETWORK_ERROR, NULL) once during the sync
     * (error-text-valid). */
    BOOL error_text_null;
    /* Pass Progress a string with an unpaired surrogate in place of step 2's
     * text (progress-text-valid). */
    BOOL progress_text_ill_formed;
    /* Use punkCallBack as the callback by casting it (and AddRef) instead of
     * QueryInterface (callback-via-qi). */
    BOOL callback_cast;
    /* Take no notice of MAPI_E_USER_CANCEL from Progress: sync on and report
     * success (cancel-honored). */
    BOOL ignore_cancel;
    /* Never Release the callback it obtained (callback-refcount). */
    BOOL callback_leak;
    /* Release the callback, then call Done through it (callback-after-release). */
    BOOL release_before_done;
    /* Close the host's handle to the done event after signaling it
     * (event-owned-by-host). */
    BOOL close_host_handle;
    /* Close the host's handle to the done event as SynchronizeInBackground
     * returns, after writing it to *phSyncDoneEvent (event-owned-by-host:
     * the host finds the value already closed). */
    BOOL close_host_handle_at_return;
    /* Call ExitProcess on the sync thread right after Progress number k
     * (1-based; 0 = never), as a provider that "gives up" might (no-exit). */
    ULONG exit_after_progress;
    /* IMSLogon::Logoff never returns: it waits on an event nobody signals,
     * as a provider deadlocked on its own lock would (no-hang). */
    BOOL hang_in_logoff;
    /* SynchronizeInBackground does this many milliseconds of work on the
     * caller's thread before it returns (sib-returns-promptly; under the
     * bound, unusual/return-after, it is not a defect). */
    DWORD slow_return_ms;
    /* Step 2's Progress text is this many UTF-16 code units of 'x' and its
     * terminator instead: legal, but longer than synchost records
     * (callback-text-length, pedantic; not a defect at the default level:
     * unusual/long-progress-text). 0: the usual text. */
    ULONG progress_text_units;
    /* Abuse the heap on the sync thread right after the first Progress, in
     * the way this says (no-crash; seen with --heap-check). The sync then
     * goes on as if nothing happened, as it would under Wine's heap. */
    enum {
        HEAP_ABUSE_NONE,
        HEAP_ABUSE_DOUBLE_FREE, /* free() twice of a malloc'd block */
        HEAP_ABUSE_OVERRUN,     /* write 4 bytes past a malloc'd block, then free() it */
        HEAP_ABUSE_FREE_TWICE,  /* HeapFree twice of a HeapAlloc(GetProcessHeap()) block */
    } heap_abuse;
    /* Not a defect: a load for the benchmark (scripts/bench). Instead of
     * its usual steps, the sync thread calls Progress this many times as
     * fast as it can, with a NULL text and a constant index 1 of 1, then
     * calls Done as usual. */
    ULONG flood_progress_calls;
    /* Not a defect: when set, the environment variable of this name, if it
     * holds a whole number from 1 to 4294967295, replaces
     * flood_progress_calls (scripts/bench: SYNCHOST_BENCH_FLOOD_CALLS). */
    const char *flood_calls_env;

    /* Correct but unusual behaviour (providers in unusual/). Each knob is
     * legal under CONTRACT.md: a provider built with it must pass every
     * scenario of the built-in suite. */

    /* Not a defect: IMSProvider::Logon takes this many milliseconds before it
     * answers, as one that first reaches a slow server would. */
    DWORD logon_delay_ms;
    /* Not a defect: the wait between two Progress steps, in milliseconds, in
     * place of SYNC_STEP_MS (0: SYNC_STEP_MS); a slower but normal sync. */
    DWORD step_ms;
    /* Not a defect: call Error(report_error, text) once, before step 2. A
     * warning (MAPI_W_*) lets the sync go on to Done(S_OK); a failure ends it
     * there with Done(report_error). S_OK: no Error call. */
    HRESULT report_error;
    /* Not a defect: in place of its steps the sync makes one single Progress
     * call, index and maximum both only_progress_index (0 of 0 is legal, and
     * so is 0xFFFFFFFF of 0xFFFFFFFF). */
    BOOL only_one_progress;
    ULONG only_progress_index;
    /* Not a defect: the flood (flood_progress_calls calls each) runs on this
     * many threads at once, all started by the sync thread, which waits for
     * them to end before Done. At most two calls are in flight at a time, so
     * that a cancel is followed by at most one more Progress (cancel-honored).
     * 0: the flood, if any, runs on the sync thread alone. */
    ULONG flood_threads;

    /* QueryInterface(IID_IUnknown) through the IMAPISync interface answers
     * the IMAPISync pointer, not the store's: two identities for one object
     * (com-qi-rules). */
    BOOL sync_own_identity;
    /* A MAPISIB without phSyncDoneEvent is refused with E_INVALIDARG, but
     * the sync is started all the same: it calls Progress and Done(NULL)
     * and signals an event of its own (sib-failure-quiet). */
    BOOL sync_despite_refusal;
    /* Report steps 1 to 4 of 5, then Done(S_OK): the bar never reaches the
     * end (progress-completes). */
    BOOL progress_stops_short;
    /* Refuse SYNC_OUTGOING_MAIL, documented as not in use, with
     * MAPI_E_UNKNOWN_FLAGS (flags-accepted). */
    BOOL refuse_outgoing_mail;
    /* Refuse any undefined ulFlags bit with E_INVALIDARG rather than
     * ignore it or answer MAPI_E_UNKNOWN_FLAGS (flags-unknown). */
    BOOL undefined_flags_invalidarg;
    /* Check ulSize == sizeof(MAPISIB) rather than >=: a larger MAPISIB is
     * refused with E_INVALIDARG (sib-size-checked). */
    BOOL size_exact;
    /* Refuse a NULL punkCallBack, or one without IMAPISyncProgressCallback,
     * with MAPI_E_CALL_FAILED (sib-null-callback). */
    BOOL callback_required;
    /* After each sync, leave a thread behind that ends this many
     * milliseconds after the done event (leak-threads). */
    DWORD linger_thread_ms;
    /* Not a defect: part of each sync's work, and the save for fast
     * shutdown, is handed to the system thread pool (QueueUserWorkItem) and
     * waited for before Done (before NotifyProcessShutdown returns). The
     * pool keeps its idle worker threads afterwards, as Windows' does: they
     * are the system's, not the provider's (leak-threads,
     * fast-shutdown-ready). */
    BOOL pool_work;
    /* Not a defect: the first Logon makes an event the DLL keeps for its
     * life (a lazily made global, never closed): one handle per process,
     * not per session (leak-handles). */
    BOOL global_event;

    /* From the k-th sync of the process on (1-based; 0 = never), call Done
     * twice: state that leaks from one sync to the next, seen only when the
     * DLL stays loaded across syncs, as in Outlook (done-called-once, in a
     * pooled worker only). */
    ULONG done_twice_from_sync;

    /* Never MAPIFreeBuffer the buffer the sync's status text lives in: one
     * MAPI buffer lost per sync (leak-mapi-buffers). */
    BOOL leak_mapi_buffer;
    /* Take no notice of a failed MAPIAllocateBuffer and write the status
     * text through the NULL it left: seen only when the host's allocator
     * fails (host.faults), as in low memory (faults-survived). */
    BOOL use_failed_alloc;
    /* SynchronizeInBackground returns this, and starts nothing, while
     * another sync of the store runs. MAPI_E_BUSY is not a defect (a
     * provider may run one sync at a time: unusual/busy-when-running); any
     * other failure is (concurrency-overlap). S_OK: syncs run side by side. */
    HRESULT overlap_result;
    /* Once a sync of the store has ended, SynchronizeInBackground returns
     * MAPI_E_CALL_FAILED on that store: state the first sync left behind
     * (repeat-stable). */
    BOOL fail_after_first_sync;
    /* When the host logs off while a sync runs, the sync thread stops
     * without calling Done and without signaling the done event
     * (shutdown-during-sync). */
    BOOL abandon_on_logoff;

    /* Not a defect: the provider object offers IMAPIProviderShutdown
     * (host.shutdown: fast). OFFERED: QueryFastShutdown answers S_OK;
     * NotifyProcessShutdown starts a thread that saves the store's state
     * for fast_save_ms, and DoFastShutdown waits for it before it returns.
     * DECLINED: QueryFastShutdown answers MAPI_E_NO_SUPPORT (the host then
     * shuts down the plain way). NONE: the interface is not offered. */
    enum {
        FAST_SHUTDOWN_NONE,
        FAST_SHUTDOWN_OFFERED,
        FAST_SHUTDOWN_DECLINED,
    } fast_shutdown;
    DWORD fast_save_ms;
    /* Not a defect: when the sync starts, one OutputDebugStringA of this
     * many bytes (and its NUL), as a provider that dumps a whole buffer
     * would. 0: only the usual short line. */
    DWORD debug_output_bytes;
    /* Not a defect: when the sync starts, this many bytes written to the
     * process's standard error, starting with a NUL ("\0start\n", filler,
     * "\nend\n"), as a provider that logs binary data there would. 0:
     * nothing. */
    DWORD stderr_bytes;
    /* NotifyProcessShutdown and DoFastShutdown return this instead of S_OK
     * (fast-shutdown-returns). S_OK: the documented answer. */
    HRESULT fast_shutdown_result;
    /* DoFastShutdown returns at once, leaving the save thread that
     * NotifyProcessShutdown started still writing (fast-shutdown-ready). */
    BOOL fast_shutdown_no_wait;

    /* Keep a reference on the callback past Done and the done event, and
     * call Progress on it this many milliseconds after signaling, from the
     * sync thread, then release it: a late call on a scenario's callback,
     * made while a pooled host may already run its next scenario
     * (done-last; callback-refcount, as the reference is held). */
    DWORD late_progress_ms;
    /* Likewise, but the late Progress comes from a timer of the system's
     * timer queue (CreateTimerQueueTimer), not from a thread the provider
     * created: the host's wait for the scenario's threads does not cover
     * it (done-last when it lands; callback-refcount, as the reference is
     * held). The DLL is pinned, so the timer's code outlives FreeLibrary. */
    DWORD late_progress_timer_ms;
    /* Write into the MAPISIB the host passed, before returning from
     * SynchronizeInBackground (sib-unchanged): PAST, one byte just past
     * its fields, as code that takes the struct for a larger one would;
     * ZERO, every field zeroed once read, as code that "clears its input"
     * would. */
    enum {
        SIB_WRITE_NONE,
        SIB_WRITE_PAST,
        SIB_WRITE_ZERO,
    } sib_write;

    /* Combination defects (docs/explore.md): each passes the whole built-in
     * suite and breaks a rule only under a combination of host behaviours
     * that `synchost explore` finds. */

    /* During an upload (SYNC_UPLOAD_CONTENTS or SYNC_UPLOAD_HIERARCHY), the
     * sync chains two item buffers to its status buffer with
     * MAPIAllocateMore: the first one's failure is handled, the second
     * one's is not, and the sync writes through the NULL it left
     * (faults-survived: a crash after an injected fault). */
    BOOL upload_second_alloc_more;
    /* A sync cancelled (Progress answered MAPI_E_USER_CANCEL) that ran beside
     * another sync of the store (started while it ran, or while it was
     * started) never releases its callback (callback-refcount). */
    BOOL cancel_overlap_leak;
    /* Under SYNC_BACKGROUND, when the host took 5 ms or more to answer every
     * Progress call (three at least), the sync waits before Done on a lock
     * that only Logoff releases (event-signaled: a deadlock). */
    BOOL slow_progress_background;

    /* Hostile providers (hostile/) put their fault here: called on the sync
     * thread after its steps and before Done, with what the sync holds. NULL:
     * nothing. Not a knob of a correct provider. */
    void (*before_done)(const struct provider_sync_view *view);
    /* Likewise (and unusual/visual-studio-runtime.c's harmless calls into
     * the runtimes it imports), called on the caller's thread inside
     * SynchronizeInBackground, after its argument checks and before the
     * sync starts. */
    void (*in_call)(void);
    /* Hostile providers: called on the sync thread after it signaled the
     * done event and closed its own duplicate (view->event is closed). */
    void (*after_signal)(const struct provider_sync_view *view);
};

/* Defined by each DLL's own source file. */
extern const struct provider_behaviour provider_behaviour;

#endif /* PROVIDER_BEHAVIOUR_H */
