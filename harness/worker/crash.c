/*
 * crash.c: turns a provider's crash on any thread into a `crash` event.
 *
 * Three ways in: the unhandled-exception filter (access violations and the
 * like, on any thread), a vectored handler for stack overflow (the filter
 * would run on a stack that has none left), and the C runtime's SIGABRT
 * (abort() ends the process with status 3 and no exception at all, which
 * would otherwise look like a provider calling ExitProcess).
 *
 * The faulting thread does as little as possible: it claims the report,
 * copies the facts into static storage and wakes a reporter thread created
 * at start-up, whose stack is healthy. The reporter names the module, emits
 * the event and terminates the process at once: the provider's state is
 * unknown, so none of its DLL detach code runs and nothing waits on Wine's
 * debugger (bootstrap switches winedbg off too).
 */
#include <signal.h>
#include <stdio.h>
#include <wchar.h>

#include "recorder.h"
#include "worker.h"

/* STATUS_FATAL_APP_EXIT: the code Windows reports for abort(). */
#define CODE_ABORT 0x40000015u

static struct {
    LONG claimed;
    DWORD code;
    const void *address;
    DWORD thread;
    ULONG_PTR av_kind, av_address;
    int has_av;
} crash;
static HANDLE crash_wake;

static void module_of(const void *addr, char *out, size_t cap)
{
    HMODULE mod = NULL;
    WCHAR path[MAX_PATH];
    const WCHAR *base;
    DWORD n;

    if (addr == NULL) {
        snprintf(out, cap, "(no address)");
        return;
    }
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

static DWORD WINAPI crash_reporter(void *arg)
{
    static char where[MAX_PATH + 32];
    struct event ev = {0};

    (void)arg;
    WaitForSingleObject(crash_wake, INFINITE);
    module_of(crash.address, where, sizeof where);
    ev.kind = EVENT_CRASH;
    ev.thread = crash.thread;
    ev.hr = crash.code;
    ev.handle = (uint64_t)(ULONG_PTR)crash.address;
    ev.text = where;
    /* For an access violation, what was accessed, and how: worth a line in
     * the report ("write of 0x0"). */
    if (crash.has_av) {
        ev.flags = (uint32_t)crash.av_kind; /* 0 read, 1 write, 8 execute */
        ev.value = (uint64_t)crash.av_address;
    }
    recorder_emit(&ev);
    TerminateProcess(GetCurrentProcess(), crash.code);
    return 0;
}

/* Called on the faulting thread. The first crash wins; a second thread that
 * crashes meanwhile just waits for the process to end. */
static void crash_report(DWORD code, const void *address, const EXCEPTION_RECORD *rec)
{
    if (InterlockedCompareExchange(&crash.claimed, 1, 0) == 0) {
        crash.code = code;
        crash.address = address;
        crash.thread = GetCurrentThreadId();
        if (rec != NULL && rec->ExceptionCode == EXCEPTION_ACCESS_VIOLATION &&
            rec->NumberParameters >= 2) {
            crash.has_av = 1;
            crash.av_kind = rec->ExceptionInformation[0];
            crash.av_address = rec->ExceptionInformation[1];
        }
        SetEvent(crash_wake);
    }
    Sleep(INFINITE);
}

static LONG WINAPI crash_filter(EXCEPTION_POINTERS *info)
{
    const EXCEPTION_RECORD *rec = info->ExceptionRecord;

    crash_report(rec->ExceptionCode, rec->ExceptionAddress, rec);
    return EXCEPTION_EXECUTE_HANDLER;
}

/* First chance, before any frame handler: only for stack overflow, which no
 * provider survives and whose unhandled filter would have no stack to run
 * on. Every other exception goes on to the provider's own handlers. */
static LONG WINAPI crash_vectored(EXCEPTION_POINTERS *info)
{
    const EXCEPTION_RECORD *rec = info->ExceptionRecord;

    if (rec->ExceptionCode == EXCEPTION_STACK_OVERFLOW) {
        crash_report(rec->ExceptionCode, rec->ExceptionAddress, rec);
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

static void crash_on_abort(int sig)
{
    (void)sig;
    crash_report(CODE_ABORT, NULL, NULL);
}

/* abort() raises SIGABRT in the C runtime the caller links: msvcrt (this
 * worker's and mingw-built providers') and ucrtbase (MSVC-built ones) keep
 * separate handler tables, so the handler goes into both. */
static void catch_abort(void)
{
    typedef void (*handler_fn)(int);
    typedef handler_fn(__cdecl * signal_fn)(int, handler_fn);
    HMODULE ucrt = LoadLibraryW(L"ucrtbase.dll");
    signal_fn ucrt_signal = NULL;

    signal(SIGABRT, crash_on_abort);
    if (ucrt != NULL) {
        ucrt_signal = (signal_fn)(void (*)(void))GetProcAddress(ucrt, "signal");
        if (ucrt_signal != NULL) {
            ucrt_signal(SIGABRT, crash_on_abort);
        }
    }
}

void worker_crash_init(void)
{
    HANDLE reporter;

    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    crash_wake = CreateEventW(NULL, TRUE, FALSE, NULL);
    reporter = CreateThread(NULL, 64 * 1024, crash_reporter, NULL, 0, NULL);
    if (reporter != NULL) {
        CloseHandle(reporter);
    }
    AddVectoredExceptionHandler(1, crash_vectored);
    SetUnhandledExceptionFilter(crash_filter);
    catch_abort();
}
