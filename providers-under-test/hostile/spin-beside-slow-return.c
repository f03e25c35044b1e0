/*
 * Hostile: SynchronizeInBackground blocks the caller's thread for 2.6 s
 * while eight threads of its own spin beside it, then stops them and starts
 * the sync as usual. The spinning threads wait for a CPU, each behind the
 * others: a host that counted every thread of its process as its own would
 * take that wait for the machine's load and move the deadline by it (about
 * 2 s), and the call would pass. Breaks sib-returns-promptly: the provider
 * bought no time with its own CPU use.
 */
#include "behaviour.h"

#define SPINNERS 8
#define BLOCK_MS 2600

static volatile LONG stop;

static DWORD WINAPI spin(void *arg)
{
    (void)arg;
    while (InterlockedCompareExchange(&stop, 0, 0) == 0) {
        /* Only the flag is read: all the time is spent on a CPU. */
    }
    return 0;
}

static void block_beside_spinners(void)
{
    HANDLE threads[SPINNERS];
    DWORD started = 0;

    InterlockedExchange(&stop, 0);
    for (DWORD i = 0; i < SPINNERS; i++) {
        threads[started] = CreateThread(NULL, 0, spin, NULL, 0, NULL);
        started += threads[started] != NULL;
    }
    Sleep(BLOCK_MS);
    InterlockedExchange(&stop, 1);
    WaitForMultipleObjects(started, threads, TRUE, INFINITE);
    for (DWORD i = 0; i < started; i++) {
        CloseHandle(threads[i]);
    }
}

const struct provider_behaviour provider_behaviour = {
    .in_call = block_beside_spinners,
};
