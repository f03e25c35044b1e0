/*
 * checks.h: what the host observes of the provider besides the load chain
 * and the sync Outlook performs (worker.c): the rules of COM on the
 * provider's own objects, the done event's signal without consuming it,
 * and the handles and threads a scenario leaves behind. Each check records
 * events for the judge (harness/core/rules/); none judges. Win32 only;
 * called on the host's thread.
 */
#ifndef SYNCHOST_CHECKS_H
#define SYNCHOST_CHECKS_H

#include <windows.h>

#include <synchost/mapisync.h>

#include <mapispi.h>

/* Asks the store and IMAPISync for an IID no object implements and for
 * IID_IUnknown, with *ppv preset to a value that is not NULL: a
 * `provider_qi` event per question (com-qi-rules). Releases what it got. */
void checks_provider_qi(IMsgStore *store, IMAPISync *sync);

/* The done event, as the host waits for it (sync_run.c). An auto-reset
 * event is watched through the object manager rather than waited on
 * (checks_done_event_watched says so), polled by checks_done_event_polled
 * (1 signaled, 0 not, -1 no longer an event to ask about), and its signal
 * is taken only by checks_done_event_taken, after the host recorded it: so
 * Done, which asks the event's state first thing, sees a signal that came
 * before it (done-before-event), whichever thread runs first. */
int checks_done_event_watched(HANDLE h);
int checks_done_event_polled(HANDLE h);
void checks_done_event_taken(HANDLE h);

/* The state of the done event the host was given, as enum
 * done_event_state, for the fake callback's Done (any thread).
 * done_event_slot: the HANDLE *phSyncDoneEvent points at, for that call
 * (read each time; NULL: unknown). */
int checks_done_event_state(void *done_event_slot);

/* How long the host gives the threads a sync started to end, after its done
 * event and settle period, before it counts them (leak-threads, and the
 * handles they hold for leak-handles). */
#define CHECKS_END_WAIT_MS 500u

/* Handles (handles.h): a new scenario before MSProviderInit; after
 * Shutdown and Release, once the threads started since have ended (given
 * up to wait_ms), the handles the provider's code opened since and still
 * holds: a `handles` event, leak-handles. */
void checks_handles_before(void);
void checks_handles_after(DWORD wait_ms);

/* Threads (threads.h): a mark when the sync is called; after the done
 * event and the settle period, the threads started since, given up to
 * wait_ms to end (a `threads` event naming the first still running,
 * leak-threads). */
void checks_threads_at_call(void);
void checks_threads_after_sync(DWORD wait_ms);

#endif /* SYNCHOST_CHECKS_H */
