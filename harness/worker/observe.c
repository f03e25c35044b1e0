/* observe.c: handle types and thread lists (see observe.h). */
#include <windows.h>
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

/* One answer of SystemProcessInformation (5): every process of the Wine
 * prefix (or the machine), each followed by its threads. One system call:
 * the Toolhelp snapshot asks the same and then maps its copy anew for each
 * thread it walks, about 10 ms a snapshot under Wine. Host thread only. */
static const SYSTEM_PROCESS_INFORMATION *process_list(void)
{
    static void *buf;
    static ULONG cap;
    ULONG len = 0;

    for (int tries = 0; tries < 8; tries++) {
        NTSTATUS st;
        if (buf == NULL) {
            cap = cap ? cap : 256 * 1024;
            if ((buf = HeapAlloc(GetProcessHeap(), 0, cap)) == NULL) {
                return NULL;
            }
        }
        st = NtQuerySystemInformation(SystemProcessInformation, buf, cap, &len);
        if (st == 0) {
            return buf;
        }
        if (st != (NTSTATUS)0xC0000004L) { /* STATUS_INFO_LENGTH_MISMATCH */
            return NULL;
        }
        HeapFree(GetProcessHeap(), 0, buf);
        buf = NULL;
        cap = len > cap ? len + 64 * 1024 : cap * 2;
    }
    return NULL;
}

size_t observe_threads(DWORD *ids, size_t cap)
{
    const SYSTEM_PROCESS_INFORMATION *p = process_list();
    DWORD pid = GetCurrentProcessId();
    size_t n = 0;

    while (p != NULL) {
        if ((DWORD)(ULONG_PTR)p->UniqueProcessId == pid) {
            /* The process's threads follow its entry. */
            const SYSTEM_THREAD_INFORMATION *t = (const void *)(p + 1);
            for (ULONG i = 0; i < p->NumberOfThreads && n < cap; i++) {
                ids[n++] = (DWORD)(ULONG_PTR)t[i].ClientId.UniqueThread;
            }
            return n;
        }
        p = p->NextEntryOffset ? (const void *)((const char *)p + p->NextEntryOffset) : NULL;
    }
    return 0;
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

/* NtQueryEvent and its basic information, which mingw-w64's headers do not
 * declare (ntdll exports it; documented in the Windows driver kit). */
typedef struct {
    ULONG EventType; /* 0: NotificationEvent (manual reset), 1: SynchronizationEvent (auto) */
    LONG EventState; /* nonzero: signaled */
} OBSERVE_EVENT_BASIC_INFORMATION;
NTSTATUS NTAPI NtQueryEvent(HANDLE, ULONG, PVOID, ULONG, PULONG);
#define OBSERVE_EVENT_BASIC_INFORMATION_CLASS 0

int observe_event_state(HANDLE h, int *auto_reset)
{
    OBSERVE_EVENT_BASIC_INFORMATION info;
    ULONG len = 0;

    if (h == NULL || h == INVALID_HANDLE_VALUE ||
        NtQueryEvent(h, OBSERVE_EVENT_BASIC_INFORMATION_CLASS, &info, sizeof info, &len) != 0) {
        return -1;
    }
    if (auto_reset != NULL) {
        *auto_reset = info.EventType == 1;
    }
    return info.EventState != 0;
}
