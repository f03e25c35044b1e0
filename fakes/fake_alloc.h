/*
 * fake_alloc.h: the host's MAPI allocators and IMalloc, as MSProviderInit
 * receives them (Outlook MAPI reference: "MAPIAllocateBuffer",
 * "MAPIAllocateMore", "MAPIFreeBuffer", "MSProviderInit").
 *
 * MAPI buffers: every buffer has a header linking AllocateMore children to
 * their root, so that FreeBuffer on the root frees the whole chain, as MAPI
 * does. Every live buffer (root or child) is also in a registry, so that an
 * address the host never gave out, one already freed, or a child passed to
 * FreeBuffer is recognised and recorded without the allocator touching memory
 * it does not own; the call is then ignored (never a crash, never a
 * corrupted heap).
 *
 * Recorded (recorder.h):
 *   EVENT_ALLOC  text "MAPIAllocateBuffer from MODULE+0xOFFSET" (or
 *                "MAPIAllocateMore from ..."): the provider's call site;
 *                "MAPIAllocateBuffer by host for METHOD" for a buffer a host
 *                method allocated for the provider to free (GetProps'
 *                array); " (fault injected)" appended when host.faults made
 *                the call fail. value = the size asked, handle = the address
 *                given (0 on failure), hr = the answer, index = the call's
 *                number for its service (fake_faults.h), step = 1 for an
 *                injected fault.
 *   EVENT_FREE   handle = the address passed, hr = the answer, value = how
 *                many blocks the call freed (the root and its children);
 *                text NULL for a good free, or "MAPIFreeBuffer: unknown
 *                buffer" / "MAPIFreeBuffer: not a root buffer" for a call
 *                that was ignored. FreeBuffer(NULL) is recorded and is fine.
 *
 * Outstanding buffers are the live roots (fake_alloc_outstanding). The
 * judge follows them from the events, per scenario: a root allocated and not
 * freed by the scenario's end is a leak-mapi-buffers violation (rules/services.c).
 *
 * Faults (fake_faults.h): an injected MAPIAllocateBuffer/More fault answers
 * its HRESULT with *lppBuffer = NULL; an injected MAPIFreeBuffer fault
 * answers its HRESULT but frees the buffer all the same (so that the fault
 * does not become a leak the provider is blamed for).
 *
 * IMalloc (fake_malloc.c): a process-wide singleton over a private heap. Its
 * AddRef/Release are recorded (text "malloc", value = count after; it starts
 * at 1, the host's, and is never freed); Alloc, Realloc, Free, GetSize and
 * DidAlloc are recorded as EVENT_SUPPORT_CALL "malloc METHOD ..." (handle =
 * the block, value = the size) and counted. Free, GetSize and DidAlloc of a
 * pointer the heap does not know are ignored / answer -1 / answer 0. A fault
 * makes Alloc and Realloc answer NULL (Realloc leaves the block as it was),
 * GetSize answer -1 and DidAlloc -1.
 *
 * All functions are thread-safe (an SRWLOCK around the registry) and need no
 * initialisation. Buffers are aligned to 16 bytes. Win32 only.
 */
#ifndef SYNCHOST_FAKE_ALLOC_H
#define SYNCHOST_FAKE_ALLOC_H

#include <windows.h>
#include <objbase.h>
#include <mapidefs.h>

/* The three allocators, with the LPALLOCATEBUFFER / LPALLOCATEMORE /
 * LPFREEBUFFER signatures of mapidefs.h.
 *   fake_alloc_buffer: S_OK; MAPI_E_INVALID_PARAMETER for a NULL lppBuffer;
 *     MAPI_E_NOT_ENOUGH_MEMORY when out of memory or scripted to fail
 *     (*lppBuffer = NULL then).
 *   fake_alloc_more: the same, plus MAPI_E_INVALID_PARAMETER when lpObject is
 *     not a live buffer (recorded with text "MAPIAllocateMore: unknown
 *     parent"). A child given as lpObject is accepted and the new buffer
 *     joins the child's root (what a provider that does this expects).
 *   fake_free_buffer: 0 (S_OK) for NULL or a root; MAPI_E_INVALID_PARAMETER
 *     for anything else, which is ignored. */
SCODE STDMETHODCALLTYPE fake_alloc_buffer(ULONG cbSize, LPVOID *lppBuffer);
SCODE STDMETHODCALLTYPE fake_alloc_more(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer);
ULONG STDMETHODCALLTYPE fake_free_buffer(LPVOID lpBuffer);

/* The same allocators for the host's own methods that hand the provider a
 * buffer to free (IProfSect::GetProps, WrapStoreEntryID): recorded with
 * "by host for WHY" (why: static text), not counted as the provider's calls
 * of the service, so host.faults never hits them. */
SCODE fake_alloc_host(ULONG cbSize, const char *why, LPVOID *lppBuffer);
SCODE fake_alloc_more_host(ULONG cbSize, LPVOID lpObject, const char *why, LPVOID *lppBuffer);

/* Live root buffers (MAPIAllocateBuffer not yet freed). */
LONG fake_alloc_outstanding(void);

/* Scripted failure for faults-survived: from the from_call-th allocation on
 * (1-based, counting both MAPIAllocateBuffer and MAPIAllocateMore from this
 * call on), allocations fail with MAPI_E_NOT_ENOUGH_MEMORY. 0 turns it off.
 * The host's, between scenarios. */
void fake_alloc_fail_from(ULONG from_call);

/* The IMalloc for MSProviderInit. The host owns the singleton's first
 * reference; the pointer stays valid for the life of the process. */
IMalloc *fake_malloc_get(void);

/* IMalloc blocks not yet freed, and the IMalloc's reference count. */
LONG fake_malloc_outstanding(void);
LONG fake_malloc_refs(void);

#endif /* SYNCHOST_FAKE_ALLOC_H */
