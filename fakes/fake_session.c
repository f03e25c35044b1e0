/* fake_session.c: the recording IMAPISession (see fake_session.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <mapicode.h>

#include "fake_iids.h"
#include "fake_object.h"
#include "fake_record.h"
#include "fake_session.h"

#define KIND EVENT_SESSION_CALL

struct fake_session {
    IMAPISession iface;
    struct fake_object obj;
    volatile LONG next_connection;
    IProfSect *profsect; /* what OpenProfileSection hands out, or NULL */
};

static const IID *const session_iids[] = {&IID_IMAPISession, NULL};

static struct fake_session *impl_from_iface(IMAPISession *iface)
{
    return CONTAINING_RECORD(iface, struct fake_session, iface);
}

static HRESULT no_support(enum fault_service service, const char *method, void *out)
{
    return fake_record_unsupported(KIND, service, method, out);
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

/* No extended error information: S_OK with *lppMAPIError = NULL. */
static HRESULT STDMETHODCALLTYPE fake_session_GetLastError(IMAPISession *iface, HRESULT hResult,
                                                           ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SES_GET_LAST_ERROR);
    HRESULT hr = c.fault;

    (void)iface;
    if (hr == S_OK && lppMAPIError == NULL) {
        hr = MAPI_E_INVALID_PARAMETER;
    }
    fake_clear_out(lppMAPIError);
    return fake_record_service(KIND, &c, "GetLastError", hr, 0, 0, "hResult=0x%08lx flags=0x%lx",
                               (unsigned long)hResult, (unsigned long)ulFlags);
}

/* The same profile section the support object hands out (the store's own
 * section; the UID is recorded, not looked up). */
static HRESULT STDMETHODCALLTYPE fake_session_OpenProfileSection(IMAPISession *iface,
                                                                 LPMAPIUID lpUID,
                                                                 LPCIID lpInterface, ULONG ulFlags,
                                                                 LPPROFSECT *lppProfSect)
{
    struct fake_session *session = impl_from_iface(iface);
    struct fake_call c = fake_fault_begin(FAULT_SVC_SES_OPEN_PROFILE_SECTION);
    HRESULT hr = c.fault;

    (void)lpInterface;
    if (hr == S_OK && lppProfSect == NULL) {
        hr = MAPI_E_INVALID_PARAMETER;
    } else if (hr == S_OK && session->profsect == NULL) {
        hr = MAPI_E_NOT_FOUND;
    }
    fake_clear_out(lppProfSect);
    fake_record_service(KIND, &c, "OpenProfileSection", hr, 0, 0, "uid=%s flags=0x%lx",
                        lpUID != NULL ? "set" : "null", (unsigned long)ulFlags);
    if (hr == S_OK) {
        *lppProfSect = session->profsect;
        session->profsect->lpVtbl->AddRef(session->profsect);
    }
    return hr;
}

/* A connection number; the sink is neither kept nor called. */
static HRESULT STDMETHODCALLTYPE fake_session_Advise(IMAPISession *iface, ULONG cbEntryID,
                                                     LPENTRYID lpEntryID, ULONG ulEventMask,
                                                     LPMAPIADVISESINK lpAdviseSink,
                                                     ULONG *lpulConnection)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SES_ADVISE);
    HRESULT hr = c.fault;
    ULONG conn = 0;

    (void)lpEntryID;
    if (hr == S_OK && (lpAdviseSink == NULL || lpulConnection == NULL)) {
        hr = MAPI_E_INVALID_PARAMETER;
    }
    if (hr == S_OK) {
        conn = (ULONG)InterlockedIncrement(&impl_from_iface(iface)->next_connection);
    }
    if (lpulConnection != NULL) {
        *lpulConnection = conn;
    }
    return fake_record_service(
        KIND, &c, "Advise", hr, 0, conn, "entryid_size=%lu mask=0x%lx connection=%lu",
        (unsigned long)cbEntryID, (unsigned long)ulEventMask, (unsigned long)conn);
}

static HRESULT STDMETHODCALLTYPE fake_session_Unadvise(IMAPISession *iface, ULONG ulConnection)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SES_UNADVISE);

    (void)iface;
    return fake_record_service(KIND, &c, "Unadvise", c.fault, 0, ulConnection, "connection=%lu",
                               (unsigned long)ulConnection);
}

/* Every other method is a stub that ignores its arguments. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

static HRESULT STDMETHODCALLTYPE fake_session_GetMsgStoresTable(IMAPISession *iface, ULONG ulFlags,
                                                                LPMAPITABLE *lppTable)
{
    return no_support(FAULT_SVC_SES_GET_MSG_STORES_TABLE, "GetMsgStoresTable", lppTable);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenMsgStore(IMAPISession *iface, ULONG_PTR ulUIParam,
                                                           ULONG cbEntryID, LPENTRYID lpEntryID,
                                                           LPCIID lpInterface, ULONG ulFlags,
                                                           LPMDB *lppMDB)
{
    return no_support(FAULT_SVC_SES_OPEN_MSG_STORE, "OpenMsgStore", lppMDB);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenAddressBook(IMAPISession *iface,
                                                              ULONG_PTR ulUIParam,
                                                              LPCIID lpInterface, ULONG ulFlags,
                                                              LPADRBOOK *lppAdrBook)
{
    return no_support(FAULT_SVC_SES_OPEN_ADDRESS_BOOK, "OpenAddressBook", lppAdrBook);
}

static HRESULT STDMETHODCALLTYPE fake_session_GetStatusTable(IMAPISession *iface, ULONG ulFlags,
                                                             LPMAPITABLE *lppTable)
{
    return no_support(FAULT_SVC_SES_GET_STATUS_TABLE, "GetStatusTable", lppTable);
}

static HRESULT STDMETHODCALLTYPE fake_session_OpenEntry(IMAPISession *iface, ULONG cbEntryID,
                                                        LPENTRYID lpEntryID, LPCIID lpInterface,
                                                        ULONG ulFlags, ULONG *lpulObjType,
                                                        LPUNKNOWN *lppUnk)
{
    return no_support(FAULT_SVC_SES_OPEN_ENTRY, "OpenEntry", lppUnk);
}

static HRESULT STDMETHODCALLTYPE fake_session_CompareEntryIDs(IMAPISession *iface, ULONG cbEntryID1,
                                                              LPENTRYID lpEntryID1,
                                                              ULONG cbEntryID2,
                                                              LPENTRYID lpEntryID2, ULONG ulFlags,
                                                              ULONG *lpulResult)
{
    return no_support(FAULT_SVC_SES_COMPARE_ENTRY_IDS, "CompareEntryIDs", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_MessageOptions(IMAPISession *iface,
                                                             ULONG_PTR ulUIParam, ULONG ulFlags,
                                                             LPTSTR lpszAdrType,
                                                             LPMESSAGE lpMessage)
{
    return no_support(FAULT_SVC_SES_MESSAGE_OPTIONS, "MessageOptions", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_QueryDefaultMessageOpt(IMAPISession *iface,
                                                                     LPTSTR lpszAdrType,
                                                                     ULONG ulFlags,
                                                                     ULONG *lpcValues,
                                                                     LPSPropValue *lppOptions)
{
    return no_support(FAULT_SVC_SES_QUERY_DEFAULT_MESSAGE_OPT, "QueryDefaultMessageOpt",
                      lppOptions);
}

static HRESULT STDMETHODCALLTYPE fake_session_EnumAdrTypes(IMAPISession *iface, ULONG ulFlags,
                                                           ULONG *lpcAdrTypes,
                                                           LPTSTR **lpppszAdrTypes)
{
    return no_support(FAULT_SVC_SES_ENUM_ADR_TYPES, "EnumAdrTypes", lpppszAdrTypes);
}

static HRESULT STDMETHODCALLTYPE fake_session_QueryIdentity(IMAPISession *iface, ULONG *lpcbEntryID,
                                                            LPENTRYID *lppEntryID)
{
    return no_support(FAULT_SVC_SES_QUERY_IDENTITY, "QueryIdentity", lppEntryID);
}

static HRESULT STDMETHODCALLTYPE fake_session_Logoff(IMAPISession *iface, ULONG_PTR ulUIParam,
                                                     ULONG ulFlags, ULONG ulReserved)
{
    return no_support(FAULT_SVC_SES_LOGOFF, "Logoff", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_SetDefaultStore(IMAPISession *iface, ULONG ulFlags,
                                                              ULONG cbEntryID, LPENTRYID lpEntryID)
{
    return no_support(FAULT_SVC_SES_SET_DEFAULT_STORE, "SetDefaultStore", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_AdminServices(IMAPISession *iface, ULONG ulFlags,
                                                            LPSERVICEADMIN *lppServiceAdmin)
{
    return no_support(FAULT_SVC_SES_ADMIN_SERVICES, "AdminServices", lppServiceAdmin);
}

static HRESULT STDMETHODCALLTYPE fake_session_ShowForm(
    IMAPISession *iface, ULONG_PTR ulUIParam, LPMDB lpMsgStore, LPMAPIFOLDER lpParentFolder,
    LPCIID lpInterface, ULONG ulMessageToken, LPMESSAGE lpMessageSent, ULONG ulFlags,
    ULONG ulMessageStatus, ULONG ulMessageFlags, ULONG ulAccess, LPSTR lpszMessageClass)
{
    return no_support(FAULT_SVC_SES_SHOW_FORM, "ShowForm", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_session_PrepareForm(IMAPISession *iface, LPCIID lpInterface,
                                                          LPMESSAGE lpMessage,
                                                          ULONG *lpulMessageToken)
{
    return no_support(FAULT_SVC_SES_PREPARE_FORM, "PrepareForm", NULL);
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
    return fake_object_create(sizeof(struct fake_session), offsetof(struct fake_session, obj),
                              &fake_session_vtbl, "session", session_iids, 1, (void **)out);
}

void fake_session_destroy(IMAPISession *session)
{
    if (session != NULL) {
        free(impl_from_iface(session));
    }
}

void fake_session_set_profsect(IMAPISession *session, IProfSect *ps)
{
    impl_from_iface(session)->profsect = ps;
}

LONG fake_session_refs(IMAPISession *session)
{
    return fake_object_refs(&impl_from_iface(session)->obj);
}
