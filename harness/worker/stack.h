/*
 * stack.h: stacks of the worker's threads, for crash and timeout reports.
 * Win32, x64 and x86.
 *
 * A stack is walked from a register context (the exception's, or a
 * suspended thread's): on x64 with the modules' unwind data (.pdata,
 * through RtlVirtualUnwind), on x86 (no unwind data) by scanning the stack
 * for return addresses (stack.c says how), at most STACK_MAX_FRAMES frames, reading the walked
 * thread's stack only between the bounds given. The walk runs on the
 * caller's own stack, never on the walked thread's (which may have none
 * left: a stack overflow).
 *
 * Nothing here takes a lock that another thread may hold: no heap, no
 * loader lock (modules are found with VirtualQuery and read in memory, not
 * through GetModuleHandleEx or RtlLookupFunctionEntry, which may take it),
 * no C runtime call but snprintf (warm it up on the reporting thread first:
 * stack_prepare_thread). A read that faults anyway (a stack or a module
 * mapping the provider corrupted) ends the walk or the description where it
 * is: stack_guard_hook, called first in the process's vectored exception
 * handler, resumes the guarded call as failed.
 *
 * Symbols: each frame is named "module+0xOFFSET"; where the module has a
 * COFF symbol table (mingw's DLLs and EXEs unless stripped) or exports, the
 * nearest preceding function symbol or exported name is added:
 * "module+0x1a2b (sync_crash+0x12)". An export-only name can be far from
 * the real function (the usual caveat: a large offset means "somewhere
 * after this export").
 */
#ifndef SYNCHOST_STACK_H
#define SYNCHOST_STACK_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>

#include "protocol/event.h"

#define STACK_MAX_FRAMES 32

/* The instruction and stack pointers of a CONTEXT, on either architecture. */
#ifdef _WIN64
#define STACK_CTX_PC(c) ((c)->Rip)
#define STACK_CTX_SP(c) ((c)->Rsp)
#else
#define STACK_CTX_PC(c) ((c)->Eip)
#define STACK_CTX_SP(c) ((c)->Esp)
#endif

/* Longest frame description, NUL included. */
#define STACK_DESCRIBE_MAX 320

struct stack_frame {
    uint64_t pc; /* the instruction (frame 0) or the return address */
    uint64_t sp; /* the stack pointer in that frame */
};

/* The part of a thread's stack a walk may read: [low, high). */
struct stack_bounds {
    uint64_t low, high;
};

/* Resolves what the walker needs from ntdll, and prepares the calling
 * thread to describe frames later without allocating (the C runtime's
 * per-thread data is created by a first snprintf). Call at start-up, and
 * first thing on every thread that will walk or describe. */
void stack_prepare_thread(void);

/* The calling thread's registers, as in the function that calls this, as
 * they will be once it has returned. x86's RtlCaptureContext takes its
 * caller's caller's (through a frame pointer): on x86 this is an assembly
 * function of stack.c that takes its caller's, eax 0. */
#ifdef _WIN64
#define stack_capture RtlCaptureContext
#else
void stack_capture(CONTEXT *ctx) __attribute__((returns_twice));
#endif

/* The current thread's stack bounds: its whole reservation. */
struct stack_bounds stack_bounds_current(void);

/* Walks from ctx (not modified) and fills out[0..max). Returns the number
 * of frames, at least 1 when ctx has an instruction pointer. */
size_t stack_walk(const CONTEXT *ctx, struct stack_bounds bounds, struct stack_frame *out,
                  size_t max);

/* stack_describe's flags. */
#define STACK_CALLER    1u /* pc is a return address (named by the call before it) */
#define STACK_NO_SYMBOL 2u /* "module+0xOFFSET" only */

/* "module+0xOFFSET (symbol+0xNN)" for pc, or "0x..." outside any module. */
void stack_describe(uint64_t pc, unsigned flags, char *out, size_t cap);

/* Emits one `frame` event per frame of thread tid, through emit
 * (recorder_emit, or recorder_emit_final in a crash): index = frame number,
 * handle = pc, value = sp, text = stack_describe. */
void stack_emit(uint32_t tid, const struct stack_frame *frames, size_t n,
                uint32_t (*emit)(struct event *ev));

/* For the vectored exception handler, before anything else: a fault on a
 * thread inside stack_walk or stack_describe resumes that call as failed.
 * Returns EXCEPTION_CONTINUE_EXECUTION then, else EXCEPTION_CONTINUE_SEARCH. */
LONG stack_guard_hook(EXCEPTION_POINTERS *info);

/* Every thread of the process but the caller: each is suspended in turn,
 * its context taken and its stack walked, then resumed; then each stack is
 * emitted as `frame` events through recorder_emit, and a `stacks` event
 * ends the dump (value = threads walked, text = why). Called when the host
 * gives up waiting (a deadline), never on a crash. */
void stack_dump_all(const char *why);

/* Of the threads ids[0..n), the ones running code of the image at
 * [base, base + size): each is suspended in turn, its stack walked and the
 * thread resumed; a thread with a frame inside the image is kept. The kept
 * threads' stacks are emitted as `frame` events, and a `stacks` event ends
 * them (value = threads kept, text = why). Returns how many were kept, and
 * describes the first one's innermost frame inside the image in `first`
 * (cap bytes): "thread 1234 at x.dll+0x1a2b (spin+0x12)". Emits nothing
 * when none is kept. */
size_t stack_emit_in_image(const DWORD *ids, size_t n, const void *base, size_t size,
                           const char *why, char *first, size_t cap);

#endif /* SYNCHOST_STACK_H */
