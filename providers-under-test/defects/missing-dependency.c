/*
 * Defect: imports synchost_missing_function from synchost-missing.dll, a DLL
 * that exists nowhere (its import library is made from synchost-missing.def),
 * so the loader fails with ERROR_MOD_NOT_FOUND. Breaks load-dll.
 */
#include "behaviour.h"

/* __cdecl: its import's symbol is the undecorated name on x86 as on x64 (a
 * stdcall one would be synchost_missing_function@0). */
__declspec(dllimport) void __cdecl synchost_missing_function(void);

const struct provider_behaviour provider_behaviour = {
    .init_result = S_OK,
};

/* Never called: referencing the import is enough to put it in the import
 * table. Not static, so the compiler keeps it. */
void missing_dependency_use(void);

void missing_dependency_use(void)
{
    synchost_missing_function();
}
