/* fake_session.c: the recording IMAPISession (see fake_session.h). */
#include <stdlib.h>

#include <mapicode.h>

#include "fake_iids.h"
#include "fake_object.h"
#include "fake_record.h"
#include "fake_session.h"

struct fake_session {
    IMAPISession iface;
    struct fake_object obj;
};

static const IID *const session_iids[] = {&IID_IMAPISession, NULL};

static struct fake_session *impl_from_iface(IMAPISession *iface)
{
    return CONTAINING_RECORD(iface, struct fake_session, iface);
}

static HRESULT no_support(const char *method, void *out)
{
    return fake_record_no_support(EVENT_SESSION_CALL, method, out);
}

static HRESULT STDMETHODCALLTYPE fake_session_QueryInterface(IMAPISession *iface, REFIID riid,
                                                             void **ppv)
{
    return fake_object_query(&impl_from_iface(iface)->obj, (IUnknown *)iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE fake_session_AddRef(IMAPISession *iface)
{
    return fake_object_addref(&impl_from_iface(iface)->obj);
}

static ULONG STDMETHODCALLTYPE fake_session_Release(IMAPISession *iface)
{
    /* Never freed here: see Lifetime in fake_session.h. */
    return fake_object_release(&impl_from_iface(iface)->obj);
}

/* Every other method is a stub that ignores its arguments. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

static HRESULT STDMETHODCALLTYPE fake_session_GetLastError(IMAPISession *iface, HRESULT hResult,
                                                           ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    return no_support("GetLastError", lppMAPIError);
}

static HRESULT STDMETHODCALLTYPE fake_session_GetMsgStoresTable(IMAPISession *iface, ULONG ulFlags,
                                                                LPMAPITABLE *lppTable)
{
    return no_support("GetMsgStoresTable", lppTable);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenMsgStore(IMAPISession *iface, ULONG_PTR ulUIParam,
                                                           ULONG cbEntryID, LPENTRYID lpEntryID,
                                                           LPCIID lpInterface, ULONG ulFlags,
                                                           LPMDB *lppMDB)
{
    return no_support("OpenMsgStore", lppMDB);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenAddressBook(IMAPISession *iface,
                                                              ULONG_PTR ulUIParam,
                                                              LPCIID lpInterface, ULONG ulFlags,
                                                              LPADRBOOK *lppAdrBook)
{
    return no_support("OpenAddressBook", lppAdrBook);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenProfileSection(IMAPISession *iface,
                                                                 LPMAPIUID lpUID,
                                                                 LPCIID lpInterface, ULONG ulFlags,
                                                                 LPPROFSECT *lppProfSect)
{
    return no_support("OpenProfileSection", lppProfSect);
}

static HRESULT STDMETHODCALLTYPE fake_session_GetStatusTable(IMAPISession *iface, ULONG ulFlags,
                                                             LPMAPITABLE *lppTable)
{
    return no_support("GetStatusTable", lppTable);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenEntry(IMAPISession *iface, ULONG cbEntryID,
                                                        LPENTRYID lpEntryID, LPCIID lpInterface,
                                                        ULONG ulFlags, ULONG *lpulObjType,
                                                        LPUNKNOWN *lppUnk)
{
    return no_support("OpenEntry", lppUnk);
}

static HRESULT STDMETHODCALLTYPE fake_session_CompareEntryIDs(IMAPISession *iface, ULONG cbEntryID1,
                                                              LPENTRYID lpEntryID1,
                                                              ULONG cbEntryID2,
                                                              LPENTRYID lpEntryID2, ULONG ulFlags,
                                                              ULONG *lpulResult)
{
    return no_support("CompareEntryIDs", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_Advise(IMAPISession *iface, ULONG cbEntryID,
                                                     LPENTRYID lpEntryID, ULONG ulEventMask,
                                                     LPMAPIADVISESINK lpAdviseSink,
                                                     ULONG *lpulConnection)
{
    return no_support("Advise", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_Unadvise(IMAPISession *iface, ULONG ulConnection)
{
    return no_support("Unadvise", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_MessageOptions(IMAPISession *iface,
                                                             ULONG_PTR ulUIParam, ULONG ulFlags,
                                                             LPTSTR lpszAdrType,
                                                             LPMESSAGE lpMessage)
{
    return no_support("MessageOptions", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_QueryDefaultMessageOpt(IMAPISession *iface,
                                                                     LPTSTR lpszAdrType,
                                                                     ULONG ulFlags,
                                                                     ULONG *lpcValues,
                                                                     LPSPropValue *lppOptions)
{
    return no_support("QueryDefaultMessageOpt", lppOptions);
}

static HRESULT STDMETHODCALLTYPE fake_session_EnumAdrTypes(IMAPISession *iface, ULONG ulFlags,
                                                           ULONG *lpcAdrTypes,
                                                           LPTSTR **lpppszAdrTypes)
{
    return no_support("EnumAdrTypes", lpppszAdrTypes);
}

static HRESULT STDMETHODCALLTYPE fake_session_QueryIdentity(IMAPISession *iface, ULONG *lpcbEntryID,
                                                            LPENTRYID *lppEntryID)
{
    return no_support("QueryIdentity", lppEntryID);
}

static HRESULT STDMETHODCALLTYPE fake_session_Logoff(IMAPISession *iface, ULONG_PTR ulUIParam,
                                                     ULONG ulFlags, ULONG ulReserved)
{
    return no_support("Logoff", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_SetDefaultStore(IMAPISession *iface, ULONG ulFlags,
                                                              ULONG cbEntryID, LPENTRYID lpEntryID)
{
    return no_support("SetDefaultStore", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_AdminServices(IMAPISession *iface, ULONG ulFlags,
                                                            LPSERVICEADMIN *lppServiceAdmin)
{
    return no_support("AdminServices", lppServiceAdmin);
}

static HRESULT STDMETHODCALLTYPE fake_session_ShowForm(
    IMAPISession *iface, ULONG_PTR ulUIParam, LPMDB lpMsgStore, LPMAPIFOLDER lpParentFolder,
    LPCIID lpInterface, ULONG ulMessageToken, LPMESSAGE lpMessageSent, ULONG ulFlags,
    ULONG ulMessageStatus, ULONG ulMessageFlags, ULONG ulAccess, LPSTR lpszMessageClass)
{
    return no_support("ShowForm", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_PrepareForm(IMAPISession *iface, LPCIID lpInterface,
                                                          LPMESSAGE lpMessage,
                                                          ULONG *lpulMessageToken)
{
    return no_support("PrepareForm", NULL);
}

#pragma GCC diagnostic pop

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
    fake_object_init(&session->obj, "session", session_iids, 1);
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
    return fake_object_refs(&impl_from_iface(session)->obj);
}
