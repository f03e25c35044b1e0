/*
 * crash.c: turns an unhandled exception on any thread into a `crash` event.
 *
 * The filter runs on the faulting thread. It records the exception code, the
 * address and the module it falls in, then terminates the process at once:
 * the provider's state is unknown, so no DLL detach code of the provider runs
 * and nothing waits on Wine's debugger (bootstrap switches winedbg off too).
 */
#include <stdio.h>
#include <wchar.h>

#include "recorder.h"
#include "worker.h"

static void module_of(const void *addr, char *out, size_t cap)
{
    HMODULE mod = NULL;
    WCHAR path[MAX_PATH];
    const WCHAR *base;
    DWORD n;

    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)addr, &mod) ||
        (n = GetModuleFileNameW(mod, path, MAX_PATH)) == 0 || n >= MAX_PATH) {
        snprintf(out, cap, "?+0x%llx", (unsigned long long)(ULONG_PTR)addr);
        return;
    }
    base = wcsrchr(path, L'\\');
    base = base ? base + 1 : path;
    snprintf(out, cap, "%ls+0x%llx", base, (unsigned long long)((ULONG_PTR)addr - (ULONG_PTR)mod));
}

static LONG WINAPI crash_filter(EXCEPTION_POINTERS *info)
{
    static char where[MAX_PATH + 32];
    struct event ev = {0};
    const EXCEPTION_RECORD *rec = info->ExceptionRecord;

    module_of(rec->ExceptionAddress, where, sizeof where);
    ev.kind = EVENT_CRASH;
    ev.hr = (uint32_t)rec->ExceptionCode;
    ev.handle = (uint64_t)(ULONG_PTR)rec->ExceptionAddress;
    ev.text = where;
    /* For an access violation, the second parameter is the address read or
     * written: worth a line in the report ("read of 0x0"). */
    if (rec->ExceptionCode == EXCEPTION_ACCESS_VIOLATION && rec->NumberParameters >= 2) {
        ev.value = (uint64_t)rec->ExceptionInformation[1];
        ev.flags = (uint32_t)rec->ExceptionInformation[0]; /* 0 read, 1 write, 8 execute */
    }
    recorder_emit(&ev);
    TerminateProcess(GetCurrentProcess(), rec->ExceptionCode);
    return EXCEPTION_EXECUTE_HANDLER;
}

void worker_crash_init(void)
{
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    SetUnhandledExceptionFilter(crash_filter);
}
