/* imports.c: the provider's import tables, walked as it loads (see imports.h). */
#include "imports.h"

#include <string.h>
#include <wchar.h>

#include <windows.h>

#include "lookups.h"

#define MAX_HOOKS 4

/* The notification's data for a loaded DLL (LDR_DLL_LOADED_NOTIFICATION_DATA). */
struct counted_wstr {
    USHORT len, cap; /* in bytes */
    const WCHAR *buf;
};
struct dll_loaded {
    ULONG flags;
    const struct counted_wstr *full_name;
    const struct counted_wstr *base_name;
    void *base;
    ULONG size;
};
typedef void(CALLBACK *dll_notify_fn)(ULONG reason, const struct dll_loaded *data, void *ctx);
typedef LONG(NTAPI *register_notify_fn)(ULONG flags, dll_notify_fn fn, void *ctx, void **cookie);

static imports_hook_fn hooks[MAX_HOOKS];
static int n_hooks;
static WCHAR windows_dir[MAX_PATH];
static size_t windows_dir_len;

static void set_import(ULONG_PTR *entry, void *value)
{
    DWORD old;

    if (VirtualProtect(entry, sizeof *entry, PAGE_READWRITE, &old)) {
        *entry = (ULONG_PTR)value;
        VirtualProtect(entry, sizeof *entry, old, &old);
    }
}

static void *wrapper_for(const char *dll, const char *name, const void *current)
{
    for (int i = 0; i < n_hooks; i++) {
        void *w = hooks[i](dll, name, current);
        if (w != NULL) {
            return w;
        }
    }
    return NULL;
}

/* Is the module one of the system's (under the Windows folder)? */
static int is_system_path(const WCHAR *path, size_t len)
{
    return windows_dir_len > 0 && len >= windows_dir_len &&
           _wcsnicmp(path, windows_dir, windows_dir_len) == 0;
}

/* The provider's GetProcAddress: a function of a system DLL looked up by
 * name gets the same wrapper its import would have, so that looking a
 * function up does not get around the wrappers. Hooks are asked with
 * dll = NULL (from any thread, not under the loader's lock). */
static FARPROC WINAPI w_GetProcAddress(HMODULE module, LPCSTR name)
{
    FARPROC fn = GetProcAddress(module, name);
    WCHAR path[MAX_PATH];
    DWORD len;
    void *w;

    if (fn == NULL) {
        lookups_proc_missing(module, name); /* for a failing load step's detail */
        return fn;
    }
    if (IS_INTRESOURCE(name)) {
        return fn;
    }
    len = GetModuleFileNameW(module, path, MAX_PATH);
    if (len == 0 || len >= MAX_PATH || !is_system_path(path, len)) {
        return fn;
    }
    w = wrapper_for(NULL, name, (const void *)fn);
    return w != NULL ? (FARPROC)w : fn;
}

/* Each function the module imports by name, offered to the hooks. */
static void wrap_imports(BYTE *base)
{
    const IMAGE_NT_HEADERS *nt =
        (const IMAGE_NT_HEADERS *)(base + ((const IMAGE_DOS_HEADER *)base)->e_lfanew);
    const IMAGE_DATA_DIRECTORY *dir =
        &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    const IMAGE_IMPORT_DESCRIPTOR *imp;

    if (dir->VirtualAddress == 0) {
        return;
    }
    for (imp = (const IMAGE_IMPORT_DESCRIPTOR *)(base + dir->VirtualAddress); imp->Name != 0;
         imp++) {
        const char *dll = (const char *)(base + imp->Name);
        const IMAGE_THUNK_DATA *names =
            (const IMAGE_THUNK_DATA *)(base + (imp->OriginalFirstThunk ? imp->OriginalFirstThunk
                                                                       : imp->FirstThunk));
        IMAGE_THUNK_DATA *iat = (IMAGE_THUNK_DATA *)(base + imp->FirstThunk);

        for (; names->u1.AddressOfData != 0; names++, iat++) {
            const IMAGE_IMPORT_BY_NAME *by_name;
            void *wrapper;

            if (IMAGE_SNAP_BY_ORDINAL(names->u1.Ordinal)) {
                continue;
            }
            by_name = (const IMAGE_IMPORT_BY_NAME *)(base + names->u1.AddressOfData);
            if (strcmp((const char *)by_name->Name, "GetProcAddress") == 0) {
                wrapper = (void *)w_GetProcAddress;
            } else {
                wrapper = wrapper_for(dll, (const char *)by_name->Name,
                                      (const void *)iat->u1.Function);
            }
            if (wrapper != NULL) {
                set_import((ULONG_PTR *)&iat->u1.Function, wrapper);
            }
        }
    }
}

/* Runs as each DLL is mapped, its imports bound, before its DllMain. */
static void CALLBACK on_dll(ULONG reason, const struct dll_loaded *data, void *ctx)
{
    const struct counted_wstr *name = data->full_name;

    (void)ctx;
    if (reason != 1 || name == NULL || name->buf == NULL) { /* 1: loaded */
        return;
    }
    if (is_system_path(name->buf, name->len / sizeof(WCHAR))) {
        return;
    }
    wrap_imports(data->base);
}

int imports_watch(imports_hook_fn hook)
{
    static void *cookie;
    static int registered = -1;

    if (n_hooks < MAX_HOOKS) {
        hooks[n_hooks++] = hook;
    }
    if (registered < 0) {
        register_notify_fn reg = (register_notify_fn)(void (*)(void))GetProcAddress(
            GetModuleHandleW(L"ntdll.dll"), "LdrRegisterDllNotification");
        UINT n = GetWindowsDirectoryW(windows_dir, MAX_PATH);

        windows_dir_len = n > 0 && n < MAX_PATH ? n : 0;
        registered = reg != NULL && reg(0, on_dll, NULL, &cookie) == 0;
    }
    return registered ? 0 : -1;
}

void *imports_wrapper_named(const struct imports_wrapper *table, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(name, table[i].name) == 0) {
            return table[i].wrapper;
        }
    }
    return NULL;
}
