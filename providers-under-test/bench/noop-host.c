/*
 * noop-host.c: the cheapest host there is, for scripts/bench. It loads
 * bench-flood.dll and calls its bench_flood_run (bench.h), the sync's
 * Progress flood loop, with a callback whose Progress does nothing and
 * returns S_OK, and times each round with QueryPerformanceCounter. What it
 * prints is the cost of the call alone, the base against which synchost's
 * recorded rate of the same flood is compared.
 *
 *   noop-host.exe BENCH-FLOOD.DLL CALLS [ROUNDS]
 *
 * prints one line per round, "round K calls N seconds S rate R" (R in calls
 * per second), and exits 0; 2 on bad arguments, 3 when the DLL or its
 * export cannot be had or a round does not return S_OK.
 */
#define SYNCHOST_DEFINE_IIDS
#include <synchost/mapisync.h>

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "bench.h"

#define NOOP_MAX_ROUNDS 100

static HRESULT STDMETHODCALLTYPE noop_query_interface(IMAPISyncProgressCallback *self, REFIID riid,
                                                      void **ppv)
{
    if (ppv == NULL) {
        return E_POINTER;
    }
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPISyncProgressCallback)) {
        *ppv = self;
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

/* A static object: its reference count does not matter. */
static ULONG STDMETHODCALLTYPE noop_add_ref(IMAPISyncProgressCallback *self)
{
    (void)self;
    return 1;
}

static ULONG STDMETHODCALLTYPE noop_release(IMAPISyncProgressCallback *self)
{
    (void)self;
    return 1;
}

static HRESULT STDMETHODCALLTYPE noop_progress(IMAPISyncProgressCallback *self, const WCHAR *text,
                                               ULONG index, ULONG max)
{
    (void)self;
    (void)text;
    (void)index;
    (void)max;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE noop_error(IMAPISyncProgressCallback *self, HRESULT hr,
                                            const WCHAR *text)
{
    (void)self;
    (void)hr;
    (void)text;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE noop_done(IMAPISyncProgressCallback *self, HANDLE event,
                                           HRESULT hr)
{
    (void)self;
    (void)event;
    (void)hr;
    return S_OK;
}

static IMAPISyncProgressCallbackVtbl noop_vtbl = {
    noop_query_interface, noop_add_ref, noop_release, noop_progress, noop_error, noop_done,
};

static IMAPISyncProgressCallback noop_callback = {&noop_vtbl};

/* A whole number from 1 to max, or 0. */
static unsigned long noop_number(const wchar_t *text, unsigned long max)
{
    wchar_t *end = NULL;
    unsigned long n;

    if (text[0] < L'0' || text[0] > L'9') {
        return 0;
    }
    n = wcstoul(text, &end, 10);
    return *end == L'\0' && n <= max ? n : 0;
}

static int noop_rounds(bench_flood_run_fn run, ULONG calls, ULONG rounds)
{
    LARGE_INTEGER freq, t0, t1;

    QueryPerformanceFrequency(&freq);
    for (ULONG k = 1; k <= rounds; k++) {
        QueryPerformanceCounter(&t0);
        HRESULT hr = run(&noop_callback, calls);
        QueryPerformanceCounter(&t1);
        double secs = (double)(t1.QuadPart - t0.QuadPart) / (double)freq.QuadPart;
        if (hr != S_OK) {
            fprintf(stderr, "noop-host: bench_flood_run returned 0x%08lX\n", (unsigned long)hr);
            return 3;
        }
        printf("round %lu calls %lu seconds %.6f rate %.0f\n", (unsigned long)k,
               (unsigned long)calls, secs, secs > 0 ? calls / secs : 0.0);
        fflush(stdout);
    }
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    unsigned long calls = argc >= 3 ? noop_number(argv[2], 0xFFFFFFFFul) : 0;
    unsigned long rounds = argc >= 4 ? noop_number(argv[3], NOOP_MAX_ROUNDS) : 5;
    HMODULE dll;
    bench_flood_run_fn run;

    if (argc < 3 || argc > 4 || calls == 0 || rounds == 0) {
        fprintf(stderr, "usage: noop-host.exe BENCH-FLOOD.DLL CALLS [ROUNDS (1-%d, default 5)]\n",
                NOOP_MAX_ROUNDS);
        return 2;
    }
    dll = LoadLibraryW(argv[1]);
    if (dll == NULL) {
        fprintf(stderr, "noop-host: cannot load the DLL (error %lu)\n", GetLastError());
        return 3;
    }
    run = (bench_flood_run_fn)(void (*)(void))GetProcAddress(dll, "bench_flood_run");
    if (run == NULL) {
        fprintf(stderr, "noop-host: the DLL does not export bench_flood_run\n");
        FreeLibrary(dll);
        return 3;
    }
    int rc = noop_rounds(run, calls, rounds);
    FreeLibrary(dll);
    return rc;
}
