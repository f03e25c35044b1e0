/*
 * sync_run.c: the sync phase of a scenario: the calls to
 * IMAPISync::SynchronizeInBackground and the host's wait for each one's end.
 *
 * Documented ("IMAPISync::SynchronizeInBackground", "MAPISIB",
 * "IMAPISyncProgressCallback"): the host passes a MAPISIB whose
 * phSyncDoneEvent receives the event the provider signals when its sync
 * thread ends; Done hands the handle back so that the host can close it.
 * Chosen by synchost (docs/scenarios.md): a round of sync.overlap calls is
 * made one after the other without waiting, each with its own MAPISIB,
 * callback and handle variable; the host then waits for every call's event
 * (each within timeout_ms of its own call) on its own thread while pumping
 * messages, watches for settle_ms, and closes the handles; sync.repeat
 * rounds follow one another in the same logon. host.logoff_after_ms logs
 * off and releases the store while calls are still running, and the host
 * still waits for their events within their deadlines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <synchost/mapisync.h>

#include <mapicode.h>
#include <mapispi.h>

#include "callstat.h"
#include "protocol/callwait.h"
#include "checks.h"
#include "clock.h"
#include "effects.h"
#include "fake_callback.h"
#include "handles.h"
#include "handover.h"
#include "fake_session.h"
#include "fake_unknown.h"
#include "heapcheck.h"
#include "hostheld.h"
#include "observe.h"
#include "recorder.h"
#include "protocol/ring.h"
#include "stack.h"
#include "starve.h"
#include "sync_call.h"
#include "sync_run.h"

#ifdef _WIN64
_Static_assert(sizeof(MAPISIB) == SCENARIO_SIB_SIZE, "scenario.h states sizeof(MAPISIB)");
#else
_Static_assert(sizeof(MAPISIB) == 20, "x86's MAPISIB: two ULONGs and three pointers");
#endif
_Static_assert(SCENARIO_OVERLAP_MAX <= MAXIMUM_WAIT_OBJECTS - 1, "one wait covers a round");
_Static_assert(SCENARIO_OVERLAP_MAX * SCENARIO_REPEAT_MAX <= EVENT_CALL_MAX, "every call of a scenario has its index");

/* A call that takes this long has the machine's load on it measured
 * afresh before its return is recorded (starve.h). */
#define SLOW_RETURN_MS 100u



DWORD sync_wait_pumping(HANDLE h, DWORD timeout_ms)
{
    ULONGLONG end = GetTickCount64() + timeout_ms;

    for (;;) {
        ULONGLONG now = GetTickCount64();
        DWORD left = now >= end ? 0 : (DWORD)(end - now);
        DWORD w = MsgWaitForMultipleObjects(1, &h, FALSE, left, QS_ALLINPUT);
        MSG msg;

        if (w != WAIT_OBJECT_0 + 1) {
            return w;
        }
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
}

void sync_pump_pending(void)
{
    MSG msg;

    while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
}

/* One event, never signaled, made once and kept (hostheld.h): a value the
 * host made and closed around each wait would be one the provider could
 * close in between, and the host's close would then hit what took its
 * place. */
static BOOL CALLBACK make_never(INIT_ONCE *once, void *param, void **ctx)
{
    HANDLE h = CreateEventW(NULL, TRUE, FALSE, NULL);

    (void)once, (void)param;
    if (h != NULL) {
        hostheld_add(h, "the host's wait event");
    }
    *ctx = h;
    return TRUE;
}

void sync_pump_for(DWORD ms)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    HANDLE never = NULL;

    InitOnceExecuteOnce(&once, make_never, NULL, (void **)&never);
    if (never != NULL) {
        sync_wait_pumping(never, ms);
    } else {
        Sleep(ms);
    }
}

/*
 * Scenarios and rules state sync.size in bytes of x64's MAPISIB
 * (SCENARIO_SIB_SIZE). A worker whose MAPISIB is smaller (x86: 20 bytes)
 * passes the size that stands where the scenario's stands: as much smaller
 * in proportion, or as many bytes larger, so that a "too small", "exact" or
 * "larger" scenario is that on both architectures and judged alike.
 */
static ULONG sib_size_here(uint32_t size)
{
    if (size >= SCENARIO_SIB_SIZE) {
        return (ULONG)(size - SCENARIO_SIB_SIZE + sizeof(MAPISIB));
    }
    return (ULONG)((uint64_t)size * sizeof(MAPISIB) / SCENARIO_SIB_SIZE);
}

static void describe_args(const struct host_script *sc, char *buf, size_t cap)
{
    static const char *const callback_names[] = {"fake", "null", "unknown-only"};
    int n = snprintf(buf, cap, "psib=%s size=%lu session=%s callback=%s done_event_ptr=%s",
                     sc->psib == SCENARIO_POINTER_NULL ? "null" : "valid",
                     (unsigned long)sib_size_here(sc->sib_size),
                     sc->session == SCENARIO_SESSION_NULL ? "null" : "fake",
                     (unsigned)sc->callback < 3 ? callback_names[sc->callback] : "?",
                     sc->done_event_ptr == SCENARIO_POINTER_NULL ? "null" : "valid");

    if (n < 0) {
        buf[0] = '\0';
    }
}

/* The script's answers of one method into the callback's config. */
static size_t copy_returns(struct fake_callback_progress_return *to,
                           const struct scenario_progress_return *from, size_t n)
{
    size_t i;

    for (i = 0; i < n && i < FAKE_CALLBACK_MAX_PROGRESS_RETURNS; i++) {
        to[i].from_call = from[i].from_call;
        to[i].to_call = from[i].to_call;
        to[i].hresult = (HRESULT)from[i].hresult;
    }
    return i;
}

/* Builds the arguments of call number index. Returns 0, or -1 when the
 * host ran out of memory (nothing to test with). */
/* The profile section of the running scenario (sync_run_all's chain). */
static IProfSect *chain_profsect;

static int build_args(const struct host_script *sc, uint32_t index, struct sync_call *a)
{
    struct fake_callback_config cfg = {0};

    cfg.progress_return_count =
        copy_returns(cfg.progress_returns, sc->progress_returns, sc->progress_return_count);
    cfg.error_entry_count =
        copy_returns(cfg.error_entries, sc->error_returns, sc->error_return_count);
    cfg.done_entry_count = copy_returns(cfg.done_entries, sc->done_returns, sc->done_return_count);
    for (int m = 0; m < FAKE_CALLBACK_METHODS; m++) {
        cfg.delay_ms[m] = sc->delay_ms[m];
    }
    cfg.jitter_ms = sc->jitter_ms;
    cfg.jitter_seed = sc->jitter_seed;
    cfg.call = index;
    cfg.done_event_state = checks_done_event_state;
    cfg.done_event_ctx = &a->done_event;
    a->index = index;
    if (FAILED(fake_callback_create(&cfg, &a->cb))) {
        return -1;
    }
    if (sc->callback == SCENARIO_CALLBACK_UNKNOWN_ONLY &&
        FAILED(fake_unknown_create(&a->unknown))) {
        return -1;
    }
    if (sc->session == SCENARIO_SESSION_FAKE) {
        fake_session_create(&a->session);
        if (a->session != NULL) {
            fake_session_set_profsect(a->session, chain_profsect);
        }
    }
    memset(&a->small, 0, sizeof a->small);
    a->small.ulSize = sib_size_here(sc->sib_size); /* smaller than the struct: still valid */
    a->small.ulFlags = sc->flags;
    a->small.psesSync = a->session;
    a->small.punkCallBack = sc->callback == SCENARIO_CALLBACK_FAKE ? (IUnknown *)a->cb : a->unknown;
    a->small.phSyncDoneEvent = sc->done_event_ptr == SCENARIO_POINTER_VALID ? &a->done_event : NULL;
    a->sib_size = sib_size_here(sc->sib_size);
    a->sib = NULL;
    if (sc->psib != SCENARIO_POINTER_NULL) {
        /* Zero-padded to ulSize when larger, with a guard after it. */
        a->sib = effects_sib_place(&a->small, a->sib_size);
        if (a->sib == NULL) {
            return -1;
        }
    }
    describe_args(sc, a->text, sizeof a->text);
    return 0;
}

/* The call's `return`: what it returned and handed back, and the time it
 * took (the stamps around it and the calling thread's waits for a CPU, read
 * just outside them: delay_ns, when `waited`); closes is the provider's
 * close count as the call began (handles_close_mark). */
static void emit_return(struct sync_call *a, uint32_t index, uint64_t took_us, int waited,
                        const uint64_t delay_ns[2], unsigned long closes)
{
    struct event ev = {0};
    char type[64], closed_at[MAX_PATH + 32];

    /* Asked of the object manager, not by a wait: a zero wait would take
     * the signal of an auto-reset event the sync already set. */
    type[0] = '\0';
    a->waitable = observe_waitable(a->done_event, type, sizeof type);
    ev.kind = EVENT_RETURN;
    ev.call = index;
    ev.hr = (uint32_t)a->hr;
    ev.handle = (uint64_t)(ULONG_PTR)a->done_event;
    ev.value = (uint64_t)a->waitable;
    /* The call's time the machine kept the calling thread from running:
     * its own wait during the call, bounded by the supervisor's figure
     * (harness/core/protocol/callwait.h); that figure alone where none was read. */
    ev.index = starve_caller_ms(&a->mark);
    if (waited) {
        ev.index = callwait_credit_ms(delay_ns[0], delay_ns[1], took_us, ev.index);
    }
    /* At least 1: 0 says "not measured" (a record from before this field). */
    ev.index_max = took_us == 0 ? 1u : took_us < UINT32_MAX ? (uint32_t)took_us : UINT32_MAX;
    ev.text = a->done_event != NULL ? (type[0] != '\0' ? type : "not a handle") : NULL;
    /* Not a handle now, but one the provider's own code closed since the
     * call began (on its thread, as the call returned): it was handed over,
     * then closed (event-owned-by-host), not never a handle. */
    if (!a->waitable && a->done_event != NULL &&
        handles_closed_since(closes, a->done_event, closed_at, sizeof closed_at)) {
        ev.step = 1;
        ev.text = closed_at;
    }
    recorder_emit(&ev);
}

/* One call: `call`, the call itself, `return`. */
static void make_call(IMAPISync *sync, const struct host_script *sc, uint32_t index,
                      struct sync_call *a)
{
    struct event ev = {0};
    uint64_t took_us, host_us, delay_ns[2] = {0, 0};
    unsigned long closes;
    int waited;

    /* The previous round's objects are left alone (see fake_callback.h,
     * Lifetime): only the pointers are dropped. */
    memset(a, 0, sizeof *a);
    if (build_args(sc, index, a) != 0) {
        return; /* out of memory in the host: nothing to test with */
    }
    ev.kind = EVENT_CALL;
    ev.flags = sc->flags;
    ev.text = a->text;
    ev.call = index;
    recorder_emit(&ev);
    starve_mark_call(&a->mark, a->cb);
    closes = handles_close_mark();
    /* The call's own time, stamped right around it: what the host does
     * before (the `call` record, the mark) and after (the load's fresh
     * measure, the done event's type) is not the provider's; so is the
     * calling thread's wait for a CPU, read just outside the stamps. */
    waited = callstat_read(&delay_ns[0]) == 0;
    recorder_host_delay_thread(GetCurrentThreadId());
    host_us = recorder_host_delay_on_thread();
    took_us = clock_us();
    a->hr = sync->lpVtbl->SynchronizeInBackground(sync, a->sib);
    took_us = clock_us() - took_us;
    /* Not the provider's time either: the host's own scripted answers to
     * callbacks it made from inside the call (recorder_host_delay_add). */
    host_us = recorder_host_delay_on_thread() - host_us;
    took_us -= host_us < took_us ? host_us : took_us;
    waited = waited && callstat_read(&delay_ns[1]) == 0;
    a->built = 1;
    if (GetTickCount64() - a->mark.t0 >= SLOW_RETURN_MS) {
        starve_refresh(); /* what the load took of a slow call, as of now */
    }
    emit_return(a, index, took_us, waited, delay_ns, closes);
    effects_sib_check(index, a->sib, &a->small, a->sib_size, 0, &a->sib_reported);
    handover_call(index, a->cb, a->unknown, a->session,
                  SUCCEEDED(a->hr) && a->sib != NULL && sc->callback == SCENARIO_CALLBACK_FAKE);

    /* What the host waits for: the done event when there is one; else, when
     * the provider could still end the sync by Done, Done until the
     * deadline; a failed call, a NULL psib or no callback leaves nothing. */
    if (FAILED(a->hr)) {
        a->wait = WAIT_NONE;
    } else if (a->waitable) {
        handles_host_takes(a->done_event);
        a->wait = WAIT_EVENT;
        a->watched = checks_done_event_watched(a->done_event);
    } else if (a->sib != NULL && sc->callback == SCENARIO_CALLBACK_FAKE) {
        a->wait = WAIT_DONE;
    }
}

/* The settle period, in the time the host could run (starve.h). Watching
 * longer only lets more of what the provider does after its event be seen,
 * so a short period may move by a second of load, past three times itself:
 * a provider whose last Release was kept from running is not blamed for it
 * (callback-refcount). The figure is the one last told (not taken afresh,
 * which would cost each scenario two looks of the supervisor). */
static void settle_pumping(DWORD ms)
{
    struct starve_mark since;
    uint64_t most = (uint64_t)ms * RING_STARVED_MAX_FACTOR;

    if (most < RING_STARVED_OVERLOAD_MS) {
        most = RING_STARVED_OVERLOAD_MS;
    }
    starve_mark(&since);
    for (;;) {
        uint64_t moved = starve_ms(&since);
        ULONGLONG end = since.t0 + ms + (moved < most ? moved : most), now = GetTickCount64();
        if (now >= end) {
            return;
        }
        sync_pump_for((DWORD)(end - now));
    }
}

/* After the settle period: the host closes the handle it was given (Done
 * hands it back so that Outlook can close it). The provider closing it
 * (event-owned-by-host) shows in two ways: its own CloseHandle of it was
 * seen (handles.h), and then the host leaves the value alone, which may name
 * an object of the provider's by now; or the host's CloseHandle fails. */
static void settle_call(struct sync_call *a)
{
    static char site[MAX_PATH + 32];
    struct event ev = {0};

    effects_sib_check(a->index, a->sib, &a->small, a->sib_size, 1, &a->sib_reported);
    ev.kind = EVENT_SETTLED;
    ev.call = a->index;
    ev.value = 2;
    if (a->waitable) {
        ev.handle = (uint64_t)(ULONG_PTR)a->done_event;
        if (handles_host_gives_up(a->done_event, site, sizeof site)) {
            ev.value = 3; /* what the value names now is the provider's to close */
            ev.text = site;
        } else {
            handles_forget(a->done_event); /* the provider's, closed by the host */
            ev.value = CloseHandle(a->done_event) ? 1 : 0;
        }
    }
    recorder_emit(&ev);
}

void sync_run_all(struct sync_chain *c, const struct host_script *sc, void (*new_round)(void))
{
    /* Never freed: a provider thread may still use them. */
    static struct sync_call calls[SCENARIO_OVERLAP_MAX];
    size_t overlap = sc->overlap >= 1 && sc->overlap <= SCENARIO_OVERLAP_MAX ? sc->overlap : 1;
    uint32_t repeat = sc->repeat >= 1 ? sc->repeat : 1;

    chain_profsect = c->profsect;
    for (uint32_t r = 0; r < repeat; r++) {
        size_t made = 0;
        int ended = 1;
        if (r > 0) {
            new_round();
        }
        checks_threads_at_call();
        for (size_t k = 0; k < overlap && *c->sync != NULL; k++) {
            make_call(*c->sync, sc, (uint32_t)(r * overlap + k + 1), &calls[k]);
            if (!calls[k].built) {
                break; /* out of memory in the host */
            }
            made++;
        }
        if (made == 0) {
            return;
        }
        sync_await_round(sc, calls, made, c);
        /* Late callbacks (Progress after Done, a second Done) show up here. */
        settle_pumping(sc->settle_ms);
        for (size_t k = 0; k < made; k++) {
            settle_call(&calls[k]);
            ended &= !calls[k].unended;
        }
        if (ended) {
            checks_threads_after_sync(CHECKS_END_WAIT_MS);
        }
        if (repeat > 1) {
            effects_memory_round(r, sc->memory_growth_mib);
        }
        heapcheck_checkpoint("after the sync");
    }
}
