/*
 * other-kind.c: a MAPI service provider of another kind than a message
 * store, as teams ship them beside their store: a transport provider
 * (XPProviderInit, built with -DKIND_TRANSPORT) or an address book provider
 * (ABProviderInit, -DKIND_ADDRESS_BOOK). Neither exports MSProviderInit:
 * synchost must say what the DLL is rather than only what it lacks. The
 * entry point declines (MAPI_E_NO_SUPPORT): nothing ever calls it here.
 */
#include <windows.h>

#include <mapidefs.h>
#include <mapicode.h>

#ifdef KIND_TRANSPORT
HRESULT STDMAPIINITCALLTYPE XPProviderInit(HINSTANCE instance, LPMALLOC malloc, void *alloc_buffer,
                                           void *alloc_more, void *free_buffer, ULONG flags,
                                           ULONG mapi_ver, ULONG *provider_ver, void **provider)
#else
HRESULT STDMAPIINITCALLTYPE ABProviderInit(HINSTANCE instance, LPMALLOC malloc, void *alloc_buffer,
                                           void *alloc_more, void *free_buffer, ULONG flags,
                                           ULONG mapi_ver, ULONG *provider_ver, void **provider)
#endif
{
    (void)instance;
    (void)malloc;
    (void)alloc_buffer;
    (void)alloc_more;
    (void)free_buffer;
    (void)flags;
    (void)mapi_ver;
    (void)provider_ver;
    if (provider != NULL) {
        *provider = NULL;
    }
    return MAPI_E_NO_SUPPORT;
}
