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
 * copies the facts (and its registers) into static storage and wakes a
 * reporter thread created at start-up, whose stack is healthy. The reporter
 * names the module, emits the `crash` event, walks the faulting thread's
 * stack from the exception's registers on its own stack (stack.h) and emits
 * it as `frame` events, and terminates the process at once: the provider's
 * state is unknown, so none of its DLL detach code runs and nothing waits on
 * Wine's debugger (bootstrap switches winedbg off too).
 *
 * The provider's own unhandled-exception filter never replaces the host's:
 * its SetUnhandledExceptionFilter (imported, or found with GetProcAddress)
 * is wrapped, the filter kept aside and never called. So an exception that
 * no frame of the provider handled reaches the host's filter and is a crash
 * whoever would have caught it last (no-crash); the crash's report names
 * the filter the provider had set. The filter is the process's one last
 * chance for every thread of every DLL: in Outlook a provider that takes it
 * takes it from Outlook and every other provider (inferred, CONTRACT.md).
 *
 * The reporter takes no lock the faulting thread may hold: not the
 * recorder's (recorder_take_for_crash goes on without it when the crashed
 * thread owns it), not the heap's (nothing is allocated; the C runtime's
 * per-thread data is made at start-up), not the loader's (modules are
 * found with VirtualQuery, not GetModuleHandleEx).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <windows.h>
#include <winternl.h>

#include "hostheld.h"
#include "threads.h"
#include "imports.h"
#include "recorder.h"
#include "stack.h"
#include "protocol/wire.h"
#include "worker.h"

/* STATUS_FATAL_APP_EXIT: the code Windows reports for abort(). */
#define CODE_ABORT 0x40000015u
/* How long the reporter waits for the recorder's lock when a live thread
 * holds it (the crashed thread's own hold is not waited for). */
#define RECORDER_WAIT_MS 1000u

static struct {
    LONG claimed;
    DWORD code;
    const void *address;
    DWORD thread;
    ULONG_PTR av_kind, av_address;
    int has_av;
    CONTEXT context; /* the faulting thread's registers */
    struct stack_bounds bounds;
} crash;
static struct stack_frame crash_frames[STACK_MAX_FRAMES];
static HANDLE crash_wake;
/* The last filter the provider asked to install (never installed), or NULL. */
static LPTOP_LEVEL_EXCEPTION_FILTER volatile provider_filter;

/* Names the provider's own filter after the crash's place, when it set one:
 * the exception got past every frame of the provider and would have been
 * its filter's to swallow. */
static void describe_provider_filter(char *where, size_t cap)
{
    char filter[STACK_DESCRIBE_MAX];
    size_t len = strlen(where);
    const void *fn = (const void *)provider_filter;

    if (fn == NULL || len + 1 >= cap) {
        return;
    }
    stack_describe((uint64_t)(ULONG_PTR)fn, STACK_NO_SYMBOL, filter, sizeof filter);
    snprintf(where + len, cap - len,
             " (unhandled: the provider's own unhandled-exception filter %s was not let "
             "swallow it)",
             filter);
}

static DWORD WINAPI crash_reporter(void *arg)
{
    static char where[STACK_DESCRIBE_MAX];
    struct event ev = {0};
    size_t n;

    (void)arg;
    stack_prepare_thread();
    WaitForSingleObject(crash_wake, INFINITE);
    recorder_take_for_crash(crash.thread, RECORDER_WAIT_MS);
    if (crash.address != NULL) {
        stack_describe((uint64_t)(ULONG_PTR)crash.address, STACK_NO_SYMBOL, where, sizeof where);
    } else {
        snprintf(where, sizeof where, "(no address)");
    }
    describe_provider_filter(where, sizeof where);
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
    recorder_emit_final(&ev);
    n = stack_walk(&crash.context, crash.bounds, crash_frames, STACK_MAX_FRAMES);
    stack_emit(crash.thread, crash_frames, n, recorder_emit_final);
    TerminateProcess(GetCurrentProcess(), crash.code);
    return 0;
}

/* Called on the faulting thread, with the registers at the fault (NULL:
 * here and now). The first crash wins; a second thread that crashes
 * meanwhile just waits for the process to end. */
static void crash_report(DWORD code, const void *address, const EXCEPTION_RECORD *rec,
                         const CONTEXT *ctx)
{
    if (InterlockedCompareExchange(&crash.claimed, 1, 0) == 0) {
        crash.code = code;
        crash.address = address;
        crash.thread = GetCurrentThreadId();
        crash.bounds = stack_bounds_current();
        if (ctx != NULL) {
            memcpy(&crash.context, ctx, sizeof crash.context);
        } else {
            stack_capture(&crash.context);
        }
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

    crash_report(rec->ExceptionCode, rec->ExceptionAddress, rec, info->ContextRecord);
    return EXCEPTION_EXECUTE_HANDLER;
}

/* First chance, before any frame handler: for the stack walker's guard, and
 * for stack overflow, which no
 * provider survives and whose unhandled filter would have no stack to run
 * on. Every other exception goes on to the provider's own handlers. */
/* The thread that is calling into the loader for the provider's DLL (its
 * detach code), or 0. */
static volatile DWORD crash_loader_thread;
/* The provider's entry point is called through crash_entry_thunk (see
 * worker_crash_guard_detach). */
static volatile int crash_entry_guarded;

/* A fault of the processor itself, which no correct code raises on purpose
 * in DllMain. */
static int hardware_fault(DWORD code)
{
    return code == EXCEPTION_ACCESS_VIOLATION || code == EXCEPTION_ILLEGAL_INSTRUCTION ||
           code == EXCEPTION_PRIV_INSTRUCTION || code == EXCEPTION_INT_DIVIDE_BY_ZERO ||
           code == EXCEPTION_IN_PAGE_ERROR || code == EXCEPTION_DATATYPE_MISALIGNMENT;
}

/* The event ring's view (worker_crash_watch_ring), or none. */
static const unsigned char *crash_ring;
static size_t crash_ring_len;

void worker_crash_watch_ring(const void *mem, size_t len)
{
    crash_ring = mem;
    crash_ring_len = len;
}

/* A fault on the ring's own memory: the worker maps it readable and
 * writable and never changes that, so whoever faults there (the host's
 * writer or the provider itself), the provider took the host's memory from
 * it. Not a crash of the provider's code: nothing more can be recorded, and
 * the exit status is all that tells the supervisor. */
static int ring_fault(const EXCEPTION_RECORD *rec)
{
    ULONG_PTR at;

    if (crash_ring == NULL || rec->ExceptionCode != EXCEPTION_ACCESS_VIOLATION ||
        rec->NumberParameters < 2) {
        return 0;
    }
    at = rec->ExceptionInformation[1];
    return at >= (ULONG_PTR)crash_ring && at - (ULONG_PTR)crash_ring < crash_ring_len;
}

void worker_crash_watch_loader(int on)
{
    crash_loader_thread = on ? GetCurrentThreadId() : 0;
}

static LONG WINAPI crash_vectored(EXCEPTION_POINTERS *info)
{
    const EXCEPTION_RECORD *rec = info->ExceptionRecord;

    /* A fault while walking or naming a stack ends that walk, nothing more. */
    if (stack_guard_hook(info) == EXCEPTION_CONTINUE_EXECUTION) {
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    if (ring_fault(rec)) {
        TerminateProcess(GetCurrentProcess(), WIRE_EXIT_RING_UNWRITABLE);
    }
    if (rec->ExceptionCode == EXCEPTION_STACK_OVERFLOW) {
        crash_report(rec->ExceptionCode, rec->ExceptionAddress, rec, info->ContextRecord);
    }
    /* Only when the detach code could not be guarded (crash_guard_detach):
     * then a hardware fault on the host's thread in FreeLibrary is taken
     * for the provider's crash as soon as it is raised, even one that a
     * handler of the provider's would have dealt with. */
    if (crash_loader_thread != 0 && crash_loader_thread == GetCurrentThreadId() &&
        !crash_entry_guarded && hardware_fault(rec->ExceptionCode)) {
        crash_report(rec->ExceptionCode, rec->ExceptionAddress, rec, info->ContextRecord);
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

/*
 * The loader runs DllMain inside a handler of its own and swallows what
 * escapes it (Wine's does, and FreeLibrary still returns TRUE), so the
 * unhandled filter never sees a crash in DLL_PROCESS_DETACH. The provider's
 * entry point is therefore called through crash_entry_thunk, a frame with
 * a handler of its own between the loader's and the provider's: an
 * exception reaches that handler only when no frame of the provider's took
 * it, and it is then reported with the stack still as it was. A fault the
 * provider handles itself (a C++ catch, an SEH frame, a vectored handler
 * that continues) never gets there and is no crash.
 */
static void *volatile crash_real_entry;

EXCEPTION_DISPOSITION crash_entry_handler(EXCEPTION_RECORD *rec, void *frame, CONTEXT *ctx,
                                          void *dispatch);

/* BOOL WINAPI crash_entry_thunk(HINSTANCE, DWORD, void *): calls the
 * provider's entry point with the same arguments, under
 * crash_entry_handler. */
BOOL WINAPI crash_entry_thunk(HINSTANCE instance, DWORD reason, void *reserved);
#ifdef _WIN64
__asm__(".text\n"
        ".globl crash_entry_thunk\n"
        ".def crash_entry_thunk; .scl 2; .type 32; .endef\n"
        ".seh_proc crash_entry_thunk\n"
        "crash_entry_thunk:\n"
        "    subq $40, %rsp\n"
        "    .seh_stackalloc 40\n"
        "    .seh_endprologue\n"
        "    .seh_handler crash_entry_handler, @except\n"
        "    callq *crash_real_entry(%rip)\n"
        "    nop\n"
        "    addq $40, %rsp\n"
        "    ret\n"
        ".seh_endproc\n");
#else
/* x86 has no unwind tables: the handler is an SEH record on the stack,
 * linked at fs:[0] for the call. The frame pointer keeps the record's
 * place whatever the entry point does to the stack pointer; the three
 * arguments are passed on and popped (BOOL WINAPI is stdcall). */
__asm__(".text\n"
        ".globl _crash_entry_thunk@12\n"
        ".def _crash_entry_thunk@12; .scl 2; .type 32; .endef\n"
        "_crash_entry_thunk@12:\n"
        "    pushl %ebp\n"
        "    movl %esp, %ebp\n"
        "    pushl $_crash_entry_handler\n"
        "    pushl %fs:0\n"
        "    movl %esp, %fs:0\n"
        "    pushl 16(%ebp)\n"
        "    pushl 12(%ebp)\n"
        "    pushl 8(%ebp)\n"
        "    call *_crash_real_entry\n"
        "    movl -8(%ebp), %ecx\n"
        "    movl %ecx, %fs:0\n"
        "    movl %ebp, %esp\n"
        "    popl %ebp\n"
        "    ret $12\n");
#endif

EXCEPTION_DISPOSITION crash_entry_handler(EXCEPTION_RECORD *rec, void *frame, CONTEXT *ctx,
                                          void *dispatch)
{
    (void)frame;
    (void)dispatch;
    /* In the search for a handler, not in an unwind on the way out. */
    if ((rec->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)) == 0) {
        crash_report(rec->ExceptionCode, rec->ExceptionAddress, rec, ctx);
    }
    return ExceptionContinueSearch;
}

void worker_crash_guard_detach(HMODULE dll)
{
    PROCESS_BASIC_INFORMATION info;
    LIST_ENTRY *head;

    if (IsDebuggerPresent() || crash_entry_guarded ||
        NtQueryInformationProcess(GetCurrentProcess(), ProcessBasicInformation, &info, sizeof info,
                                  NULL) != 0 ||
        info.PebBaseAddress == NULL || info.PebBaseAddress->Ldr == NULL) {
        return;
    }
    head = &info.PebBaseAddress->Ldr->InMemoryOrderModuleList;
    for (LIST_ENTRY *at = head->Flink; at != head; at = at->Flink) {
        LDR_DATA_TABLE_ENTRY *mod = CONTAINING_RECORD(at, LDR_DATA_TABLE_ENTRY, InMemoryOrderLinks);
        /* Reserved3[0] is EntryPoint in the loader's documented layout
         * (DllBase, EntryPoint, SizeOfImage); the loader calls DllMain
         * through it. */
        if (mod->DllBase == (void *)dll && mod->Reserved3[0] != NULL) {
            crash_real_entry = mod->Reserved3[0];
            mod->Reserved3[0] = (void *)crash_entry_thunk;
            crash_entry_guarded = 1;
            return;
        }
    }
}

void worker_crash_settle(void)
{
    if (InterlockedCompareExchange(&crash.claimed, 0, 0) != 0) {
        /* The reporter ends the process; one that does not in time failed. */
        Sleep(WIRE_CRASH_SETTLE_MS);
        TerminateProcess(GetCurrentProcess(), WIRE_EXIT_CRASH_UNREPORTED);
    }
}

typedef void (*abort_handler_fn)(int);
typedef abort_handler_fn(__cdecl *signal_fn)(int, abort_handler_fn);
static signal_fn ucrt_signal;

static void crash_on_abort(int sig)
{
    /* The C runtime put the default action back before calling this: a
     * second thread that aborts now would end the process unreported. */
    signal(SIGABRT, crash_on_abort);
    if (ucrt_signal != NULL) {
        ucrt_signal(SIGABRT, crash_on_abort);
    }
    (void)sig;
    crash_report(CODE_ABORT, NULL, NULL, NULL);
}

/* abort() called by the provider's own code, wrapped as it loads: reported
 * before the C runtime touches its signal table, so that two threads that
 * abort at once are reported as one crash, never as an exit. */
static void __cdecl crash_abort_import(void)
{
    crash_report(CODE_ABORT, NULL, NULL, NULL);
}

/* The provider's SetUnhandledExceptionFilter: its filter is kept aside,
 * the host's stays (see the top of this file). It gets back the filter it
 * set before, as if each call had taken effect. */
static LPTOP_LEVEL_EXCEPTION_FILTER WINAPI
crash_set_filter_import(LPTOP_LEVEL_EXCEPTION_FILTER filter)
{
    return InterlockedExchangePointer((void *volatile *)&provider_filter, (void *)filter);
}

static void *abort_hook(const char *dll, const char *name, const void *current)
{
    (void)dll;
    (void)current;
    if (strcmp(name, "SetUnhandledExceptionFilter") == 0) {
        return (void *)crash_set_filter_import;
    }
    return strcmp(name, "abort") == 0 ? (void *)crash_abort_import : NULL;
}

/* abort() raises SIGABRT in the C runtime the caller links: msvcrt (this
 * worker's and mingw-built providers') and ucrtbase (MSVC-built ones) keep
 * separate handler tables, so the handler goes into both (for an abort
 * from inside a runtime, as a failed assert makes). */
static void catch_abort(void)
{
    HMODULE ucrt = LoadLibraryW(L"ucrtbase.dll");

    if (ucrt != NULL) {
        ucrt_signal = (signal_fn)(void (*)(void))GetProcAddress(ucrt, "signal");
    }
    signal(SIGABRT, crash_on_abort);
    if (ucrt_signal != NULL) {
        ucrt_signal(SIGABRT, crash_on_abort);
    }
    imports_watch(abort_hook);
}

/* Under a debugger, the filter of last resort. UnhandledExceptionFilter
 * calls no filter while a debugger is attached (the debugger gets the
 * second chance: documented, UnhandledExceptionFilter on MSDN), so this
 * runs only once the debugger has let the process go: winedbg's `quit`
 * detaches and the faulting instruction runs again. The process then ends
 * as a crash ends it, with the exception's code, rather than start Wine's
 * crash debugger on top of the one the developer just left. */
static LONG WINAPI crash_after_debugger(EXCEPTION_POINTERS *info)
{
    TerminateProcess(GetCurrentProcess(), info->ExceptionRecord->ExceptionCode);
    return EXCEPTION_EXECUTE_HANDLER;
}

void worker_crash_init(void)
{
    HANDLE reporter;

    stack_prepare_thread();
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    /* Under a debugger (the rerun command for winedbg) the crash is the
     * debugger's to stop at: no handler of the host's sees it first,
     * nothing is reported. */
    if (IsDebuggerPresent()) {
        SetUnhandledExceptionFilter(crash_after_debugger);
        return;
    }
    crash_wake = CreateEventW(NULL, TRUE, FALSE, NULL);
    hostheld_add(crash_wake, "the host's crash reporter's event");
    reporter = threads_start_host(crash_reporter, NULL);
    if (reporter != NULL) {
        CloseHandle(reporter);
    }
    AddVectoredExceptionHandler(1, crash_vectored);
    SetUnhandledExceptionFilter(crash_filter);
    catch_abort();
}
