/*
 * Hostile: DllMain(DLL_PROCESS_ATTACH) starts a thread that sleeps 200 ms and
 * then writes through NULL. The sync itself is correct and over long before
 * that; the crash lands outside the sync window, after the worker may have
 * finished its scenario. Breaks no-crash (in Outlook the process dies 200 ms
 * after the store loads, whatever the sync did).
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .init_result = S_OK,
};

/* How long after the load the thread crashes. */
#define LATE_CRASH_MS 200

static DWORD WINAPI late_crash(void *arg)
{
    /* Through a volatile pointer: a real access violation, not a trap. */
    static LONG *volatile nowhere;

    (void)arg;
    Sleep(LATE_CRASH_MS);
    *nowhere = 1;
    return 0;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) {
        /* The thread starts running once the loader lock is released. */
        HANDLE thread = CreateThread(NULL, 0, late_crash, NULL, 0, NULL);
        if (thread != NULL) {
            CloseHandle(thread);
        }
    }
    return TRUE;
}
