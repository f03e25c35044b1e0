/*
 * swallow-crash.h: what the two hostile providers that swallow their own
 * crash share: an unhandled-exception filter that steps over the faulting
 * write and lets the thread go on, and the write itself (a real access
 * violation, of a known length, so that the filter can step over it).
 */
#ifndef HOSTILE_SWALLOW_CRASH_H
#define HOSTILE_SWALLOW_CRASH_H

#include <windows.h>

/* The instruction pointer of a CONTEXT, on either architecture. */
#ifdef _WIN64
#define SWALLOW_IP(c) ((c)->Rip)
#else
#define SWALLOW_IP(c) ((c)->Eip)
#endif

/* xor eax, eax (2 bytes); mov dword [rax], 1 (6 bytes: C7 00 01 00 00 00,
 * the same bytes with [eax] on x86). */
#define FAULT_WRITE_LEN 6

static LONG WINAPI swallow_filter(EXCEPTION_POINTERS *info)
{
    const BYTE *at = (const BYTE *)SWALLOW_IP(info->ContextRecord);

    if (info->ExceptionRecord->ExceptionCode != EXCEPTION_ACCESS_VIOLATION || at[0] != 0xC7 ||
        at[1] != 0x00) {
        return EXCEPTION_CONTINUE_SEARCH;
    }
    OutputDebugStringA("swallowed 0xc0000005\n");
    SWALLOW_IP(info->ContextRecord) += FAULT_WRITE_LEN;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static void write_through_null(void)
{
#ifdef _WIN64
    __asm__ volatile("xor %%eax, %%eax\n\t"
                     "movl $1, (%%rax)\n\t" ::: "rax", "memory");
#else
    __asm__ volatile("xor %%eax, %%eax\n\t"
                     "movl $1, (%%eax)\n\t" ::: "eax", "memory");
#endif
}

#endif /* HOSTILE_SWALLOW_CRASH_H */
