/*
 * callconv.c: calls with the callee's calling convention checked
 * (callconv.h).
 */
#include "callconv.h"

#ifdef _WIN64

typedef ULONG_PTR(WINAPI *call9)(ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR,
                                 ULONG_PTR, ULONG_PTR, ULONG_PTR);

/* x64 passes the first four words in registers and the rest on the stack,
 * which the caller owns: a callee given more words than it takes never
 * sees the others. */
ULONG_PTR callconv_call(enum callconv conv, const void *fn, const ULONG_PTR *args, unsigned n,
                        LONG *off)
{
    ULONG_PTR a[CALLCONV_ARGS_MAX] = {0};

    (void)conv;
    for (unsigned i = 0; i < n && i < CALLCONV_ARGS_MAX; i++) {
        a[i] = args[i];
    }
    *off = 0;
    return ((call9)(ULONG_PTR)fn)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
}

#else

/* ULONG_PTR callconv_raw(const void *fn, const ULONG_PTR *args, unsigned n,
 * LONG *popped): pushes the n words (the last first), calls fn, and stores
 * how many bytes the callee popped. The frame pointer puts the stack back
 * whatever the callee did to it; ebx, esi and edi are the callee's to keep
 * (every x86 convention says so). */
ULONG_PTR callconv_raw(const void *fn, const ULONG_PTR *args, unsigned n, LONG *popped);
__asm__(".text\n"
        ".globl _callconv_raw\n"
        ".def _callconv_raw; .scl 2; .type 32; .endef\n"
        "_callconv_raw:\n"
        "    pushl %ebp\n"
        "    movl %esp, %ebp\n"
        "    pushl %esi\n"
        "    pushl %edi\n"
        "    pushl %ebx\n"
        "    movl 12(%ebp), %esi\n"
        "    movl 16(%ebp), %ecx\n"
        "    testl %ecx, %ecx\n"
        "    jz 2f\n"
        "1:  pushl -4(%esi,%ecx,4)\n"
        "    decl %ecx\n"
        "    jnz 1b\n"
        "2:  movl %esp, %ebx\n"
        "    call *8(%ebp)\n"
        "    movl %esp, %ecx\n"
        "    subl %ebx, %ecx\n"
        "    movl 20(%ebp), %edi\n"
        "    movl %ecx, (%edi)\n"
        "    leal -12(%ebp), %esp\n"
        "    popl %ebx\n"
        "    popl %edi\n"
        "    popl %esi\n"
        "    popl %ebp\n"
        "    ret\n");

ULONG_PTR callconv_call(enum callconv conv, const void *fn, const ULONG_PTR *args, unsigned n,
                        LONG *off)
{
    LONG popped = 0;
    ULONG_PTR ret;

    if (n > CALLCONV_ARGS_MAX) {
        n = CALLCONV_ARGS_MAX;
    }
    ret = callconv_raw(fn, args, n, &popped);
    *off = popped - (conv == CALLCONV_STDCALL ? (LONG)(n * sizeof(ULONG_PTR)) : 0);
    return ret;
}

#endif
