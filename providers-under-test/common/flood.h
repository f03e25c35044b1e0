/*
 * flood.h: a sync's Progress flood (provider_behaviour.flood_progress_calls
 * and .flood_threads): NULL text, index 1 of 1, as fast as possible.
 *
 * Contract:
 * - Each of `threads` threads (0: the calling thread alone) makes `calls`
 *   Progress calls; flood_run returns once every thread has ended, so
 *   nothing of the flood runs after it.
 * - MAPI_E_USER_CANCEL from any call stops every thread; the stop event (a
 *   manual-reset event, checked every 1024 calls) stops them with
 *   MAPI_E_END_OF_SESSION. The return value is that status, else S_OK.
 * - With threads, the calls go in rounds of at most two at once: a round
 *   starts only when every call of the previous one has returned. A call the
 *   host answers with a cancel thus has at most one call beside it, and the
 *   host sees at most one more Progress after the cancel (cancel-honored).
 * - `counter` is incremented (Interlocked) once per call.
 *
 * Threading: flood_run is called by the sync thread; the callback must be
 * free-threaded (the host's is).
 */
#ifndef PROVIDER_FLOOD_H
#define PROVIDER_FLOOD_H

#include <windows.h>
#include <synchost/mapisync.h>

/* The most flood threads (more are not started). */
#define FLOOD_MAX_THREADS 16

/* The number of calls a flood makes: `calls`, unless env_name (may be NULL)
 * names an environment variable holding a whole number from 1 to
 * 4294967295, which then replaces it. */
ULONG flood_calls_wanted(ULONG calls, const char *env_name);

HRESULT flood_run(IMAPISyncProgressCallback *callback, HANDLE stop_event, ULONG calls,
                  ULONG threads, LONG *counter);

#endif /* PROVIDER_FLOOD_H */
