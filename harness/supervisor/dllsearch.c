/*
 * dllsearch.c: where Wine would find a DLL (dllsearch.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dllsearch.h"
#include "pe/pe.h"

/* Where Wine 8 installs its 64-bit builtin PE DLLs: Debian's packages first,
 * then upstream's default prefix and the WineHQ packages. */
static const char *const builtin_dirs[] = {
    "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows",
    "/usr/lib/wine/x86_64-windows",
    "/usr/lib64/wine/x86_64-windows",
    "/usr/local/lib/wine/x86_64-windows",
    "/usr/local/lib64/wine/x86_64-windows",
    "/opt/wine-stable/lib64/wine/x86_64-windows",
};

/* The same for the 32-bit ones, which an x86 DLL loads. */
static const char *const builtin_dirs32[] = {
    "/usr/lib/i386-linux-gnu/wine/i386-windows",
    "/usr/lib/wine/i386-windows",
    "/usr/lib32/wine/i386-windows",
    "/usr/local/lib/wine/i386-windows",
    "/opt/wine-stable/lib/wine/i386-windows",
};

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int in_dir(const char *dir, const char *name, char *out, size_t cap);

static int add(struct dllsearch *s, enum dll_place place, const char *path)
{
    char dir[PATH_MAX];

    /* Links resolved (dosdevices/c: is ../drive_c), for the paths shown. */
    if (s->count == DLLSEARCH_DIRS_MAX || realpath(path, dir) == NULL || !is_dir(dir)) {
        return 0;
    }
    for (size_t i = 0; i < s->count; i++) {
        if (strcmp(s->dirs[i], dir) == 0) {
            return 0; /* WINEDLLPATH naming a standard folder */
        }
    }
    if ((s->dirs[s->count] = strdup(dir)) == NULL) {
        return -1;
    }
    s->place[s->count++] = place;
    return 0;
}

/* A Windows path ("C:\dir", or a Unix one, which Wine also accepts) as a
 * Unix path, through the prefix's dosdevices links. */
static void unix_path(const char *prefix, const char *win, char *out, size_t cap)
{
    size_t n;

    /* No prefix: the program runs on Windows, where the path is the path. */
    if (prefix[0] != '\0' && isalpha((unsigned char)win[0]) && win[1] == ':') {
        n = (size_t)snprintf(out, cap, "%s/dosdevices/%c:%s", prefix,
                             tolower((unsigned char)win[0]), win + 2);
    } else {
        n = (size_t)snprintf(out, cap, "%s", win);
    }
    for (size_t i = 0; i < n && i < cap; i++) {
        out[i] = out[i] == '\\' ? '/' : out[i];
    }
}

/* The folders of a list (sep-separated) into place, each with suffix
 * tried first when it is not NULL (WINEDLLPATH's folders hold
 * x86_64-windows/ in Wine 8). */
static int add_list(struct dllsearch *s, enum dll_place place, const char *list, char sep,
                    const char *prefix, const char *suffix)
{
    char item[PATH_MAX], dir[PATH_MAX];

    while (list != NULL && *list != '\0') {
        const char *end = strchr(list, sep);
        size_t n = end != NULL ? (size_t)(end - list) : strlen(list);

        if (n > 0 && n < sizeof item) {
            memcpy(item, list, n);
            item[n] = '\0';
            unix_path(prefix, item, dir, sizeof dir);
            if (suffix != NULL &&
                (size_t)snprintf(item, sizeof item, "%s/%s", dir, suffix) < sizeof item &&
                add(s, place, item) != 0) {
                return -1;
            }
            if (add(s, place, dir) != 0) {
                return -1;
            }
        }
        list = end != NULL ? end + 1 : NULL;
    }
    return 0;
}

static int add_builtins(struct dllsearch *s, const char *prefix, int x86)
{
    const char *const *dirs = x86 ? builtin_dirs32 : builtin_dirs;
    size_t n = x86 ? sizeof builtin_dirs32 / sizeof builtin_dirs32[0]
                   : sizeof builtin_dirs / sizeof builtin_dirs[0];

    if (add_list(s, DLL_BUILTIN, getenv("WINEDLLPATH"), ':', prefix,
                 x86 ? "i386-windows" : "x86_64-windows") != 0) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (add(s, DLL_BUILTIN, dirs[i]) != 0) {
            return -1;
        }
    }
    return 0;
}

int dllsearch_init(struct dllsearch *s, const char *provider_path)
{
    const char *prefix = getenv("WINEPREFIX") != NULL ? getenv("WINEPREFIX") : "";
    char dir[PATH_MAX], path[PATH_MAX];
    struct pe_info pe;
    char *slash;
    /* A 32-bit process's system folder is syswow64 (system32 is
     * redirected there), and its builtins are Wine's 32-bit ones. */
    int x86 = pe_read(provider_path, &pe, path, sizeof path) == 0 && pe.machine == PE_MACHINE_X86;

    memset(s, 0, sizeof *s);
    if (realpath(provider_path, dir) == NULL) {
        snprintf(dir, sizeof dir, "%s", provider_path);
    }
    slash = strrchr(dir, '/');
    if (slash != NULL) {
        *slash = '\0';
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    if (add(s, DLL_BESIDE, dir[0] != '\0' ? dir : "/") != 0) {
        return -1;
    }
    unix_path(prefix, x86 ? "C:\\windows\\syswow64" : "C:\\windows\\system32", path, sizeof path);
    if (add(s, DLL_SYSTEM32, path) != 0 || add_builtins(s, prefix, x86) != 0) {
        return -1;
    }
    for (size_t i = 0; i < s->count && !s->apiset; i++) {
        s->apiset =
            s->place[i] == DLL_BUILTIN && in_dir(s->dirs[i], "apisetschema.dll", path, sizeof path);
    }
    unix_path(prefix, "C:\\windows", path, sizeof path);
    if (add(s, DLL_WINDIR, path) != 0) {
        return -1;
    }
    return add_list(s, DLL_PATH, getenv("WINEPATH"), ';', prefix, NULL);
}

void dllsearch_free(struct dllsearch *s)
{
    for (size_t i = 0; i < s->count; i++) {
        free(s->dirs[i]);
    }
    memset(s, 0, sizeof *s);
}

/* name in dir, without regard to case: its path in out. */
static int in_dir(const char *dir, const char *name, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;

    if (d == NULL) {
        return 0;
    }
    while (!found && (e = readdir(d)) != NULL) {
        struct stat st;
        if (strcasecmp(e->d_name, name) != 0 ||
            (size_t)snprintf(out, cap, "%s/%s", dir, e->d_name) >= cap) {
            continue;
        }
        found = stat(out, &st) == 0 && S_ISREG(st.st_mode);
    }
    closedir(d);
    return found;
}

static int is_apiset(const char *name)
{
    return strncasecmp(name, "api-", 4) == 0 || strncasecmp(name, "ext-", 4) == 0;
}

enum dll_place dllsearch_find(const struct dllsearch *s, const char *name, char *path, size_t cap)
{
    if (cap > 0) {
        path[0] = '\0';
    }
    if (*name == '\0' || strchr(name, '/') != NULL || strchr(name, '\\') != NULL) {
        return DLL_NOT_FOUND;
    }
    /* An API set is not a file: the loader maps it, through Wine's schema,
     * to a builtin DLL before any folder is searched. */
    if (s->apiset && is_apiset(name)) {
        snprintf(path, cap, "mapped by Wine's apisetschema.dll");
        return DLL_APISET;
    }
    for (size_t i = 0; i < s->count; i++) {
        if (in_dir(s->dirs[i], name, path, cap)) {
            return s->place[i];
        }
    }
    return DLL_NOT_FOUND;
}

const char *dllsearch_place_name(enum dll_place place)
{
    switch (place) {
    case DLL_BESIDE:
        return "beside the provider";
    case DLL_SYSTEM32:
        return "system32";
    case DLL_BUILTIN:
        return "Wine builtin";
    case DLL_APISET:
        return "API set";
    case DLL_WINDIR:
        return "C:\\windows";
    case DLL_PATH:
        return "WINEPATH";
    case DLL_NOT_FOUND:
        break;
    }
    return "NOT FOUND";
}

const char *dllsearch_searched(void)
{
    return "the provider's folder, the prefix's C:\\windows\\system32, Wine's builtin DLLs, "
           "C:\\windows, WINEPATH";
}
