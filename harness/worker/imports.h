/*
 * imports.h: the provider's imports, pointed at the worker's wrappers as
 * the provider loads. Every module the process maps after imports_watch
 * from outside the Windows folder (the provider and the DLLs it ships) has
 * its import table walked once, as the loader's DLL notification reports
 * it mapped and bound and before its DllMain runs; each hook is asked, for
 * each function imported by name, for a wrapper. The system's own DLLs
 * (under the Windows folder) and the worker itself are left alone. The
 * module's GetProcAddress is wrapped too: a system DLL's function looked up
 * by name is offered to the hooks as its import would be. Used by
 * heapcheck.c (releases of heap blocks), handles.c (kernel objects) and
 * crash.c (abort, the unhandled-exception filter).
 * Win32 only.
 */
#ifndef SYNCHOST_IMPORTS_H
#define SYNCHOST_IMPORTS_H

#include <stddef.h>

/* A hook: the wrapper for the import `name` (a function of `dll`, which
 * the module's table names as it likes: kernel32.dll, an api-ms-win-*
 * set, a C runtime), whose current address is `current`; or NULL to leave
 * it. Called on the loading thread, under the loader's lock; or, with dll
 * NULL, for a GetProcAddress of the module's, on any thread (a hook that
 * keeps state may leave those alone). */
typedef void *(*imports_hook_fn)(const char *dll, const char *name, const void *current);

/* Adds a hook (at most 4); the first call registers for DLL load
 * notifications. Returns 0, or -1 when there are none to register for
 * (then no import is wrapped). Call before the provider is loaded. */
int imports_watch(imports_hook_fn hook);

/* A hook's table of wrappers: each the wrapper of the import of that name.
 * IMPORTS_WRAPPER(fn) names fn's wrapper w_fn. */
struct imports_wrapper {
    const char *name;
    void *wrapper;
};
#define IMPORTS_WRAPPER(fn) {#fn, (void *)w_##fn}

/* The wrapper table[i] of the import `name` among the n of table, or NULL. */
void *imports_wrapper_named(const struct imports_wrapper *table, size_t n, const char *name);

#endif /* SYNCHOST_IMPORTS_H */
