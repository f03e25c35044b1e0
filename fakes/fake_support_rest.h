/* fake_support_rest.h: the unsupported IMAPISupport methods, for the
 * vtable in fake_support.c (internal to the fakes). */
#ifndef SYNCHOST_FAKE_SUPPORT_REST_H
#define SYNCHOST_FAKE_SUPPORT_REST_H

#include <windows.h>
#include <mapispi.h>

HRESULT STDMETHODCALLTYPE fake_support_RegisterPreprocessor(IMAPISupport *iface, LPMAPIUID lpMuid,
                                                            LPTSTR lpszAdrType, LPTSTR lpszDLLName,
                                                            LPSTR lpszPreprocess,
                                                            LPSTR lpszRemovePreprocessInfo,
                                                            ULONG ulFlags);
HRESULT STDMETHODCALLTYPE fake_support_SpoolerYield(IMAPISupport *iface, ULONG ulFlags);
HRESULT STDMETHODCALLTYPE fake_support_CreateOneOff(IMAPISupport *iface, LPTSTR lpszName,
                                                    LPTSTR lpszAdrType, LPTSTR lpszAddress,
                                                    ULONG ulFlags, ULONG *lpcbEntryID,
                                                    LPENTRYID *lppEntryID);
HRESULT STDMETHODCALLTYPE fake_support_CompareEntryIDs(IMAPISupport *iface, ULONG cbEntry1,
                                                       LPENTRYID lpEntry1, ULONG cbEntry2,
                                                       LPENTRYID lpEntry2, ULONG ulCompareFlags,
                                                       ULONG *lpulResult);
HRESULT STDMETHODCALLTYPE fake_support_OpenTemplateID(IMAPISupport *iface, ULONG cbTemplateID,
                                                      LPENTRYID lpTemplateID, ULONG ulTemplateFlags,
                                                      LPMAPIPROP lpMAPIPropData, LPCIID lpInterface,
                                                      LPMAPIPROP *lppMAPIPropNew,
                                                      LPMAPIPROP lpMAPIPropSibling);
HRESULT STDMETHODCALLTYPE fake_support_OpenEntry(IMAPISupport *iface, ULONG cbEntryID,
                                                 LPENTRYID lpEntryID, LPCIID lpInterface,
                                                 ULONG ulOpenFlags, ULONG *lpulObjType,
                                                 LPUNKNOWN *lppUnk);
HRESULT STDMETHODCALLTYPE fake_support_GetOneOffTable(IMAPISupport *iface, ULONG ulFlags,
                                                      LPMAPITABLE *lppTable);
HRESULT STDMETHODCALLTYPE fake_support_Address(IMAPISupport *iface, ULONG *lpulUIParam,
                                               LPADRPARM lpAdrParms, LPADRLIST *lppAdrList);
HRESULT STDMETHODCALLTYPE fake_support_Details(IMAPISupport *iface, ULONG *lpulUIParam,
                                               LPFNDISMISS lpfnDismiss, LPVOID lpvDismissContext,
                                               ULONG cbEntryID, LPENTRYID lpEntryID,
                                               LPFNBUTTON lpfButtonCallback,
                                               LPVOID lpvButtonContext, LPTSTR lpszButtonText,
                                               ULONG ulFlags);
HRESULT STDMETHODCALLTYPE fake_support_NewEntry(IMAPISupport *iface, ULONG ulUIParam, ULONG ulFlags,
                                                ULONG cbEIDContainer, LPENTRYID lpEIDContainer,
                                                ULONG cbEIDNewEntryTpl, LPENTRYID lpEIDNewEntryTpl,
                                                ULONG *lpcbEIDNewEntry, LPENTRYID *lppEIDNewEntry);
HRESULT STDMETHODCALLTYPE fake_support_DoConfigPropsheet(IMAPISupport *iface, ULONG ulUIParam,
                                                         ULONG ulFlags, LPTSTR lpszTitle,
                                                         LPMAPITABLE lpDisplayTable,
                                                         LPMAPIPROP lpCOnfigData, ULONG ulTopPage);
HRESULT STDMETHODCALLTYPE fake_support_CopyMessages(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                    LPVOID lpSrcFolder, LPENTRYLIST lpMsgList,
                                                    LPCIID lpDestInterface, LPVOID lpDestFolder,
                                                    ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
                                                    ULONG ulFlags);
HRESULT STDMETHODCALLTYPE fake_support_CopyFolder(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                  LPVOID lpSrcFolder, ULONG cbEntryID,
                                                  LPENTRYID lpEntryID, LPCIID lpDestInterface,
                                                  LPVOID lpDestFolder, LPTSTR lszNewFolderName,
                                                  ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
                                                  ULONG ulFlags);
HRESULT STDMETHODCALLTYPE fake_support_DoCopyTo(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                LPVOID lpSrcObj, ULONG ciidExclude,
                                                LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps,
                                                ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
                                                LPCIID lpDestInterface, LPVOID lpDestObj,
                                                ULONG ulFlags, LPSPropProblemArray *lppProblems);
HRESULT STDMETHODCALLTYPE fake_support_DoCopyProps(IMAPISupport *iface, LPCIID lpSrcInterface,
                                                   LPVOID lpSrcObj, LPSPropTagArray lpIncludeProps,
                                                   ULONG ulUIParam, LPMAPIPROGRESS lpProgress,
                                                   LPCIID lpDestInterface, LPVOID lpDestObj,
                                                   ULONG ulFlags, LPSPropProblemArray *lppProblems);
HRESULT STDMETHODCALLTYPE fake_support_DoProgressDialog(IMAPISupport *iface, ULONG ulUIParam,
                                                        ULONG ulFlags, LPMAPIPROGRESS *lppProgress);
HRESULT STDMETHODCALLTYPE fake_support_ReadReceipt(IMAPISupport *iface, ULONG ulFlags,
                                                   LPMESSAGE lpReadMessage,
                                                   LPMESSAGE *lppEmptyMessage);
HRESULT STDMETHODCALLTYPE fake_support_PrepareSubmit(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                     ULONG *lpulFlags);
HRESULT STDMETHODCALLTYPE fake_support_ExpandRecips(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                    ULONG *lpulFlags);
HRESULT STDMETHODCALLTYPE fake_support_UpdatePAB(IMAPISupport *iface, ULONG ulFlags,
                                                 LPMESSAGE lpMessage);
HRESULT STDMETHODCALLTYPE fake_support_DoSentMail(IMAPISupport *iface, ULONG ulFlags,
                                                  LPMESSAGE lpMessage);
HRESULT STDMETHODCALLTYPE fake_support_OpenAddressBook(IMAPISupport *iface, LPCIID lpInterface,
                                                       ULONG ulFlags, LPADRBOOK *lppAdrBook);
HRESULT STDMETHODCALLTYPE fake_support_Preprocess(IMAPISupport *iface, ULONG ulFlags,
                                                  ULONG cbEntryID, LPENTRYID lpEntryID);
HRESULT STDMETHODCALLTYPE fake_support_CompleteMsg(IMAPISupport *iface, ULONG ulFlags,
                                                   ULONG cbEntryID, LPENTRYID lpEntryID);
HRESULT STDMETHODCALLTYPE fake_support_StoreLogoffTransports(IMAPISupport *iface, ULONG *lpulFlags);
HRESULT STDMETHODCALLTYPE fake_support_StatusRecips(IMAPISupport *iface, LPMESSAGE lpMessage,
                                                    LPADRLIST lpRecipList);
HRESULT STDMETHODCALLTYPE fake_support_IStorageFromStream(IMAPISupport *iface, LPUNKNOWN lpUnkIn,
                                                          LPCIID lpInterface, ULONG ulFlags,
                                                          LPSTORAGE *lppStorageOut);
HRESULT STDMETHODCALLTYPE fake_support_GetSvcConfigSupportObj(IMAPISupport *iface, ULONG ulFlags,
                                                              LPMAPISUP *lppSvcSupport);

#endif /* SYNCHOST_FAKE_SUPPORT_REST_H */
