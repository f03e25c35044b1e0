/* observe.c: handle types and thread lists (see observe.h). */
#include <windows.h>
#include <tlhelp32.h>
#include <winternl.h>

#include <stdio.h>
#include <string.h>

#include "observe.h"

int observe_waitable(HANDLE h, char *type, size_t cap)
{
    static const char *const waitable[] = {"Event",     "Thread", "Process",
                                           "Semaphore", "Mutant", "Timer"};
    ULONG_PTR buf[128]; /* aligned for PUBLIC_OBJECT_TYPE_INFORMATION */
    const PUBLIC_OBJECT_TYPE_INFORMATION *info = (const void *)buf;
    ULONG len = 0;

    type[0] = '\0';
    if (h == NULL || h == INVALID_HANDLE_VALUE ||
        NtQueryObject(h, ObjectTypeInformation, buf, sizeof buf, &len) != 0) {
        return 0;
    }
    snprintf(type, cap, "%.*ls", (int)(info->TypeName.Length / sizeof(WCHAR)),
             info->TypeName.Buffer);
    for (size_t i = 0; i < sizeof waitable / sizeof waitable[0]; i++) {
        if (strcmp(type, waitable[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

size_t observe_threads(DWORD *ids, size_t cap)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    DWORD pid = GetCurrentProcessId();
    THREADENTRY32 te;
    size_t n = 0;

    if (snap == INVALID_HANDLE_VALUE) {
        return 0;
    }
    te.dwSize = sizeof te;
    for (BOOL ok = Thread32First(snap, &te); ok && n < cap; ok = Thread32Next(snap, &te)) {
        if (te.th32OwnerProcessID == pid) {
            ids[n++] = te.th32ThreadID;
        }
        te.dwSize = sizeof te;
    }
    CloseHandle(snap);
    return n;
}

static int listed(DWORD id, const DWORD *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == id) {
            return 1;
        }
    }
    return 0;
}

size_t observe_wait_new_threads(const DWORD *baseline, size_t n, DWORD timeout_ms)
{
    ULONGLONG end = GetTickCount64() + timeout_ms;
    DWORD now_ids[1024];
    size_t running;

    for (;;) {
        size_t count = observe_threads(now_ids, sizeof now_ids / sizeof now_ids[0]);
        HANDLE wait_on = NULL;

        running = 0;
        for (size_t i = 0; i < count; i++) {
            if (now_ids[i] == GetCurrentThreadId() || listed(now_ids[i], baseline, n)) {
                continue;
            }
            running++;
            if (wait_on == NULL) {
                wait_on = OpenThread(SYNCHRONIZE, FALSE, now_ids[i]);
            }
        }
        ULONGLONG t = GetTickCount64();
        if (running == 0 || t >= end) {
            if (wait_on != NULL) {
                CloseHandle(wait_on);
            }
            return running;
        }
        /* One thread at a time: when it ends, look again (it may have
         * started others). A thread that cannot be opened is polled. */
        if (wait_on != NULL) {
            WaitForSingleObject(wait_on, (DWORD)(end - t) < 50 ? (DWORD)(end - t) : 50);
            CloseHandle(wait_on);
        } else {
            Sleep(10);
        }
    }
}
