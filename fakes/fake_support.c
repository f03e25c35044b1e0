/*
 * fake_support.c: the recording IMAPISupport (see fake_support.h). Method
 * semantics from the Outlook MAPI reference ("IMAPISupport : IUnknown");
 * only what a store provider calls in Logon and sync is answered with
 * success, the rest says MAPI_E_NO_SUPPORT, which real MAPI also answers for
 * support methods that do not apply to a store provider.
 */
#include <stdlib.h>
#include <string.h>

#include <mapicode.h>

#include "fake_alloc.h"
#include "fake_iids.h"
#include "fake_object.h"
#include "fake_profsect.h"
#include "fake_record.h"
#include "fake_support.h"

struct fake_support {
    IMAPISupport iface;
    struct fake_object obj;
    volatile LONG next_uid;
    volatile LONG next_connection;
    IProfSect *profsect;
};

static const IID *const support_iids[] = {&IID_IMAPISup, NULL};

static struct fake_support *impl_from_iface(IMAPISupport *iface)
{
    return CONTAINING_RECORD(iface, struct fake_support, iface);
}

static HRESULT record(const char *method, HRESULT hr)
{
    return fake_record_call(EVENT_SUPPORT_CALL, method, hr);
}

static HRESULT no_support(const char *method, void *out)
{
    return fake_record_no_support(EVENT_SUPPORT_CALL, method, out);
}

static HRESULT STDMETHODCALLTYPE fake_support_QueryInterface(IMAPISupport *iface, REFIID riid,
                                                             void **ppv)
{
    return fake_object_query(&impl_from_iface(iface)->obj, (IUnknown *)iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE fake_support_AddRef(IMAPISupport *iface)
{
    return fake_object_addref(&impl_from_iface(iface)->obj);
}

static ULONG STDMETHODCALLTYPE fake_support_Release(IMAPISupport *iface)
{
    /* Never freed here: see Lifetime in fake_support.h. */
    return fake_object_release(&impl_from_iface(iface)->obj);
}

static HRESULT STDMETHODCALLTYPE
fake_support_GetMemAllocRoutines(IMAPISupport *iface, LPALLOCATEBUFFER *lpAllocateBuffer,
                                 LPALLOCATEMORE *lpAllocateMore, LPFREEBUFFER *lpFreeBuffer)
{
    (void)iface;
    if (lpAllocateBuffer != NULL) {
        *lpAllocateBuffer = fake_alloc_buffer;
    }
    if (lpAllocateMore != NULL) {
        *lpAllocateMore = fake_alloc_more;
    }
    if (lpFreeBuffer != NULL) {
        *lpFreeBuffer = fake_free_buffer;
    }
    return record("GetMemAllocRoutines", S_OK);
}

static HRESULT STDMETHODCALLTYPE fake_support_Subscribe(IMAPISupport *iface, LPNOTIFKEY lpKey,
                                                        ULONG ulEventMask, ULONG ulFlags,
                                                        LPMAPIADVISESINK lpAdviseSink,
                                                        ULONG *lpulConnection)
{
    struct fake_support *support = impl_from_iface(iface);

    (void)lpKey;
    (void)ulEventMask;
    (void)ulFlags;
    /* The sink is not AddRef'd: the fake never notifies, so it never needs
     * it, and holding it would change the provider's refcount trace. */
    (void)lpAdviseSink;
    if (lpulConnection != NULL) {
        *lpulConnection = (ULONG)InterlockedIncrement(&support->next_connection);
    }
    return record("Subscribe", S_OK);
}

static HRESULT STDMETHODCALLTYPE fake_support_Unsubscribe(IMAPISupport *iface, ULONG ulConnection)
{
    (void)iface;
    (void)ulConnection;
    return record("Unsubscribe", S_OK);
}

static HRESULT STDMETHODCALLTYPE fake_support_Notify(IMAPISupport *iface, LPNOTIFKEY lpKey,
                                                     ULONG cNotification,
                                                     LPNOTIFICATION lpNotifications,
                                                     ULONG *lpulFlags)
{
    (void)iface;
    (void)lpKey;
    (void)cNotification;
    (void)lpNotifications;
    if (lpulFlags != NULL) {
        *lpulFlags = 0;
    }
    return record("Notify", S_OK);
}

static HRESULT STDMETHODCALLTYPE fake_support_ModifyStatusRow(IMAPISupport *iface, ULONG cValues,
                                                              LPSPropValue lpColumnVals,
                                                              ULONG ulFlags)
{
    (void)iface;
    (void)cValues;
    (void)lpColumnVals;
    (void)ulFlags;
    return record("ModifyStatusRow", S_OK);
}

static HRESULT STDMETHODCALLTYPE fake_support_OpenProfileSection(IMAPISupport *iface,
                                                                 LPMAPIUID lpUid, ULONG ulFlags,
                                                                 LPPROFSECT *lppProfileObj)
{
    struct fake_support *support = impl_from_iface(iface);

    (void)lpUid;
    (void)ulFlags;
    if (lppProfileObj == NULL) {
        return record("OpenProfileSection", MAPI_E_INVALID_PARAMETER);
    }
    /* Recorded before the AddRef so the trace reads "OpenProfileSection,
     * addref profsect". */
    record("OpenProfileSection", S_OK);
    *lppProfileObj = support->profsect;
    support->profsect->lpVtbl->AddRef(support->profsect);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE fake_support_NewUID(IMAPISupport *iface, LPMAPIUID lpMuid)
{
    static const BYTE prefix[8] = {'s', 'y', 'n', 'c', 'h', 'o', 's', 't'};
    ULONG n;

    if (lpMuid == NULL) {
        return record("NewUID", MAPI_E_INVALID_PARAMETER);
    }
    n = (ULONG)InterlockedIncrement(&impl_from_iface(iface)->next_uid);
    memset(lpMuid->ab, 0, sizeof lpMuid->ab);
    memcpy(lpMuid->ab, prefix, sizeof prefix);
    for (int i = 0; i < 4; i++) {
        lpMuid->ab[12 + i] = (BYTE)(n >> (8 * i));
    }
    return record("NewUID", S_OK);
}

/* The methods a store provider has no business calling during logon and
 * sync, in vtable order: stubs that ignore their arguments. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

static HRESULT STDMETHODCALLTYPE fake_support_GetLastError(IMAPISupport *iface, HRESULT hResult,
                                                           ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    return no_support("GetLastError", lppMAPIError);
}

static HRESULT STDMETHODCALLTYPE fake_support_RegisterPreprocessor(
    IMAPISupport *iface, LPMAPIUID lpMuid, LPTSTR lpszAdrType, LPTSTR lpszDLLName,
    LPSTR lpszPreprocess, LPSTR lpszRemovePreprocessInfo, ULONG ulFlags)
{
    return no_support("RegisterPreprocessor", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_MakeInvalid(IMAPISupport *iface, ULONG ulFlags,
                                                          LPVOID lpObject, ULONG ulRefCount,
                                                          ULONG cMethods)
{
    return no_support("MakeInvalid", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_SpoolerYield(IMAPISupport *iface, ULONG ulFlags)
{
    return no_support("SpoolerYield", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_SpoolerNotify(IMAPISupport *iface, ULONG ulFlags,
                                                            LPVOID lpvData)
{
    return no_support("SpoolerNotify", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_CreateOneOff(IMAPISupport *iface, LPTSTR lpszName,
                                                           LPTSTR lpszAdrType, LPTSTR lpszAddress,
                                                           ULONG ulFlags, ULONG *lpcbEntryID,
                                                           LPENTRYID *lppEntryID)
{
    return no_support("CreateOneOff", lppEntryID);
}

static HRESULT STDMETHODCALLTYPE fake_support_SetProviderUID(IMAPISupport *iface,
                                                             LPMAPIUID lpProviderID, ULONG ulFlags)
{
    return no_support("SetProviderUID", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_CompareEntryIDs(IMAPISupport *iface, ULONG cbEntry1,
                                                              LPENTRYID lpEntry1, ULONG cbEntry2,
                                                              LPENTRYID lpEntry2,
                                                              ULONG ulCompareFlags,
                                                              ULONG *lpulResult)
{
    return no_support("CompareEntryIDs", NULL);
}

static HRESULT STDMETHODCALLTYPE
fake_support_OpenTemplateID(IMAPISupport *iface, ULONG cbTemplateID, LPENTRYID lpTemplateID,
                            ULONG ulTemplateFlags, LPMAPIPROP lpMAPIPropData, LPCIID lpInterface,
                            LPMAPIPROP *lppMAPIPropNew, LPMAPIPROP lpMAPIPropSibling)
{
    return no_support("OpenTemplateID", lppMAPIPropNew);
}

static HRESULT STDMETHODCALLTYPE fake_support_OpenEntry(IMAPISupport *iface, ULONG cbEntryID,
                                                        LPENTRYID lpEntryID, LPCIID lpInterface,
                                                        ULONG ulOpenFlags, ULONG *lpulObjType,
                                                        LPUNKNOWN *lppUnk)
{
    return no_support("OpenEntry", lppUnk);
}

static HRESULT STDMETHODCALLTYPE fake_support_GetOneOffTable(IMAPISupport *iface, ULONG ulFlags,
                                                             LPMAPITABLE *lppTable)
{
    return no_support("GetOneOffTable", lppTable);
}

static HRESULT STDMETHODCALLTYPE fake_support_Address(IMAPISupport *iface, ULONG *lpulUIParam,
                                                      LPADRPARM lpAdrParms, LPADRLIST *lppAdrList)
{
    return no_support("Address", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_Details(
    IMAPISupport *iface, ULONG *lpulUIParam, LPFNDISMISS lpfnDismiss, LPVOID lpvDismissContext,
    ULONG cbEntryID, LPENTRYID lpEntryID, LPFNBUTTON lpfButtonCallback, LPVOID lpvButtonContext,
    LPTSTR lpszButtonText, ULONG ulFlags)
{
    return no_support("Details", NULL);
}

static HRESULT STDMETHODCALLTYPE
fake_support_NewEntry(IMAPISupport *iface, ULONG ulUIParam, ULONG ulFlags, ULONG cbEIDContainer,
                      LPENTRYID lpEIDContainer, ULONG cbEIDNewEntryTpl, LPENTRYID lpEIDNewEntryTpl,
                      ULONG *lpcbEIDNewEntry, LPENTRYID *lppEIDNewEntry)
{
    return no_support("NewEntry", lppEIDNewEntry);
}

static HRESULT STDMETHODCALLTYPE fake_support_DoConfigPropsheet(
    IMAPISupport *iface, ULONG ulUIParam, ULONG ulFlags, LPTSTR lpszTitle,
    LPMAPITABLE lpDisplayTable, LPMAPIPROP lpCOnfigData, ULONG ulTopPage)
{
    return no_support("DoConfigPropsheet", NULL);
}

static HRESULT STDMETHODCALLTYPE
fake_support_CopyMessages(IMAPISupport *iface, LPCIID lpSrcInterface, LPVOID lpSrcFolder,
                          LPENTRYLIST lpMsgList, LPCIID lpDestInterface, LPVOID lpDestFolder,
                          ULONG ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    return no_support("CopyMessages", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_CopyFolder(
    IMAPISupport *iface, LPCIID lpSrcInterface, LPVOID lpSrcFolder, ULONG cbEntryID,
    LPENTRYID lpEntryID, LPCIID lpDestInterface, LPVOID lpDestFolder, LPTSTR lszNewFolderName,
    ULONG ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags)
{
    return no_support("CopyFolder", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_DoCopyTo(
    IMAPISupport *iface, LPCIID lpSrcInterface, LPVOID lpSrcObj, ULONG ciidExclude,
    LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps, ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
    LPCIID lpDestInterface, LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return no_support("DoCopyTo", lppProblems);
}

static HRESULT STDMETHODCALLTYPE fake_support_DoCopyProps(
    IMAPISupport *iface, LPCIID lpSrcInterface, LPVOID lpSrcObj, LPSPropTagArray lpIncludeProps,
    ULONG ulUIParam, LPMAPIPROGRESS lpProgress, LPCIID lpDestInterface, LPVOID lpDestObj,
    ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return no_support("DoCopyProps", lppProblems);
}

static HRESULT STDMETHODCALLTYPE fake_support_DoProgressDialog(IMAPISupport *iface, ULONG ulUIParam,
                                                               ULONG ulFlags,
                                                               LPMAPIPROGRESS *lppProgress)
{
    return no_support("DoProgressDialog", lppProgress);
}

static HRESULT STDMETHODCALLTYPE fake_support_ReadReceipt(IMAPISupport *iface, ULONG ulFlags,
                                                          LPMESSAGE lpReadMessage,
                                                          LPMESSAGE *lppEmptyMessage)
{
    return no_support("ReadReceipt", lppEmptyMessage);
}

static HRESULT STDMETHODCALLTYPE fake_support_PrepareSubmit(IMAPISupport *iface,
                                                            LPMESSAGE lpMessage, ULONG *lpulFlags)
{
    return no_support("PrepareSubmit", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_ExpandRecips(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                           ULONG *lpulFlags)
{
    return no_support("ExpandRecips", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_UpdatePAB(IMAPISupport *iface, ULONG ulFlags,
                                                        LPMESSAGE lpMessage)
{
    return no_support("UpdatePAB", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_DoSentMail(IMAPISupport *iface, ULONG ulFlags,
                                                         LPMESSAGE lpMessage)
{
    return no_support("DoSentMail", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_OpenAddressBook(IMAPISupport *iface,
                                                              LPCIID lpInterface, ULONG ulFlags,
                                                              LPADRBOOK *lppAdrBook)
{
    return no_support("OpenAddressBook", lppAdrBook);
}

static HRESULT STDMETHODCALLTYPE fake_support_Preprocess(IMAPISupport *iface, ULONG ulFlags,
                                                         ULONG cbEntryID, LPENTRYID lpEntryID)
{
    return no_support("Preprocess", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_CompleteMsg(IMAPISupport *iface, ULONG ulFlags,
                                                          ULONG cbEntryID, LPENTRYID lpEntryID)
{
    return no_support("CompleteMsg", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_StoreLogoffTransports(IMAPISupport *iface,
                                                                    ULONG *lpulFlags)
{
    return no_support("StoreLogoffTransports", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_StatusRecips(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                           LPADRLIST lpRecipList)
{
    return no_support("StatusRecips", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_WrapStoreEntryID(IMAPISupport *iface,
                                                               ULONG cbOrigEntry,
                                                               LPENTRYID lpOrigEntry,
                                                               ULONG *lpcbWrappedEntry,
                                                               LPENTRYID *lppWrappedEntry)
{
    return no_support("WrapStoreEntryID", lppWrappedEntry);
}

static HRESULT STDMETHODCALLTYPE fake_support_ModifyProfile(IMAPISupport *iface, ULONG ulFlags)
{
    return no_support("ModifyProfile", NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_IStorageFromStream(IMAPISupport *iface,
                                                                 LPUNKNOWN lpUnkIn,
                                                                 LPCIID lpInterface, ULONG ulFlags,
                                                                 LPSTORAGE *lppStorageOut)
{
    return no_support("IStorageFromStream", lppStorageOut);
}

static HRESULT STDMETHODCALLTYPE fake_support_GetSvcConfigSupportObj(IMAPISupport *iface,
                                                                     ULONG ulFlags,
                                                                     LPMAPISUP *lppSvcSupport)
{
    return no_support("GetSvcConfigSupportObj", lppSvcSupport);
}

#pragma GCC diagnostic pop

/* In the order of MAPI_IUNKNOWN_METHODS and MAPI_IMAPISUPPORT_METHODS1..3
 * (mapispi.h); a missing or misplaced slot would send a provider into the
 * wrong method. */
static const IMAPISupportVtbl fake_support_vtbl = {
    fake_support_QueryInterface,
    fake_support_AddRef,
    fake_support_Release,
    fake_support_GetLastError,
    fake_support_GetMemAllocRoutines,
    fake_support_Subscribe,
    fake_support_Unsubscribe,
    fake_support_Notify,
    fake_support_ModifyStatusRow,
    fake_support_OpenProfileSection,
    fake_support_RegisterPreprocessor,
    fake_support_NewUID,
    fake_support_MakeInvalid,
    fake_support_SpoolerYield,
    fake_support_SpoolerNotify,
    fake_support_CreateOneOff,
    fake_support_SetProviderUID,
    fake_support_CompareEntryIDs,
    fake_support_OpenTemplateID,
    fake_support_OpenEntry,
    fake_support_GetOneOffTable,
    fake_support_Address,
    fake_support_Details,
    fake_support_NewEntry,
    fake_support_DoConfigPropsheet,
    fake_support_CopyMessages,
    fake_support_CopyFolder,
    fake_support_DoCopyTo,
    fake_support_DoCopyProps,
    fake_support_DoProgressDialog,
    fake_support_ReadReceipt,
    fake_support_PrepareSubmit,
    fake_support_ExpandRecips,
    fake_support_UpdatePAB,
    fake_support_DoSentMail,
    fake_support_OpenAddressBook,
    fake_support_Preprocess,
    fake_support_CompleteMsg,
    fake_support_StoreLogoffTransports,
    fake_support_StatusRecips,
    fake_support_WrapStoreEntryID,
    fake_support_ModifyProfile,
    fake_support_IStorageFromStream,
    fake_support_GetSvcConfigSupportObj,
};

HRESULT fake_support_create(IMAPISupport **out)
{
    struct fake_support *support;

    if (out == NULL) {
        return E_POINTER;
    }
    *out = NULL;
    support = calloc(1, sizeof *support);
    if (support == NULL) {
        return E_OUTOFMEMORY;
    }
    if (FAILED(fake_profsect_create(&support->profsect))) {
        free(support);
        return E_OUTOFMEMORY;
    }
    support->iface.lpVtbl = (IMAPISupportVtbl *)&fake_support_vtbl;
    fake_object_init(&support->obj, "support", support_iids, 1);
    *out = &support->iface;
    return S_OK;
}

void fake_support_destroy(IMAPISupport *iface)
{
    struct fake_support *support;

    if (iface == NULL) {
        return;
    }
    support = impl_from_iface(iface);
    fake_profsect_destroy(support->profsect);
    free(support);
}

LONG fake_support_refs(IMAPISupport *iface)
{
    return fake_object_refs(&impl_from_iface(iface)->obj);
}

IProfSect *fake_support_profsect(IMAPISupport *iface)
{
    return impl_from_iface(iface)->profsect;
}
