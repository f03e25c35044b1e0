/*
 * needs-outlook.c: a message store provider that, like many shipped ones,
 * looks for Outlook as its MSProviderInit runs, and gives up when Outlook
 * is not there with an HRESULT that says nothing of why (E_OUTOFMEMORY).
 * It asks for Outlook's own PST provider by module name, for Outlook's
 * folder through Windows Installer's qualified component, for Outlook's
 * registry key, for a DLL and a function Outlook ships, and for a file in
 * Outlook's folder. None is there under synchost: probe and the load-chain
 * verdict must name each one.
 */
#include <windows.h>

#include <msi.h>

#include <mapicode.h>
#include <mapidefs.h>

/* Outlook's qualified-component category (the MAPI reference's "Choose a
 * specific version of MAPI to load"), and its qualifier for outlook.exe. */
#define OUTLOOK_CATEGORY "{E83B4360-C208-4325-9504-0D23003A74A5}"

static BOOL outlook_found(void)
{
    char path[MAX_PATH];
    DWORD n = MAX_PATH;
    HKEY key;
    HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
    HANDLE file;

    if (GetModuleHandleA("mspst32.dll") != NULL) {
        return TRUE;
    }
    if (MsiProvideQualifiedComponentA(OUTLOOK_CATEGORY, "outlook.exe", INSTALLMODE_DEFAULT, path,
                                      &n) == ERROR_SUCCESS) {
        return TRUE;
    }
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"Software\\Microsoft\\Office\\16.0\\Outlook", 0,
                      KEY_READ, &key) == ERROR_SUCCESS) {
        RegCloseKey(key);
        return TRUE;
    }
    if (LoadLibraryW(L"olmapi32.dll") != NULL) {
        return TRUE;
    }
    if (k32 != NULL && GetProcAddress(k32, "OutlookOnlyFunction") != NULL) {
        return TRUE;
    }
    file = CreateFileW(L"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
                       GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (file != INVALID_HANDLE_VALUE) {
        CloseHandle(file);
        return TRUE;
    }
    return FALSE;
}

HRESULT STDMAPIINITCALLTYPE MSProviderInit(HINSTANCE instance, LPMALLOC malloc, void *alloc_buffer,
                                           void *alloc_more, void *free_buffer, ULONG flags,
                                           ULONG mapi_ver, ULONG *provider_ver, void **provider)
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
    /* Found or not, this provider has nothing more to offer: it is here
     * for what it asks, and ends as such a provider ends without Outlook. */
    return outlook_found() ? MAPI_E_NO_SUPPORT : E_OUTOFMEMORY;
}
