/*
 * callconv.h: calls with the callee's calling convention checked (x86).
 * Win32, any thread, no state.
 *
 * On x86 the calling convention says who pops a call's arguments: a
 * __stdcall callee pops them (every COM method, WINAPI), a __cdecl one
 * leaves them to its caller (MSProviderInit, STDMAPIINITCALLTYPE, and
 * XPProviderInit, ABProviderInit: Outlook MAPI reference, "MSProviderInit").
 * A function declared with the other one returns with the stack pointer off
 * by its arguments' size, which a caller with a frame pointer often absorbs
 * silently until something else breaks. callconv_call makes the call from a
 * frame of its own and measures what the callee popped. On x64 there is one
 * convention: the call is a plain one and nothing is ever off.
 */
#ifndef SYNCHOST_CALLCONV_H
#define SYNCHOST_CALLCONV_H

#include <windows.h>

#define CALLCONV_ARGS_MAX 9

enum callconv {
    CALLCONV_CDECL,   /* the caller pops the arguments */
    CALLCONV_STDCALL, /* the callee pops them */
};

/* Calls fn(args[0], ..., args[n - 1]) (n <= CALLCONV_ARGS_MAX, each
 * argument one pointer-sized word) and returns what it returned in its
 * return register (an HRESULT, a ULONG). *off is how many bytes more the
 * callee popped than conv says (negative: fewer), 0 when it used conv. */
ULONG_PTR callconv_call(enum callconv conv, const void *fn, const ULONG_PTR *args, unsigned n,
                        LONG *off);

#endif /* SYNCHOST_CALLCONV_H */
