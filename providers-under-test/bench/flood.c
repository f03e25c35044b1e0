/*
 * Benchmark load, not a defect: the common engine, correct in every way,
 * whose sync makes 1 million Progress calls back to back (NULL text, index
 * 1 of 1; SYNCHOST_BENCH_FLOOD_CALLS changes the count) before Done.
 * scripts/bench runs it with flood.yaml to measure how many calls per second
 * the worker records through the fake callback.
 *
 * It also exports bench_flood_run (bench.h), the same flood loop called
 * directly, which noop-host.exe times with a callback that does nothing: the
 * cost of the call itself, the base of the recording-cost ratio.
 */
#include "behaviour.h"
#include "bench.h"
#include "flood.h"

const struct provider_behaviour provider_behaviour = {
    .flood_progress_calls = 1000000,
    .flood_calls_env = "SYNCHOST_BENCH_FLOOD_CALLS",
};

HRESULT WINAPI bench_flood_run(IMAPISyncProgressCallback *callback, ULONG calls)
{
    LONG counter = 0;
    HANDLE stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    HRESULT hr;

    if (stop == NULL) {
        return E_FAIL;
    }
    /* The sync thread's call: one thread, the stop event checked every
     * 65536 calls, the counter incremented once per call. */
    hr = flood_run(callback, stop, calls, 0, &counter);
    CloseHandle(stop);
    return hr;
}
