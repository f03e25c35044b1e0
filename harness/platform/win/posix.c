/* posix.c: POSIX interfaces on Windows (posix.h). */
#include <stdint.h>
#include <string.h>
#include <windows.h>

#include "posix.h"

/* Windows takes '/' as a separator too; the callers look for '/' only. */
static void forward_slashes(char *p)
{
    for (; *p != '\0'; p++) {
        if (*p == '\\') {
            *p = '/';
        }
    }
}

/* POSIX's realpath fails on a path that is not there; _fullpath does not. */
char *posix_realpath(const char *path, char *resolved)
{
    DWORD attrs;
    size_t n;

    if (_fullpath(resolved, path, PATH_MAX) == NULL) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    attrs = GetFileAttributesA(resolved);
    if (attrs == INVALID_FILE_ATTRIBUTES) {
        errno = ENOENT;
        return NULL;
    }
    forward_slashes(resolved);
    /* "C:/" keeps its slash; any other trailing one goes, as POSIX's does. */
    n = strlen(resolved);
    if (n > 3 && resolved[n - 1] == '/') {
        resolved[n - 1] = '\0';
    }
    return resolved;
}

int posix_rename(const char *from, const char *to)
{
    if (MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_COPY_ALLOWED)) {
        return 0;
    }
    errno = GetLastError() == ERROR_ACCESS_DENIED ? EACCES : ENOENT;
    return -1;
}

int posix_symlink(const char *target, const char *link)
{
    if (CopyFileA(target, link, TRUE)) {
        return 0;
    }
    errno = GetLastError() == ERROR_FILE_EXISTS ? EEXIST : EACCES;
    return -1;
}

long posix_sysconf(int name)
{
    SYSTEM_INFO si;

    if (name != _SC_NPROCESSORS_ONLN) {
        errno = EINVAL;
        return -1;
    }
    GetSystemInfo(&si);
    return (long)si.dwNumberOfProcessors;
}

char *posix_mkdtemp(char *templ)
{
    size_t n = strlen(templ);
    char *x = templ + n - (n < 6 ? n : 6);

    if (n < 6 || strcmp(x, "XXXXXX") != 0) {
        errno = EINVAL;
        return NULL;
    }
    for (int tries = 0; tries < 100; tries++) {
        unsigned r = (unsigned)GetTickCount() ^ (unsigned)GetCurrentProcessId() * 2654435761u ^
                     (unsigned)tries * 40503u;

        for (int i = 0; i < 6; i++, r /= 36) {
            x[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[r % 36];
        }
        if (_mkdir(templ) == 0) {
            return templ;
        }
        if (errno != EEXIST) {
            return NULL;
        }
    }
    return NULL;
}

int posix_readlink(const char *path, char *buf, size_t cap)
{
    (void)path;
    (void)buf;
    (void)cap;
    errno = EINVAL;
    return -1;
}

ssize_t posix_pread(int fd, void *buf, size_t cap, off_t at)
{
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    OVERLAPPED ov = {0};
    DWORD got = 0;

    if (h == INVALID_HANDLE_VALUE) {
        errno = EBADF;
        return -1;
    }
    ov.Offset = (DWORD)((uint64_t)at & 0xffffffffu);
    ov.OffsetHigh = (DWORD)((uint64_t)at >> 32);
    if (!ReadFile(h, buf, cap > 0x7fffffffu ? 0x7fffffffu : (DWORD)cap, &got, &ov)) {
        if (GetLastError() == ERROR_HANDLE_EOF) {
            return 0;
        }
        errno = EIO;
        return -1;
    }
    return (ssize_t)got;
}

char *posix_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = malloc(len + 1);

    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

char *posix_getcwd(char *buf, size_t cap)
{
    if (_getcwd(buf, cap > INT_MAX ? INT_MAX : (int)cap) == NULL) {
        return NULL;
    }
    forward_slashes(buf);
    return buf;
}
