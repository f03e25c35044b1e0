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

/* The instruction pointer of a CONTEXT, and a C name as the assembler
 * spells it (i686 puts an underscore in front). */
#ifdef _WIN64
#define CONTEXT_IP(c) ((c)->Rip)
#define ASM_NAME(n)   #n
#else
#define CONTEXT_IP(c) ((c)->Eip)
#define ASM_NAME(n)   "_" #n
#endif

/* int probe_read(void): reads the int at address 0; the fault is at
 * probe_fault, and probe_resume is where a handler goes on (0 is returned). */
int probe_read(void);
extern const char probe_fault[], probe_resume[];
/* clang-format off */
__asm__(".text\n"
        ".globl " ASM_NAME(probe_read) "\n"
        ".def " ASM_NAME(probe_read) "; .scl 2; .type 32; .endef\n"
        ASM_NAME(probe_read) ":\n"
        "    xorl %eax, %eax\n"
        ".globl " ASM_NAME(probe_fault) "\n"
        ASM_NAME(probe_fault) ":\n"
#ifdef _WIN64
        "    movl (%rax), %eax\n"
#else
        "    movl (%eax), %eax\n"
#endif
        ".globl " ASM_NAME(probe_resume) "\n"
        ASM_NAME(probe_resume) ":\n"
        "    ret\n");
/* clang-format on */

static volatile LONG probes_handled;

static LONG WINAPI skip_probe(EXCEPTION_POINTERS *info)
{
    if (info->ExceptionRecord->ExceptionCode == EXCEPTION_ACCESS_VIOLATION &&
        info->ExceptionRecord->ExceptionAddress == (void *)probe_fault) {
        CONTEXT_IP(info->ContextRecord) = (ULONG_PTR)probe_resume;
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
        CONTEXT_IP(ctx) = (ULONG_PTR)probe_resume;
        InterlockedIncrement(&probes_handled);
        return ExceptionContinueExecution;
    }
    return ExceptionContinueSearch;
}

/* int framed_probe(void): probe_read under framed_handler. */
int framed_probe(void);
#ifdef _WIN64
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
#else
/* x86: the handler is an SEH record on the stack, linked at fs:[0]. */
__asm__(".text\n"
        ".globl _framed_probe\n"
        ".def _framed_probe; .scl 2; .type 32; .endef\n"
        "_framed_probe:\n"
        "    pushl $_framed_handler\n"
        "    pushl %fs:0\n"
        "    movl %esp, %fs:0\n"
        "    call _probe_read\n"
        "    popl %ecx\n"
        "    movl %ecx, %fs:0\n"
        "    addl $4, %esp\n"
        "    ret\n");
#endif

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
