/*
 * dllsearch.h: where Wine would find a DLL a provider imports, so that
 * `synchost probe` names a missing dependency before the loader's bare
 * "module not found".
 *
 * The places, in the order the search takes them (LoadLibraryEx with
 * LOAD_WITH_ALTERED_SEARCH_PATH, as the worker loads a provider): the
 * provider's own folder; the prefix's C:\windows\system32; Wine's builtin
 * DLLs (WINEDLLPATH, then the folders Wine installs them in); the prefix's
 * C:\windows; then the folders of WINEPATH (Wine prepends them to the
 * Windows PATH; drive letters are resolved through the prefix's
 * dosdevices). An API set name (api-ms-win-..., ext-ms-...) is found when
 * Wine's apisetschema.dll is. Names are matched without regard to case, as
 * Windows does. Single-threaded; reads the environment once, at init.
 */
#ifndef SYNCHOST_DLLSEARCH_H
#define SYNCHOST_DLLSEARCH_H

#include <stddef.h>

enum dll_place {
    DLL_NOT_FOUND,
    DLL_BESIDE,   /* the provider's folder */
    DLL_SYSTEM32, /* the prefix's C:\windows\system32 */
    DLL_BUILTIN,  /* one of Wine's builtin DLLs */
    DLL_APISET,   /* an API set Wine maps to a builtin DLL */
    DLL_WINDIR,   /* the prefix's C:\windows */
    DLL_PATH,     /* a folder of WINEPATH */
};

#define DLLSEARCH_DIRS_MAX 16

struct dllsearch {
    char *dirs[DLLSEARCH_DIRS_MAX]; /* owned; NULL where a place has no folder */
    enum dll_place place[DLLSEARCH_DIRS_MAX];
    size_t count;
    int apiset; /* Wine's apisetschema.dll was found among the builtins */
};

/* The places for a provider at provider_path, with the environment as it is
 * now (WINEPREFIX set: winenv_defaults). Returns 0, or -1 out of memory. */
int dllsearch_init(struct dllsearch *s, const char *provider_path);
void dllsearch_free(struct dllsearch *s);

/* Where name is found: the place, and the file's path in path (cap bytes),
 * or DLL_NOT_FOUND. A name with a path separator in it is not searched. */
enum dll_place dllsearch_find(const struct dllsearch *s, const char *name, char *path, size_t cap);

/* "beside the provider", "system32", "Wine builtin", "API set", "C:\windows",
 * "WINEPATH", "NOT FOUND". */
const char *dllsearch_place_name(enum dll_place place);

/* The places searched, in order, for a "not found" message: "the provider's
 * folder, system32 of the prefix, ...". */
const char *dllsearch_searched(void);

#endif /* SYNCHOST_DLLSEARCH_H */
