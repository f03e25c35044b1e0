/*
 * fake_support.h: the IMAPISupport object the host passes to
 * IMSProvider::Logon (mapispi.h; every slot of MAPI_IMAPISUPPORT_METHODS1..3
 * is present and in order).
 *
 * Every method is recorded as EVENT_SUPPORT_CALL, text = the method name and
 * its decoded arguments ("OpenProfileSection uid=null flags=0x0"), hr = the
 * answer, index = the call's number for its service, and counted; any method
 * answers its injected fault instead (" (fault injected)" in the text, step
 * = 1) when host.faults names it (IMAPISupport::METHOD; fake_faults.h).
 * What a store provider calls at Logon is answered as MAPI would:
 *   GetMemAllocRoutines  S_OK with fake_alloc_buffer / fake_alloc_more /
 *                        fake_free_buffer (NULL out pointers are skipped).
 *   OpenProfileSection   S_OK with this object's profile section
 *                        (fake_profsect.h), AddRef'd once per call;
 *                        MAPI_E_INVALID_PARAMETER for a NULL out pointer.
 *   NewUID               S_OK; a deterministic UID: the 8 bytes "synchost",
 *                        4 zero bytes, then a per-object counter (little
 *                        endian) starting at 1, so traces are reproducible;
 *                        MAPI_E_INVALID_PARAMETER for NULL.
 *   SetProviderUID       S_OK (the UID is recorded); invalid-parameter for NULL.
 *   Subscribe            S_OK, *lpulConnection = a nonzero connection number;
 *                        the advise sink is neither kept nor called.
 *   Unsubscribe, Notify, ModifyStatusRow, SpoolerNotify, ModifyProfile
 *                        S_OK (a provider typically calls them in Logon);
 *                        Notify sets *lpulFlags = 0.
 *   GetLastError         S_OK, *lppMAPIError = NULL (no extended information).
 *   MakeInvalid          S_OK; the object is recorded and left alone.
 *   WrapStoreEntryID     S_OK; a new entry ID (20 bytes of the host's, then
 *                        the store's) in a MAPI buffer the provider frees.
 *   everything else      MAPI_E_NO_SUPPORT, [out] object pointers set to NULL.
 * QueryInterface answers IID_IUnknown and IID_IMAPISup (EVENT_QI, text
 * "support {iid}"); AddRef/Release are recorded with text "support", value =
 * the count after.
 *
 * Lifetime: as for the callback (fake_callback.h). Created with one
 * reference, the host's; Release never frees; fake_support_destroy frees the
 * object and its profile section once no provider thread can call any more.
 * A provider that keeps the support object must AddRef it (MSProviderInit /
 * Logon docs), so after Logon the count is expected to be 2 or more, and back
 * to 1 after the provider's Logoff/Release.
 *
 * Threading: methods may be called concurrently from any thread; create and
 * destroy are the host's. Win32 only.
 */
#ifndef SYNCHOST_FAKE_SUPPORT_H
#define SYNCHOST_FAKE_SUPPORT_H

#include <windows.h>
#include <mapispi.h>

/* S_OK, E_POINTER for a NULL out, E_OUTOFMEMORY (*out = NULL). Records
 * nothing. */
HRESULT fake_support_create(IMAPISupport **out);

/* Frees the object and its profile section whatever the counts. NULL is
 * ignored. */
void fake_support_destroy(IMAPISupport *support);

/* The support object's reference count (1 = only the host's). */
LONG fake_support_refs(IMAPISupport *support);

/* The profile section OpenProfileSection hands out (owned by the support
 * object; for inspecting its count). */
IProfSect *fake_support_profsect(IMAPISupport *support);

#endif /* SYNCHOST_FAKE_SUPPORT_H */
