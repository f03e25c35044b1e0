/*
 * fake_profsect.h: the profile section IMAPISupport::OpenProfileSection hands
 * to the provider (IProfSect, which is the IMAPIProp vtable; mapidefs.h).
 *
 * It holds the scenario's properties (provider.profile, set with
 * fake_profsect_set), by default one: PR_DISPLAY_NAME =
 * FAKE_PROFSECT_DISPLAY_NAME.
 *   GetProps     each property asked for in its type; a string in the string
 *                type asked (PT_UNSPECIFIED and a NULL tag array: PT_UNICODE
 *                with MAPI_UNICODE in ulFlags, else PT_STRING8); any other
 *                tag comes back PT_ERROR with MAPI_E_NOT_FOUND and the call
 *                answers MAPI_W_ERRORS_RETURNED. The array is one
 *                MAPIAllocateBuffer (fake_alloc_host) with strings and binary
 *                values in MAPIAllocateMore children: the provider frees it
 *                with MAPIFreeBuffer, and leak-mapi-buffers sees it if it
 *                does not. MAPI_E_INVALID_PARAMETER for NULL out pointers, an
 *                unreadable tag array or zero tags; MAPI_E_NOT_ENOUGH_MEMORY
 *                when the allocator fails.
 *   GetPropList  the tags held, in one MAPI buffer.
 *   SetProps, SaveChanges
 *                S_OK, recorded; the answers stay the scenario's.
 *   others       MAPI_E_NO_SUPPORT, [out] pointers set to NULL.
 * Any method answers its injected fault instead when host.faults names it
 * (IProfSect::METHOD; fake_faults.h). Every method is recorded as
 * EVENT_SUPPORT_CALL, text "profsect METHOD ARGS", hr = the answer, index =
 * the call's number; QueryInterface (IUnknown, IMAPIProp, IProfSect) as
 * EVENT_QI "profsect {iid}"; AddRef/Release as text "profsect", value =
 * count after.
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

#include "scenario/profile.h"

#define FAKE_PROFSECT_DISPLAY_NAME "synchost store"

/* S_OK, E_POINTER for a NULL out, E_OUTOFMEMORY (*out = NULL). Records
 * nothing. */
HRESULT fake_profsect_create(IProfSect **out);

/* Replaces its properties with the n at props (at most PROFILE_MAX_PROPS;
 * 0: none). The host's, before the provider sees the section. */
void fake_profsect_set(IProfSect *ps, const struct profile_prop *props, size_t n);

/* Frees it whatever its count; NULL is ignored. */
void fake_profsect_destroy(IProfSect *ps);

/* The current reference count. */
LONG fake_profsect_refs(IProfSect *ps);

#endif /* SYNCHOST_FAKE_PROFSECT_H */
