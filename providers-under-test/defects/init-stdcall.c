/*
 * Defect (x86 only): MSProviderInit is declared __stdcall (WINAPI, as COM
 * methods are) where Outlook calls it __cdecl (STDMAPIINITCALLTYPE, Outlook
 * MAPI reference, "MSProviderInit"): it pops its 36 bytes of arguments on
 * return, and its caller pops them again. The stack pointer is then off in
 * Outlook's frame, which a frame pointer may hide until something else
 * breaks. Breaks load-entry-point. x64 has one calling convention, so the
 * same code is right there: the defect is built for x86 only.
 */
#include "behaviour.h"

#include <mapispi.h>

const struct provider_behaviour provider_behaviour = {
    .init_result = S_OK,
};

/* Exported as MSProviderInit (init-stdcall.def); the engine's own, which is
 * right, does the work. */
HRESULT __stdcall init_stdcall(HINSTANCE instance, LPMALLOC imalloc, LPALLOCATEBUFFER alloc,
                               LPALLOCATEMORE more, LPFREEBUFFER free_buffer, ULONG flags,
                               ULONG mapi_ver, ULONG *provider_ver, LPMSPROVIDER *provider);

HRESULT __stdcall init_stdcall(HINSTANCE instance, LPMALLOC imalloc, LPALLOCATEBUFFER alloc,
                               LPALLOCATEMORE more, LPFREEBUFFER free_buffer, ULONG flags,
                               ULONG mapi_ver, ULONG *provider_ver, LPMSPROVIDER *provider)
{
    return MSProviderInit(instance, imalloc, alloc, more, free_buffer, flags, mapi_ver,
                          provider_ver, provider);
}
