/*
 * sync.h: IMAPISync::SynchronizeInBackground done right, and the background
 * threads it starts. The store (store.c) embeds one `struct sync_set` and
 * hands every SynchronizeInBackground call to sync_start().
 *
 * Contract (CONTRACT.md; documented parts from the Outlook MAPI reference,
 * "IMAPISync::SynchronizeInBackground", "MAPISIB", "IMAPISyncProgressCallback"):
 * - Argument checks come first and make no callbacks: a NULL MAPISIB or a NULL
 *   phSyncDoneEvent gives E_INVALIDARG, ulSize < sizeof(MAPISIB) gives
 *   MAPI_E_INVALID_PARAMETER; a larger ulSize is accepted. Flag bits are not
 *   checked: documented bits are all accepted and unknown ones are ignored.
 * - The progress callback is obtained by QueryInterface on punkCallBack; a NULL
 *   punkCallBack or a failed QueryInterface means the sync runs silently.
 * - On S_OK the host owns the handle stored in *phSyncDoneEvent (it closes it
 *   after Done, as the Done page says). The thread keeps its own duplicate, so
 *   it never touches the host's handle except to pass its value to Done.
 * - Each call runs its own sync on its own thread: a second call while one runs
 *   gets its own event, progress and Done (concurrency-overlap). Past
 *   SYNC_MAX_RUNNING syncs at once the call returns MAPI_E_BUSY.
 * - The thread holds a reference on the store and on the DLL (it ends with
 *   FreeLibraryAndExitThread), so neither goes away under it.
 * - Thread end, in this order: Done (once), Release the callback, leave the
 *   set, signal the event, close the duplicate. Once a thread has left the set
 *   it calls nothing on the host's objects.
 */
#ifndef PROVIDER_SYNC_H
#define PROVIDER_SYNC_H

#include <windows.h>
#include <mapidefs.h>
#include <synchost/mapisync.h>

/* Number of Progress steps a sync reports, the wait between them, and how
 * many syncs may run at once (a Logoff waits for all of them, and one wait
 * takes at most MAXIMUM_WAIT_OBJECTS handles). */
#define SYNC_STEPS 5
#define SYNC_STEP_MS 5
#define SYNC_MAX_RUNNING MAXIMUM_WAIT_OBJECTS

/* The host's MAPI allocators, as MSProviderInit received them. They are the
 * host's functions and stay valid for as long as the host keeps the DLL. */
struct mapi_allocators {
    LPALLOCATEBUFFER allocate_buffer;
    LPALLOCATEMORE allocate_more;
    LPFREEBUFFER free_buffer;
};

struct sync;

/* The syncs of one store. Embedded in the store; every running thread holds a
 * reference on the store, so the set outlives its threads. */
struct sync_set {
    CRITICAL_SECTION lock;     /* guards running, count */
    struct sync *running;      /* syncs whose thread has not left the set yet */
    ULONG count;               /* those, plus places reserved by a sync_start under way */
    HANDLE stop_event;         /* manual reset; set once by sync_stop_all */
    ULONG ended;               /* syncs that left the set (guarded by lock) */
    struct mapi_allocators alloc;
};

/* Returns FALSE when the stop event cannot be created. */
BOOL sync_set_init(struct sync_set *set, const struct mapi_allocators *alloc);

/* Only once no thread runs: the store calls it from its final Release. */
void sync_set_destroy(struct sync_set *set);

/* The body of IMAPISync::SynchronizeInBackground. `owner` is the store's
 * IUnknown: each thread AddRefs it for its lifetime. */
HRESULT sync_start(struct sync_set *set, IUnknown *owner, PMAPISIB sib);

/* A piece of work run on the system thread pool and waited for
 * (provider_behaviour.pool_work). */
void sync_pool_work(void);

/* Asks every running sync to stop (it calls Done with MAPI_E_END_OF_SESSION)
 * and waits up to timeout_ms for their threads to end. Later
 * SynchronizeInBackground calls fail with MAPI_E_END_OF_SESSION. Returns
 * FALSE if some thread was still running at the deadline. */
BOOL sync_stop_all(struct sync_set *set, DWORD timeout_ms);

#endif /* PROVIDER_SYNC_H */
