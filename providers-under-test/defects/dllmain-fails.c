/*
 * Defect: DllMain fails process attach, so LoadLibrary fails with
 * ERROR_DLL_INIT_FAILED. Breaks load-dll. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .init_result = S_OK,
};

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)instance;
    (void)reserved;
    return reason != DLL_PROCESS_ATTACH;
}
