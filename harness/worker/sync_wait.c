/*
 * sync_wait.c: the host's wait for the ends of a round of sync calls
 * (sync_call.h): each call's done event within its own deadline, pumping
 * messages; an auto-reset event polled, Done watched where there is no
 * event; a logoff mid-sync when host.logoff_after_ms says.
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

/* The host logs off and releases the store while a sync still runs
 * (host.logoff_after_ms): IMAPISync, then Logoff, then the store and the
 * logon, as MAPI ends a session. The chain's pointers are cleared so that
 * the shutdown does not do it again. */
static void logoff_mid_sync(struct sync_chain *c)
{
    struct event ev = {0};
    ULONG flags = 0;

    if (c->sync != NULL && *c->sync != NULL) {
        (*c->sync)->lpVtbl->Release(*c->sync);
        *c->sync = NULL;
    }
    if (*c->logon != NULL) {
        ev.kind = EVENT_LOGOFF;
        ev.hr = (uint32_t)(*c->logon)->lpVtbl->Logoff(*c->logon, &flags);
        ev.value = 1; /* during the sync */
        recorder_emit(&ev);
    }
    if (*c->store != NULL) {
        (*c->store)->lpVtbl->Release(*c->store);
        *c->store = NULL;
    }
    if (*c->logon != NULL) {
        (*c->logon)->lpVtbl->Release(*c->logon);
        *c->logon = NULL;
    }
}

static void emit_wait_end(const struct host_script *sc, struct sync_call *a, int signaled)
{
    struct event ev = {0};
    uint64_t delay_ms;

    ev.kind = signaled ? EVENT_EVENT_SIGNALED : EVENT_EVENT_TIMEOUT;
    ev.call = a->index;
    ev.handle = (uint64_t)(ULONG_PTR)a->done_event;
    ev.value = sc->timeout_ms;
    if (!signaled) {
        /* Its deadline was moved by the time the host could not run; it
         * passed with less than timeout_ms of time to run only when that
         * move reached its limit (starve.h). */
        ev.index = starve_ms(&a->mark);
        ev.step = (uint32_t)starve_overloaded(&a->mark, sc->timeout_ms);
        /* The host's own delays moved it too; when they moved it as far as
         * they may, the host was too slow for the deadline to say anything
         * of the provider (step 2). */
        delay_ms = starve_host_delay_ms(&a->mark, sc->timeout_ms);
        ev.index_max = delay_ms < UINT32_MAX ? (uint32_t)delay_ms : UINT32_MAX;
        if (ev.step == 0 && delay_ms >= (uint64_t)sc->timeout_ms * RING_HOST_DELAY_MAX_FACTOR) {
            ev.step = 2;
        }
    }
    recorder_emit(&ev);
    if (signaled && a->watched) {
        checks_done_event_taken(a->done_event); /* only now that it is recorded */
    }
    a->unended |= !signaled;
    a->wait = WAIT_NONE;
}

/* The calls whose auto-reset event is watched rather than waited on: one
 * signaled is recorded; one no longer an event is waited on. Returns 1
 * when some are still watched (the host looks again within a
 * millisecond). */
static int poll_watched(const struct host_script *sc, struct sync_call *calls, size_t n)
{
    int still = 0;

    for (size_t i = 0; i < n; i++) {
        struct sync_call *a = &calls[i];
        int state;
        if (a->wait != WAIT_EVENT || !a->watched) {
            continue;
        }
        state = checks_done_event_polled(a->done_event);
        if (state == 1) {
            emit_wait_end(sc, a, 1);
        } else if (state < 0) {
            a->watched = 0;
        } else {
            still = 1;
        }
    }
    return still;
}

/* A deadline that seems passed: the machine's load may have moved it since
 * the host was last told (starve.h). The figure is taken afresh while the
 * done event is watched, so that a signal in that while is on time or late
 * by when it came. Returns 1 when the deadline has not passed after all
 * (the event, if signaled in time, is recorded). */
static int expire_moved(const struct host_script *sc, struct sync_call *a)
{
    struct starve_refresh r;
    ULONGLONG deadline, signaled_at = 0;
    int look = a->wait == WAIT_EVENT && !a->watched;

    starve_refresh_begin(&r);
    while (!starve_refresh_done(&r)) {
        if (look && signaled_at == 0 &&
            WaitForSingleObject(a->done_event, STARVE_REFRESH_POLL_MS) == WAIT_OBJECT_0) {
            signaled_at = GetTickCount64();
        } else if (!look || signaled_at != 0) {
            Sleep(STARVE_REFRESH_POLL_MS);
        }
    }
    deadline = starve_deadline(&a->mark, sc->timeout_ms);
    if (signaled_at != 0 && signaled_at < deadline) {
        emit_wait_end(sc, a, 1);
        return 1;
    }
    return signaled_at == 0 && GetTickCount64() < deadline;
}

/* Whose deadlines passed by now: an event not signaled is reported (and
 * every thread's stack dumped, once a round); Done not called is left to
 * the judge. */
static void expire(const struct host_script *sc, struct sync_call *calls, size_t n, ULONGLONG now,
                   int *dumped)
{
    for (size_t i = 0; i < n; i++) {
        struct sync_call *a = &calls[i];
        if (a->wait == WAIT_DONE && fake_callback_done_calls(a->cb) > 0) {
            a->wait = WAIT_NONE;
        }
        if (a->wait == WAIT_NONE || now < starve_deadline(&a->mark, sc->timeout_ms)) {
            continue;
        }
        if (expire_moved(sc, a)) {
            continue;
        }
        a->unended = 1;
        if (a->wait == WAIT_EVENT) {
            emit_wait_end(sc, a, 0);
            if (!*dumped) {
                *dumped = 1;
                stack_dump_all("the done event was not signaled by the deadline");
            }
        }
        a->wait = WAIT_NONE;
    }
}

/* A wait failed: some handle is no longer one (the provider closed the
 * host's, which event-owned-by-host reports when the host closes it). Each
 * is looked at alone; the host stops waiting on one that cannot be waited
 * on, saying nothing of whether it was signaled: it cannot know. */
static void wait_failed(const struct host_script *sc, struct sync_call *calls, const size_t *who,
                        const HANDLE *handles, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        DWORD w = WaitForSingleObject(handles[i], 0);
        if (w == WAIT_OBJECT_0) {
            emit_wait_end(sc, &calls[who[i]], 1);
        } else if (w == WAIT_FAILED) {
            calls[who[i]].wait = WAIT_NONE;
            calls[who[i]].unended = 1;
        }
    }
}

/* Waits for the end of every call of a round, each until its own deadline,
 * pumping messages, and logs off on the way when the script says so. */
void sync_await_round(const struct host_script *sc, struct sync_call *calls, size_t n,
                      struct sync_chain *c)
{
    ULONGLONG logoff_at = sc->has_logoff_after ? calls[0].mark.t0 + sc->logoff_after_ms : 0;
    int logged_off = !sc->has_logoff_after, dumped = 0;

    for (;;) {
        HANDLE handles[SCENARIO_OVERLAP_MAX];
        size_t who[SCENARIO_OVERLAP_MAX], count = 0, waiting = 0;
        ULONGLONG now = GetTickCount64(), next = ~0ull;
        DWORD w;
        int polling;

        expire(sc, calls, n, now, &dumped);
        polling = poll_watched(sc, calls, n);
        for (size_t i = 0; i < n; i++) {
            if (calls[i].wait == WAIT_NONE) {
                continue;
            }
            waiting++;
            ULONGLONG deadline = starve_deadline(&calls[i].mark, sc->timeout_ms);
            if (deadline < next) {
                next = deadline;
            }
            if (calls[i].wait == WAIT_EVENT && calls[i].watched) {
                continue;
            }
            if (calls[i].wait == WAIT_EVENT) {
                handles[count] = calls[i].done_event;
                who[count++] = i;
            } else if (now + DONE_POLL_MS < next) {
                next = now + DONE_POLL_MS;
            }
        }
        if (waiting == 0) {
            return;
        }
        if (!logged_off && now >= logoff_at) {
            logged_off = 1;
            logoff_mid_sync(c);
            continue;
        }
        if (!logged_off && logoff_at < next) {
            next = logoff_at;
        }
        if (polling && now + 1 < next) {
            next = now + 1; /* a millisecond at most, woken early by a message */
        }
        w = MsgWaitForMultipleObjects((DWORD)count, handles, FALSE,
                                      next > now ? (DWORD)(next - now) : 0, QS_ALLINPUT);
        if (w < WAIT_OBJECT_0 + count) {
            emit_wait_end(sc, &calls[who[w - WAIT_OBJECT_0]], 1);
        } else if (w == WAIT_OBJECT_0 + count) {
            sync_pump_pending();
        } else if (w == WAIT_FAILED) {
            wait_failed(sc, calls, who, handles, count);
        }
    }
}
