/* fake_session.c: the recording IMAPISession (see fake_session.h). */
#include <stdlib.h>

#include <mapicode.h>

#include "fake_iids.h"
#include "fake_record.h"
#include "fake_session.h"

struct fake_session {
    IMAPISession iface;
    volatile LONG refs;
};

static struct fake_session *impl_from_iface(IMAPISession *iface)
{
    return CONTAINING_RECORD(iface, struct fake_session, iface);
}

static HRESULT record(const char *method, HRESULT hr)
{
    return fake_record_call(EVENT_SESSION_CALL, method, hr);
}

static HRESULT STDMETHODCALLTYPE fake_session_QueryInterface(IMAPISession *iface, REFIID riid,
                                                             void **ppv)
{
    HRESULT hr;

    if (ppv == NULL) {
        return fake_record_qi("session", riid, E_POINTER);
    }
    *ppv = NULL;
    if (riid == NULL || IsBadReadPtr(riid, sizeof *riid)) {
        return fake_record_qi("session", riid, E_INVALIDARG);
    }
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_IMAPISession)) {
        hr = fake_record_qi("session", riid, S_OK);
        *ppv = iface;
        iface->lpVtbl->AddRef(iface);
        return hr;
    }
    return fake_record_qi("session", riid, E_NOINTERFACE);
}

static ULONG STDMETHODCALLTYPE fake_session_AddRef(IMAPISession *iface)
{
    return fake_record_ref(
        EVENT_ADDREF, "session", InterlockedIncrement(&impl_from_iface(iface)->refs));
}

static ULONG STDMETHODCALLTYPE fake_session_Release(IMAPISession *iface)
{
    /* Never freed here: see Lifetime in fake_session.h. */
    return fake_record_ref(
        EVENT_RELEASE, "session", InterlockedDecrement(&impl_from_iface(iface)->refs));
}

static HRESULT STDMETHODCALLTYPE fake_session_GetLastError(IMAPISession *iface, HRESULT hResult,
                                                           ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    (void)iface;
    (void)hResult;
    (void)ulFlags;
    fake_clear_out(lppMAPIError);
    return record("GetLastError", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_GetMsgStoresTable(IMAPISession *iface, ULONG ulFlags,
                                                                LPMAPITABLE *lppTable)
{
    (void)iface;
    (void)ulFlags;
    fake_clear_out(lppTable);
    return record("GetMsgStoresTable", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenMsgStore(IMAPISession *iface, ULONG_PTR ulUIParam,
                                                           ULONG cbEntryID, LPENTRYID lpEntryID,
                                                           LPCIID lpInterface, ULONG ulFlags,
                                                           LPMDB *lppMDB)
{
    (void)iface;
    (void)ulUIParam;
    (void)cbEntryID;
    (void)lpEntryID;
    (void)lpInterface;
    (void)ulFlags;
    fake_clear_out(lppMDB);
    return record("OpenMsgStore", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenAddressBook(IMAPISession *iface,
                                                              ULONG_PTR ulUIParam,
                                                              LPCIID lpInterface, ULONG ulFlags,
                                                              LPADRBOOK *lppAdrBook)
{
    (void)iface;
    (void)ulUIParam;
    (void)lpInterface;
    (void)ulFlags;
    fake_clear_out(lppAdrBook);
    return record("OpenAddressBook", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenProfileSection(IMAPISession *iface,
                                                                 LPMAPIUID lpUID,
                                                                 LPCIID lpInterface, ULONG ulFlags,
                                                                 LPPROFSECT *lppProfSect)
{
    (void)iface;
    (void)lpUID;
    (void)lpInterface;
    (void)ulFlags;
    fake_clear_out(lppProfSect);
    return record("OpenProfileSection", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_GetStatusTable(IMAPISession *iface, ULONG ulFlags,
                                                             LPMAPITABLE *lppTable)
{
    (void)iface;
    (void)ulFlags;
    fake_clear_out(lppTable);
    return record("GetStatusTable", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenEntry(IMAPISession *iface, ULONG cbEntryID,
                                                        LPENTRYID lpEntryID, LPCIID lpInterface,
                                                        ULONG ulFlags, ULONG *lpulObjType,
                                                        LPUNKNOWN *lppUnk)
{
    (void)iface;
    (void)cbEntryID;
    (void)lpEntryID;
    (void)lpInterface;
    (void)ulFlags;
    (void)lpulObjType;
    fake_clear_out(lppUnk);
    return record("OpenEntry", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_CompareEntryIDs(IMAPISession *iface, ULONG cbEntryID1,
                                                              LPENTRYID lpEntryID1,
                                                              ULONG cbEntryID2,
                                                              LPENTRYID lpEntryID2, ULONG ulFlags,
                                                              ULONG *lpulResult)
{
    (void)iface;
    (void)cbEntryID1;
    (void)lpEntryID1;
    (void)cbEntryID2;
    (void)lpEntryID2;
    (void)ulFlags;
    (void)lpulResult;
    return record("CompareEntryIDs", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_Advise(IMAPISession *iface, ULONG cbEntryID,
                                                     LPENTRYID lpEntryID, ULONG ulEventMask,
                                                     LPMAPIADVISESINK lpAdviseSink,
                                                     ULONG *lpulConnection)
{
    (void)iface;
    (void)cbEntryID;
    (void)lpEntryID;
    (void)ulEventMask;
    (void)lpAdviseSink;
    (void)lpulConnection;
    return record("Advise", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_Unadvise(IMAPISession *iface, ULONG ulConnection)
{
    (void)iface;
    (void)ulConnection;
    return record("Unadvise", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_MessageOptions(IMAPISession *iface,
                                                             ULONG_PTR ulUIParam, ULONG ulFlags,
                                                             LPTSTR lpszAdrType,
                                                             LPMESSAGE lpMessage)
{
    (void)iface;
    (void)ulUIParam;
    (void)ulFlags;
    (void)lpszAdrType;
    (void)lpMessage;
    return record("MessageOptions", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_QueryDefaultMessageOpt(IMAPISession *iface,
                                                                     LPTSTR lpszAdrType,
                                                                     ULONG ulFlags,
                                                                     ULONG *lpcValues,
                                                                     LPSPropValue *lppOptions)
{
    (void)iface;
    (void)lpszAdrType;
    (void)ulFlags;
    (void)lpcValues;
    fake_clear_out(lppOptions);
    return record("QueryDefaultMessageOpt", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_EnumAdrTypes(IMAPISession *iface, ULONG ulFlags,
                                                           ULONG *lpcAdrTypes,
                                                           LPTSTR **lpppszAdrTypes)
{
    (void)iface;
    (void)ulFlags;
    (void)lpcAdrTypes;
    fake_clear_out(lpppszAdrTypes);
    return record("EnumAdrTypes", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_QueryIdentity(IMAPISession *iface, ULONG *lpcbEntryID,
                                                            LPENTRYID *lppEntryID)
{
    (void)iface;
    (void)lpcbEntryID;
    fake_clear_out(lppEntryID);
    return record("QueryIdentity", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_Logoff(IMAPISession *iface, ULONG_PTR ulUIParam,
                                                     ULONG ulFlags, ULONG ulReserved)
{
    (void)iface;
    (void)ulUIParam;
    (void)ulFlags;
    (void)ulReserved;
    return record("Logoff", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_SetDefaultStore(IMAPISession *iface, ULONG ulFlags,
                                                              ULONG cbEntryID, LPENTRYID lpEntryID)
{
    (void)iface;
    (void)ulFlags;
    (void)cbEntryID;
    (void)lpEntryID;
    return record("SetDefaultStore", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_AdminServices(IMAPISession *iface, ULONG ulFlags,
                                                            LPSERVICEADMIN *lppServiceAdmin)
{
    (void)iface;
    (void)ulFlags;
    fake_clear_out(lppServiceAdmin);
    return record("AdminServices", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_ShowForm(
    IMAPISession *iface, ULONG_PTR ulUIParam, LPMDB lpMsgStore, LPMAPIFOLDER lpParentFolder,
    LPCIID lpInterface, ULONG ulMessageToken, LPMESSAGE lpMessageSent, ULONG ulFlags,
    ULONG ulMessageStatus, ULONG ulMessageFlags, ULONG ulAccess, LPSTR lpszMessageClass)
{
    (void)iface;
    (void)ulUIParam;
    (void)lpMsgStore;
    (void)lpParentFolder;
    (void)lpInterface;
    (void)ulMessageToken;
    (void)lpMessageSent;
    (void)ulFlags;
    (void)ulMessageStatus;
    (void)ulMessageFlags;
    (void)ulAccess;
    (void)lpszMessageClass;
    return record("ShowForm", MAPI_E_NO_SUPPORT);
}

static HRESULT STDMETHODCALLTYPE fake_session_PrepareForm(IMAPISession *iface, LPCIID lpInterface,
                                                          LPMESSAGE lpMessage,
                                                          ULONG *lpulMessageToken)
{
    (void)iface;
    (void)lpInterface;
    (void)lpMessage;
    (void)lpulMessageToken;
    return record("PrepareForm", MAPI_E_NO_SUPPORT);
}

/* In the order of MAPI_IUNKNOWN_METHODS and MAPI_IMAPISESSION_METHODS (mapix.h). */
static const IMAPISessionVtbl fake_session_vtbl = {
    fake_session_QueryInterface,
    fake_session_AddRef,
    fake_session_Release,
    fake_session_GetLastError,
    fake_session_GetMsgStoresTable,
    fake_session_OpenMsgStore,
    fake_session_OpenAddressBook,
    fake_session_OpenProfileSection,
    fake_session_GetStatusTable,
    fake_session_OpenEntry,
    fake_session_CompareEntryIDs,
    fake_session_Advise,
    fake_session_Unadvise,
    fake_session_MessageOptions,
    fake_session_QueryDefaultMessageOpt,
    fake_session_EnumAdrTypes,
    fake_session_QueryIdentity,
    fake_session_Logoff,
    fake_session_SetDefaultStore,
    fake_session_AdminServices,
    fake_session_ShowForm,
    fake_session_PrepareForm,
};

HRESULT fake_session_create(IMAPISession **out)
{
    struct fake_session *session;

    if (out == NULL) {
        return E_POINTER;
    }
    *out = NULL;
    session = calloc(1, sizeof *session);
    if (session == NULL) {
        return E_OUTOFMEMORY;
    }
    session->iface.lpVtbl = (IMAPISessionVtbl *)&fake_session_vtbl;
    session->refs = 1;
    *out = &session->iface;
    return S_OK;
}

void fake_session_destroy(IMAPISession *session)
{
    if (session != NULL) {
        free(impl_from_iface(session));
    }
}

LONG fake_session_refs(IMAPISession *session)
{
    return InterlockedCompareExchange(&impl_from_iface(session)->refs, 0, 0);
}
