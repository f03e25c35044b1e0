/*
 * Hostile: DllMain(DLL_PROCESS_DETACH) writes through NULL, whether the DLL
 * is unloaded by FreeLibrary or the process ends. The sync itself is correct.
 * Breaks no-crash: Outlook unloads providers at shutdown and crashes there.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .init_result = S_OK,
};

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    /* Through a volatile pointer: a real access violation, not a trap. */
    static LONG *volatile nowhere;

    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_DETACH) {
        *nowhere = 1;
    }
    return TRUE;
}
