/* callstat.c: the calling thread's wait for a CPU, from Linux (callstat.h). */
#include "callstat.h"

#include <stdio.h>

#include <windows.h>

#include "protocol/callwait.h"

static HANDLE stat_file = INVALID_HANDLE_VALUE;
static DWORD stat_thread; /* the thread whose schedstat it is */

void callstat_open(uint32_t pid)
{
    WCHAR path[64];

    if (pid == 0 || stat_file != INVALID_HANDLE_VALUE) {
        return;
    }
    /* At most 44 characters: the path always fits, with its NUL. */
    _snwprintf(path, 64, L"Z:\\proc\\%u\\task\\%u\\schedstat", (unsigned)pid, (unsigned)pid);
    stat_file =
        CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    NULL, OPEN_EXISTING, 0, NULL);
    stat_thread = GetCurrentThreadId();
}

int callstat_read(uint64_t *run_delay_ns)
{
    char buf[96];
    DWORD got = 0;
    OVERLAPPED at = {0}; /* from the start each time: Linux writes it afresh */

    if (stat_file == INVALID_HANDLE_VALUE || GetCurrentThreadId() != stat_thread) {
        return -1;
    }
    if (!ReadFile(stat_file, buf, sizeof buf, &got, &at) || got == 0 || got >= sizeof buf) {
        return -1;
    }
    return callwait_parse(buf, got, run_delay_ns);
}
