/*
 * Hostile: the sync calls Done but never signals its event, and before Done
 * starts seven threads that spin for 6 s. Each holds a reference on the
 * DLL and leaves by FreeLibraryAndExitThread, so that unloading it under
 * them is not the fault seen. The spinning threads wait for a CPU, each
 * behind the others: a host that counted that wait as the machine's load
 * would move the deadline to its limit and call the machine overloaded (no
 * verdict, exit 3). Breaks event-signaled: the provider's own CPU use buys
 * it no time.
 */
#include "behaviour.h"

#define SPINNERS 7
#define SPIN_MS 6000

static DWORD WINAPI spin(void *module)
{
    ULONGLONG end = GetTickCount64() + SPIN_MS;

    while (GetTickCount64() < end) {
        /* All the time is spent on a CPU. */
    }
    FreeLibraryAndExitThread((HMODULE)module, 0);
    return 0;
}

static void start_spinners(const struct provider_sync_view *view)
{
    (void)view;
    for (int i = 0; i < SPINNERS; i++) {
        HMODULE self = NULL;
        HANDLE t;
        if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)(void *)spin,
                                &self)) {
            return;
        }
        t = CreateThread(NULL, 0, spin, self, 0, NULL);
        if (t == NULL) {
            FreeLibrary(self);
            return;
        }
        CloseHandle(t);
    }
}

const struct provider_behaviour provider_behaviour = {
    .skip_signal = TRUE,
    .before_done = start_spinners,
};
