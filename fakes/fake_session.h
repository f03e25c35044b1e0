/*
 * fake_session.h: the IMAPISession the host passes as MAPISIB.psesSync
 * (mapix.h; every slot of MAPI_IMAPISESSION_METHODS is present, in order).
 *
 * The Outlook reference says only that psesSync is "the MAPI session"; what a
 * provider may do with it during a background sync is not documented, so
 * every method is recorded (EVENT_SESSION_CALL, text = "METHOD ARGS", hr =
 * the answer, index = the call's number) and counted, and a few answer as
 * MAPI would:
 *   GetLastError        S_OK, *lppMAPIError = NULL (no extended information)
 *   OpenProfileSection  S_OK with the store's profile section (set with
 *                       fake_session_set_profsect; MAPI_E_NOT_FOUND without)
 *   Advise, Unadvise    S_OK, a nonzero connection; the sink is not called
 * The rest answer MAPI_E_NO_SUPPORT, with [out] object pointers set to NULL.
 * Any method answers its injected fault instead when host.faults names it
 * (IMAPISession::METHOD; fake_faults.h). A provider that needs the session
 * to sync shows up in the trace and, through faults-survived, must cope
 * with a refusal.
 *
 * QueryInterface answers IID_IUnknown and IID_IMAPISession (EVENT_QI, text
 * "session {iid}"); AddRef/Release are recorded with text "session", value =
 * the count after.
 *
 * Lifetime: as for the callback (fake_callback.h). Created with one
 * reference, the host's; Release never frees; fake_session_destroy frees it
 * once no provider thread can call any more.
 *
 * Threading: methods may be called concurrently from any thread; create and
 * destroy are the host's. Win32 only.
 */
#ifndef SYNCHOST_FAKE_SESSION_H
#define SYNCHOST_FAKE_SESSION_H

#include <windows.h>
#include <mapix.h>

/* S_OK, E_POINTER for a NULL out, E_OUTOFMEMORY (*out = NULL). Records
 * nothing. */
HRESULT fake_session_create(IMAPISession **out);

/* Frees it whatever its count; NULL is ignored. */
void fake_session_destroy(IMAPISession *session);

/* The profile section OpenProfileSection hands out (not owned; NULL: none). */
void fake_session_set_profsect(IMAPISession *session, IProfSect *ps);

/* The current reference count (1 = only the host's). */
LONG fake_session_refs(IMAPISession *session);

#endif /* SYNCHOST_FAKE_SESSION_H */
