/*
 * sync_internal.h: one running sync, shared by the call that starts it
 * (sync_start.c) and the thread that runs it (sync.c). Not part of the
 * engine's interface (sync.h).
 */
#ifndef PROVIDER_SYNC_INTERNAL_H
#define PROVIDER_SYNC_INTERNAL_H

#include "sync.h"

/* Room for "Synchronizing folder 4294967295 of 4294967295". */
#define SYNC_TEXT_CCH 64

struct sync {
    struct sync *next;                    /* in set->running, under set->lock */
    struct sync_set *set;
    IUnknown *owner;                      /* the store, AddRef'd for the thread's life */
    IMAPISyncProgressCallback *callback;  /* from QueryInterface; NULL: sync silently */
    HANDLE host_event;                    /* the value handed to the host, passed to Done */
    HANDLE event;                         /* our own handle to that event: we signal it */
    HANDLE thread;                        /* closed (NULL) by the thread when it leaves the set */
    HMODULE module;                       /* the DLL reference the thread exits with */
    DWORD caller_tid;                     /* the thread that called SynchronizeInBackground */
    LONG progress_calls;                  /* Progress calls so far (Interlocked: floods) */
    BOOL late_done;                       /* extra_done_at_random: the extra Done comes late */
    ULONG flags;                          /* the MAPISIB's ulFlags */
    LONG slow_progress_calls;             /* slow_progress_background: answered in 5 ms or more */
    BOOL overlapped;                      /* another sync of the store ran beside it (set->lock) */
};

/* The sync's thread: runs its steps, calls Done, signals the event, leaves
 * the set and drops the DLL reference sync_start took. */
DWORD WINAPI sync_thread(void *arg);

#endif /* PROVIDER_SYNC_INTERNAL_H */
