/* win/platform.c: the supervisor on Windows (platform.h). */
#include <stdio.h>
#include <windows.h>

#include "platform.h"

/* In %TEMP%, opened to be deleted when its last handle closes: the worker
 * opens it with FILE_SHARE_DELETE while this handle is still open, and
 * then neither a killed supervisor nor a killed worker leaves the file. */
int platform_ring_create(char *path, size_t cap, size_t len, void **mem, intptr_t *os)
{
    static unsigned counter;
    char dir[MAX_PATH + 1];
    DWORD n = GetTempPathA(sizeof dir, dir);
    HANDLE file, mapping;

    *mem = NULL;
    *os = (intptr_t)INVALID_HANDLE_VALUE;
    if (n == 0 || n > sizeof dir - 1) {
        return UV_ENOENT;
    }
    if ((size_t)snprintf(path, cap, "%ssynchost-%lu-%u.ring", dir,
                         (unsigned long)GetCurrentProcessId(), ++counter) >= cap) {
        return UV_ENAMETOOLONG;
    }
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, CREATE_NEW,
                       FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        return uv_translate_sys_error((int)GetLastError());
    }
    mapping = CreateFileMappingA(file, NULL, PAGE_READWRITE, (DWORD)((uint64_t)len >> 32),
                                 (DWORD)len, NULL);
    if (mapping != NULL) {
        *mem = MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, len);
    }
    if (*mem == NULL) {
        int rc = uv_translate_sys_error((int)GetLastError());
        if (mapping != NULL) {
            CloseHandle(mapping);
        }
        CloseHandle(file);
        return rc;
    }
    /* The view keeps the section; the file handle keeps the name until the
     * worker has opened it. */
    CloseHandle(mapping);
    *os = (intptr_t)file;
    return 0;
}

void platform_ring_release(void *mem, size_t len, intptr_t os)
{
    (void)len;
    if (mem != NULL) {
        UnmapViewOfFile(mem);
    }
    if ((HANDLE)os != INVALID_HANDLE_VALUE && os != 0) {
        CloseHandle((HANDLE)os);
    }
}

/* libuv reads a child's pipe with reads of its own in flight: a read here
 * would race them. What the pipe holds reaches the loop's read instead. */
size_t platform_read_ready(uv_os_fd_t fd, char *buf, size_t cap)
{
    (void)fd;
    (void)buf;
    (void)cap;
    return 0;
}

uint32_t platform_worker_proc_id(uv_pid_t pid)
{
    (void)pid;
    return 0;
}

void platform_path_for_display(char *path)
{
    for (; *path != '\0'; path++) {
        if (*path == '/') {
            *path = '\\';
        }
    }
}
