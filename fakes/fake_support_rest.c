/*
 * fake_support_rest.c: the IMAPISupport methods a store provider has no
 * business calling during logon and sync (see fake_support.h): each is
 * counted and recorded, and answers MAPI_E_NO_SUPPORT (or its injected
 * fault) with its [out] object pointer cleared. Vtable order.
 */
#include <mapicode.h>

#include "fake_record.h"
#include "fake_support_rest.h"

static HRESULT no_support(enum fault_service service, const char *method, void *out)
{
    return fake_record_unsupported(EVENT_SUPPORT_CALL, service, method, out);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

HRESULT STDMETHODCALLTYPE fake_support_RegisterPreprocessor(IMAPISupport *iface, LPMAPIUID lpMuid,
                                                            LPTSTR lpszAdrType, LPTSTR lpszDLLName,
                                                            LPSTR lpszPreprocess,
                                                            LPSTR lpszRemovePreprocessInfo,
                                                            ULONG ulFlags)
{
    return no_support(FAULT_SVC_SUP_REGISTER_PREPROCESSOR, "RegisterPreprocessor", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_SpoolerYield(IMAPISupport *iface, ULONG ulFlags)
{
    return no_support(FAULT_SVC_SUP_SPOOLER_YIELD, "SpoolerYield", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_CreateOneOff(IMAPISupport *iface, LPTSTR lpszName,
                                                    LPTSTR lpszAdrType, LPTSTR lpszAddress,
                                                    ULONG ulFlags, ULONG *lpcbEntryID,
                                                    LPENTRYID *lppEntryID)
{
    return no_support(FAULT_SVC_SUP_CREATE_ONE_OFF, "CreateOneOff", lppEntryID);
}

HRESULT STDMETHODCALLTYPE fake_support_CompareEntryIDs(IMAPISupport *iface, ULONG cbEntry1,
                                                       LPENTRYID lpEntry1, ULONG cbEntry2,
                                                       LPENTRYID lpEntry2, ULONG ulCompareFlags,
                                                       ULONG *lpulResult)
{
    return no_support(FAULT_SVC_SUP_COMPARE_ENTRY_IDS, "CompareEntryIDs", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_OpenTemplateID(IMAPISupport *iface, ULONG cbTemplateID,
                                                      LPENTRYID lpTemplateID, ULONG ulTemplateFlags,
                                                      LPMAPIPROP lpMAPIPropData, LPCIID lpInterface,
                                                      LPMAPIPROP *lppMAPIPropNew,
                                                      LPMAPIPROP lpMAPIPropSibling)
{
    return no_support(FAULT_SVC_SUP_OPEN_TEMPLATE_ID, "OpenTemplateID", lppMAPIPropNew);
}

HRESULT STDMETHODCALLTYPE fake_support_OpenEntry(IMAPISupport *iface, ULONG cbEntryID,
                                                 LPENTRYID lpEntryID, LPCIID lpInterface,
                                                 ULONG ulOpenFlags, ULONG *lpulObjType,
                                                 LPUNKNOWN *lppUnk)
{
    return no_support(FAULT_SVC_SUP_OPEN_ENTRY, "OpenEntry", lppUnk);
}

HRESULT STDMETHODCALLTYPE fake_support_GetOneOffTable(IMAPISupport *iface, ULONG ulFlags,
                                                      LPMAPITABLE *lppTable)
{
    return no_support(FAULT_SVC_SUP_GET_ONE_OFF_TABLE, "GetOneOffTable", lppTable);
}

HRESULT STDMETHODCALLTYPE fake_support_Address(IMAPISupport *iface, ULONG *lpulUIParam,
                                               LPADRPARM lpAdrParms, LPADRLIST *lppAdrList)
{
    return no_support(FAULT_SVC_SUP_ADDRESS, "Address", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_Details(IMAPISupport *iface, ULONG *lpulUIParam,
                                               LPFNDISMISS lpfnDismiss, LPVOID lpvDismissContext,
                                               ULONG cbEntryID, LPENTRYID lpEntryID,
                                               LPFNBUTTON lpfButtonCallback,
                                               LPVOID lpvButtonContext, LPTSTR lpszButtonText,
                                               ULONG ulFlags)
{
    return no_support(FAULT_SVC_SUP_DETAILS, "Details", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_NewEntry(IMAPISupport *iface, ULONG ulUIParam, ULONG ulFlags,
                                                ULONG cbEIDContainer, LPENTRYID lpEIDContainer,
                                                ULONG cbEIDNewEntryTpl, LPENTRYID lpEIDNewEntryTpl,
                                                ULONG *lpcbEIDNewEntry, LPENTRYID *lppEIDNewEntry)
{
    return no_support(FAULT_SVC_SUP_NEW_ENTRY, "NewEntry", lppEIDNewEntry);
}

HRESULT STDMETHODCALLTYPE fake_support_DoConfigPropsheet(IMAPISupport *iface, ULONG ulUIParam,
                                                         ULONG ulFlags, LPTSTR lpszTitle,
                                                         LPMAPITABLE lpDisplayTable,
                                                         LPMAPIPROP lpCOnfigData, ULONG ulTopPage)
{
    return no_support(FAULT_SVC_SUP_DO_CONFIG_PROPSHEET, "DoConfigPropsheet", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_CopyMessages(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                    LPVOID lpSrcFolder, LPENTRYLIST lpMsgList,
                                                    LPCIID lpDestInterface, LPVOID lpDestFolder,
                                                    ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
                                                    ULONG ulFlags)
{
    return no_support(FAULT_SVC_SUP_COPY_MESSAGES, "CopyMessages", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_CopyFolder(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                  LPVOID lpSrcFolder, ULONG cbEntryID,
                                                  LPENTRYID lpEntryID, LPCIID lpDestInterface,
                                                  LPVOID lpDestFolder, LPTSTR lszNewFolderName,
                                                  ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
                                                  ULONG ulFlags)
{
    return no_support(FAULT_SVC_SUP_COPY_FOLDER, "CopyFolder", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_DoCopyTo(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                LPVOID lpSrcObj, ULONG ciidExclude,
                                                LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps,
                                                ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
                                                LPCIID lpDestInterface, LPVOID lpDestObj,
                                                ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return no_support(FAULT_SVC_SUP_DO_COPY_TO, "DoCopyTo", lppProblems);
}

HRESULT STDMETHODCALLTYPE fake_support_DoCopyProps(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                   LPVOID lpSrcObj, LPSPropTagArray lpIncludeProps,
                                                   ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
                                                   LPCIID lpDestInterface, LPVOID lpDestObj,
                                                   ULONG ulFlags, LPSPropProblemArray *lppProblems)
{
    return no_support(FAULT_SVC_SUP_DO_COPY_PROPS, "DoCopyProps", lppProblems);
}

HRESULT STDMETHODCALLTYPE fake_support_DoProgressDialog(IMAPISupport *iface, ULONG ulUIParam,
                                                        ULONG ulFlags, LPMAPIPROGRESS *lppProgress)
{
    return no_support(FAULT_SVC_SUP_DO_PROGRESS_DIALOG, "DoProgressDialog", lppProgress);
}

HRESULT STDMETHODCALLTYPE fake_support_ReadReceipt(IMAPISupport *iface, ULONG ulFlags,
                                                   LPMESSAGE lpReadMessage,
                                                   LPMESSAGE *lppEmptyMessage)
{
    return no_support(FAULT_SVC_SUP_READ_RECEIPT, "ReadReceipt", lppEmptyMessage);
}

HRESULT STDMETHODCALLTYPE fake_support_PrepareSubmit(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                     ULONG *lpulFlags)
{
    return no_support(FAULT_SVC_SUP_PREPARE_SUBMIT, "PrepareSubmit", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_ExpandRecips(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                    ULONG *lpulFlags)
{
    return no_support(FAULT_SVC_SUP_EXPAND_RECIPS, "ExpandRecips", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_UpdatePAB(IMAPISupport *iface, ULONG ulFlags,
                                                 LPMESSAGE lpMessage)
{
    return no_support(FAULT_SVC_SUP_UPDATE_PAB, "UpdatePAB", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_DoSentMail(IMAPISupport *iface, ULONG ulFlags,
                                                  LPMESSAGE lpMessage)
{
    return no_support(FAULT_SVC_SUP_DO_SENT_MAIL, "DoSentMail", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_OpenAddressBook(IMAPISupport *iface, LPCIID lpInterface,
                                                       ULONG ulFlags, LPADRBOOK *lppAdrBook)
{
    return no_support(FAULT_SVC_SUP_OPEN_ADDRESS_BOOK, "OpenAddressBook", lppAdrBook);
}

HRESULT STDMETHODCALLTYPE fake_support_Preprocess(IMAPISupport *iface, ULONG ulFlags,
                                                  ULONG cbEntryID, LPENTRYID lpEntryID)
{
    return no_support(FAULT_SVC_SUP_PREPROCESS, "Preprocess", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_CompleteMsg(IMAPISupport *iface, ULONG ulFlags,
                                                   ULONG cbEntryID, LPENTRYID lpEntryID)
{
    return no_support(FAULT_SVC_SUP_COMPLETE_MSG, "CompleteMsg", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_StoreLogoffTransports(IMAPISupport *iface, ULONG *lpulFlags)
{
    return no_support(FAULT_SVC_SUP_STORE_LOGOFF_TRANSPORTS, "StoreLogoffTransports", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_StatusRecips(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                    LPADRLIST lpRecipList)
{
    return no_support(FAULT_SVC_SUP_STATUS_RECIPS, "StatusRecips", NULL);
}

HRESULT STDMETHODCALLTYPE fake_support_IStorageFromStream(IMAPISupport *iface, LPUNKNOWN lpUnkIn,
                                                          LPCIID lpInterface, ULONG ulFlags,
                                                          LPSTORAGE *lppStorageOut)
{
    return no_support(FAULT_SVC_SUP_ISTORAGE_FROM_STREAM, "IStorageFromStream", lppStorageOut);
}

HRESULT STDMETHODCALLTYPE fake_support_GetSvcConfigSupportObj(IMAPISupport *iface, ULONG ulFlags,
                                                              LPMAPISUP *lppSvcSupport)
{
    return no_support(FAULT_SVC_SUP_GET_SVC_CONFIG_SUPPORT_OBJ, "GetSvcConfigSupportObj",
                      lppSvcSupport);
}

#pragma GCC diagnostic pop

#pragma GCC diagnostic pop
