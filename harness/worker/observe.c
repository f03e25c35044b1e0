/* observe.c: handle types and event states (see observe.h). */
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
