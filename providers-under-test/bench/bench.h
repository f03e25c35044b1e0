/*
 * bench.h: what bench-flood.dll exports besides MSProviderInit, for
 * noop-host.exe (scripts/bench).
 *
 * Contract:
 * - bench_flood_run makes `calls` Progress calls on `callback` (NULL text,
 *   index 1 of 1) through the very loop the provider's sync thread runs
 *   (common/flood.c, one thread), on the calling thread, and returns its
 *   status: S_OK, or MAPI_E_USER_CANCEL when a call answered that, or
 *   E_FAIL when no event could be created.
 * - Nothing else of the provider runs: no MSProviderInit, no logon.
 *
 * Threading: any thread; the callback is called on the calling thread only.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <windows.h>
#include <synchost/mapisync.h>

typedef HRESULT(WINAPI *bench_flood_run_fn)(IMAPISyncProgressCallback *callback, ULONG calls);

HRESULT WINAPI bench_flood_run(IMAPISyncProgressCallback *callback, ULONG calls);

#endif /* BENCH_BENCH_H */
