/*
 * fake_profsect.h: the profile section IMAPISupport::OpenProfileSection hands
 * to the provider (IProfSect, which is the IMAPIProp vtable; mapidefs.h).
 *
 * It holds one property: PR_DISPLAY_NAME = FAKE_PROFSECT_DISPLAY_NAME.
 *   GetProps  PR_DISPLAY_NAME_A / _W by the tag's type (PT_UNSPECIFIED and a
 *             NULL tag array: PT_UNICODE with MAPI_UNICODE in ulFlags, else
 *             PT_STRING8); any other tag comes back PT_ERROR with
 *             MAPI_E_NOT_FOUND and the call answers MAPI_W_ERRORS_RETURNED.
 *             The array is one MAPIAllocateBuffer (fake_alloc.h) with the
 *             strings in MAPIAllocateMore children: the provider frees it with
 *             MAPIFreeBuffer, and leak-mapi-buffers sees it if it does not.
 *             MAPI_E_INVALID_PARAMETER for NULL out pointers, an unreadable
 *             tag array or zero tags; MAPI_E_NOT_ENOUGH_MEMORY when the
 *             allocator fails (fake_alloc_fail_from).
 *   others    MAPI_E_NO_SUPPORT, [out] pointers set to NULL.
 * Every method is recorded as EVENT_SUPPORT_CALL, text "profsect METHOD", hr =
 * the answer; QueryInterface (IUnknown, IMAPIProp, IProfSect) as EVENT_QI
 * "profsect {iid}"; AddRef/Release as text "profsect", value = count after.
 *
 * Lifetime: created with zero references; whoever hands it out AddRefs it
 * (fake_support does, once per OpenProfileSection). Release never frees it:
 * the owner (fake_support) calls fake_profsect_destroy when no provider
 * thread can call any more, so over-release is recorded, not a crash.
 *
 * Threading: methods may be called from any thread concurrently. Win32 only.
 */
#ifndef SYNCHOST_FAKE_PROFSECT_H
#define SYNCHOST_FAKE_PROFSECT_H

#include <windows.h>
#include <mapidefs.h>

#define FAKE_PROFSECT_DISPLAY_NAME "synchost store"

/* S_OK, E_POINTER for a NULL out, E_OUTOFMEMORY (*out = NULL). Records
 * nothing. */
HRESULT fake_profsect_create(IProfSect **out);

/* Frees it whatever its count; NULL is ignored. */
void fake_profsect_destroy(IProfSect *ps);

/* The current reference count. */
LONG fake_profsect_refs(IProfSect *ps);

#endif /* SYNCHOST_FAKE_PROFSECT_H */
