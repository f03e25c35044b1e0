/*
 * Not a defect: DllMain(DLL_PROCESS_DETACH) reads through NULL on purpose
 * and handles the access violation itself, as code that probes memory does:
 * a vectored handler of its own, added last (so any handler added before it
 * sees the fault first) and removed after, moves past the faulting read.
 * Also a frame handler of its own (the SEH of an __try/__except) takes a
 * second fault. Neither exception leaves the provider's code: no crash
 * (no-crash). The sync itself is correct; the DLL must pass everything.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .init_result = S_OK,
};

/* int probe_read(void): reads the int at address 0; the fault is at
 * probe_fault, and probe_resume is where a handler goes on (0 is returned). */
int probe_read(void);
extern const char probe_fault[], probe_resume[];
__asm__(".text\n"
        ".globl probe_read\n"
        ".def probe_read; .scl 2; .type 32; .endef\n"
        "probe_read:\n"
        "    xorl %eax, %eax\n"
        ".globl probe_fault\n"
        "probe_fault:\n"
        "    movl (%rax), %eax\n"
        ".globl probe_resume\n"
        "probe_resume:\n"
        "    ret\n");

static volatile LONG probes_handled;

static LONG WINAPI skip_probe(EXCEPTION_POINTERS *info)
{
    if (info->ExceptionRecord->ExceptionCode == EXCEPTION_ACCESS_VIOLATION &&
        info->ExceptionRecord->ExceptionAddress == (void *)probe_fault) {
        info->ContextRecord->Rip = (DWORD64)(ULONG_PTR)probe_resume;
        InterlockedIncrement(&probes_handled);
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

/* EXCEPTION_DISPOSITION framed_handler(...): the frame handler of
 * framed_probe, as a compiler makes for __try/__except around a read: it
 * takes the fault at probe_fault and resumes at probe_resume. */
EXCEPTION_DISPOSITION framed_handler(EXCEPTION_RECORD *rec, void *frame, CONTEXT *ctx,
                                     void *dispatch)
{
    (void)frame;
    (void)dispatch;
    if ((rec->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND)) == 0 &&
        rec->ExceptionCode == EXCEPTION_ACCESS_VIOLATION &&
        rec->ExceptionAddress == (void *)probe_fault) {
        ctx->Rip = (DWORD64)(ULONG_PTR)probe_resume;
        InterlockedIncrement(&probes_handled);
        return ExceptionContinueExecution;
    }
    return ExceptionContinueSearch;
}

/* int framed_probe(void): probe_read under framed_handler. */
int framed_probe(void);
__asm__(".text\n"
        ".globl framed_probe\n"
        ".def framed_probe; .scl 2; .type 32; .endef\n"
        ".seh_proc framed_probe\n"
        "framed_probe:\n"
        "    subq $40, %rsp\n"
        "    .seh_stackalloc 40\n"
        "    .seh_endprologue\n"
        "    .seh_handler framed_handler, @except\n"
        "    callq probe_read\n"
        "    nop\n"
        "    addq $40, %rsp\n"
        "    ret\n"
        ".seh_endproc\n");

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)instance;
    if (reason == DLL_PROCESS_DETACH && reserved == NULL) {
        void *handler = AddVectoredExceptionHandler(0, skip_probe);
        if (handler != NULL) {
            (void)probe_read();
            RemoveVectoredExceptionHandler(handler);
        }
        (void)framed_probe();
    }
    return TRUE;
}
