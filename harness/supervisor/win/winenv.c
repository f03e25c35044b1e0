/*
 * win/winenv.c: the worker program on Windows (winenv.h). There is no Wine
 * here: the worker is a Windows program started directly, its paths are
 * Windows paths, and nothing needs a prefix or a server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include <uv.h>

#include "winenv.h"

#ifndef SYNCHOST_WORKER_FROM_BIN
#define SYNCHOST_WORKER_FROM_BIN "../libexec/synchost"
#endif

static int file_exists(const char *path)
{
    DWORD attrs = GetFileAttributesA(path);
    return attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY);
}

static void backslashes(char *p)
{
    for (; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\\';
        }
    }
}

/* As on Linux: $SYNCHOST_WORKERnn, else beside this program, else where the
 * build tree puts it, else where `meson install` puts it. */
static int find_named(const char *env_name, const char *exe, char *out, size_t cap)
{
    const char *env = getenv(env_name);
    char self[MAX_PATH * 4];
    size_t len = sizeof self;
    char *slash;
    const char *const rel[] = {"", "../worker/", SYNCHOST_WORKER_FROM_BIN "/"};

    if (env != NULL && *env != '\0') {
        snprintf(out, cap, "%s", env);
        return file_exists(out) ? 0 : -1;
    }
    if (uv_exepath(self, &len) != 0) {
        return -1;
    }
    backslashes(self);
    if ((slash = strrchr(self, '\\')) == NULL) {
        return -1;
    }
    *slash = '\0';
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        int absolute = rel[i][0] == '/' || (rel[i][0] != '\0' && rel[i][1] == ':');
        char joined[MAX_PATH * 4];
        if ((size_t)snprintf(joined, sizeof joined, "%s%s%s%s", absolute ? "" : self,
                             absolute ? "" : "\\", rel[i], exe) >= sizeof joined) {
            continue;
        }
        backslashes(joined);
        if (_fullpath(out, joined, cap) != NULL && file_exists(out)) {
            return 0;
        }
    }
    return -1;
}

int winenv_find_worker(char *out, size_t cap)
{
    return find_named("SYNCHOST_WORKER64", "synchost-worker64.exe", out, cap);
}

/* On 64-bit Windows the 32-bit worker runs as it is, under WoW64. */
int winenv_find_worker32(char *out, size_t cap)
{
    return find_named("SYNCHOST_WORKER32", "synchost-worker32.exe", out, cap);
}

/* Wine's variables mean nothing to a Windows program; under Wine (where
 * synchost.exe is tested) they would be inherited from the Unix side and
 * lead the DLL search into the prefix's Unix folders. They go, so that the
 * program behaves there as on Windows. */
void winenv_defaults(void)
{
    _putenv("WINEPREFIX=");
    _putenv("WINEDLLPATH=");
    _putenv("WINEPATH=");
}

/* No loader: the worker is started as it is. */
const char *winenv_loader64(void)
{
    return NULL;
}

const char *winenv_loader32(void)
{
    return NULL;
}

int winenv_loader_runs(const char *loader, char *why, size_t cap)
{
    (void)loader;
    (void)why;
    (void)cap;
    return 1;
}

int winenv_runs32(const char *loader32, char *why, size_t cap)
{
    return winenv_loader_runs(loader32, why, cap);
}

void winenv_warm_server(void)
{
}

const char *winenv_server_dir(void)
{
    return "";
}

/* The worker runs with another current folder than the user's shell may
 * have had in mind only if told so: paths are made absolute. */
void winenv_wine_path(const char *path, char *out, size_t cap)
{
    if (_fullpath(out, path, cap) == NULL) {
        snprintf(out, cap, "%s", path);
    }
    backslashes(out);
}

void winenv_wine_path_as_is(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    backslashes(out);
}

void winenv_native_path(const char *path, char *out, size_t cap)
{
    winenv_wine_path(path, out, cap);
}
