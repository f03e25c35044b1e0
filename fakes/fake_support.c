/*
 * fake_support.c: the recording IMAPISupport (see fake_support.h). Method
 * semantics from the Outlook MAPI reference ("IMAPISupport : IUnknown");
 * only what a store provider calls in Logon and sync is answered with
 * success, the rest says MAPI_E_NO_SUPPORT, which real MAPI also answers for
 * support methods that do not apply to a store provider.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mapicode.h>

#include "fake_alloc.h"
#include "fake_iids.h"
#include "fake_object.h"
#include "fake_profsect.h"
#include "fake_record.h"
#include "fake_support.h"
#include "fake_support_rest.h"

#define KIND EVENT_SUPPORT_CALL
/* Bytes WrapStoreEntryID puts before the entry ID it wraps. */
#define WRAP_PREFIX 20

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

/* "null" or the 16 bytes of a MAPIUID in hex. */
static const char *uid_text(const MAPIUID *uid, char buf[40])
{
    if (uid == NULL) {
        return "null";
    }
    if (IsBadReadPtr(uid, sizeof *uid)) {
        return "unreadable";
    }
    for (int i = 0; i < 16; i++) {
        snprintf(buf + 2 * i, 3, "%02x", uid->ab[i]);
    }
    return buf;
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

/* No extended error information: S_OK with *lppMAPIError = NULL, which the
 * MAPI reference allows ("IMAPISupport::GetLastError"). */
static HRESULT STDMETHODCALLTYPE fake_support_GetLastError(IMAPISupport *iface, HRESULT hResult,
                                                           ULONG ulFlags, LPMAPIERROR *lppMAPIError)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_GET_LAST_ERROR);
    HRESULT hr = c.fault != S_OK ? c.fault : S_OK;

    (void)iface;
    if (lppMAPIError == NULL && hr == S_OK) {
        hr = MAPI_E_INVALID_PARAMETER;
    }
    fake_clear_out(lppMAPIError);
    return fake_record_service(KIND, &c, "GetLastError", hr, 0, 0, "hResult=0x%08lx flags=0x%lx",
                               (unsigned long)hResult, (unsigned long)ulFlags);
}

static HRESULT STDMETHODCALLTYPE
fake_support_GetMemAllocRoutines(IMAPISupport *iface, LPALLOCATEBUFFER *lpAllocateBuffer,
                                 LPALLOCATEMORE *lpAllocateMore, LPFREEBUFFER *lpFreeBuffer)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_GET_MEM_ALLOC_ROUTINES);

    (void)iface;
    if (c.fault != S_OK) {
        fake_clear_out(lpAllocateBuffer);
        fake_clear_out(lpAllocateMore);
        fake_clear_out(lpFreeBuffer);
        return fake_record_service(KIND, &c, "GetMemAllocRoutines", c.fault, 0, 0, NULL);
    }
    if (lpAllocateBuffer != NULL) {
        *lpAllocateBuffer = fake_alloc_buffer;
    }
    if (lpAllocateMore != NULL) {
        *lpAllocateMore = fake_alloc_more;
    }
    if (lpFreeBuffer != NULL) {
        *lpFreeBuffer = fake_free_buffer;
    }
    return fake_record_service(KIND, &c, "GetMemAllocRoutines", S_OK, 0, 0, NULL);
}

static HRESULT STDMETHODCALLTYPE fake_support_Subscribe(IMAPISupport *iface, LPNOTIFKEY lpKey,
                                                        ULONG ulEventMask, ULONG ulFlags,
                                                        LPMAPIADVISESINK lpAdviseSink,
                                                        ULONG *lpulConnection)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_SUBSCRIBE);
    ULONG conn = 0;
    HRESULT hr = c.fault;

    (void)lpKey;
    /* The sink is not AddRef'd: the fake never notifies, so it never needs
     * it, and holding it would change the provider's refcount trace. */
    (void)lpAdviseSink;
    if (hr == S_OK && (lpulConnection == NULL || lpAdviseSink == NULL)) {
        hr = MAPI_E_INVALID_PARAMETER;
    }
    if (hr == S_OK) {
        conn = (ULONG)InterlockedIncrement(&impl_from_iface(iface)->next_connection);
    }
    if (lpulConnection != NULL) {
        *lpulConnection = conn;
    }
    return fake_record_service(KIND, &c, "Subscribe", hr, 0, conn,
                               "mask=0x%lx flags=0x%lx sink=%s connection=%lu",
                               (unsigned long)ulEventMask, (unsigned long)ulFlags,
                               lpAdviseSink != NULL ? "set" : "null", (unsigned long)conn);
}

static HRESULT STDMETHODCALLTYPE fake_support_Unsubscribe(IMAPISupport *iface, ULONG ulConnection)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_UNSUBSCRIBE);

    (void)iface;
    return fake_record_service(KIND, &c, "Unsubscribe", c.fault, 0, ulConnection, "connection=%lu",
                               (unsigned long)ulConnection);
}

static HRESULT STDMETHODCALLTYPE fake_support_Notify(IMAPISupport *iface, LPNOTIFKEY lpKey,
                                                     ULONG cNotification,
                                                     LPNOTIFICATION lpNotifications,
                                                     ULONG *lpulFlags)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_NOTIFY);
    ULONG event = 0;

    (void)iface;
    (void)lpKey;
    if (cNotification > 0 && lpNotifications != NULL &&
        !IsBadReadPtr(lpNotifications, sizeof *lpNotifications)) {
        event = lpNotifications->ulEventType;
    }
    if (lpulFlags != NULL) {
        *lpulFlags = 0;
    }
    return fake_record_service(KIND, &c, "Notify", c.fault, 0, cNotification,
                               "count=%lu first_event=0x%lx", (unsigned long)cNotification,
                               (unsigned long)event);
}

static HRESULT STDMETHODCALLTYPE fake_support_ModifyStatusRow(IMAPISupport *iface, ULONG cValues,
                                                              LPSPropValue lpColumnVals,
                                                              ULONG ulFlags)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_MODIFY_STATUS_ROW);
    HRESULT hr = c.fault;

    (void)iface;
    if (hr == S_OK && cValues > 0 && lpColumnVals == NULL) {
        hr = MAPI_E_INVALID_PARAMETER;
    }
    return fake_record_service(KIND, &c, "ModifyStatusRow", hr, 0, cValues,
                               "values=%lu flags=0x%lx", (unsigned long)cValues,
                               (unsigned long)ulFlags);
}

static HRESULT STDMETHODCALLTYPE fake_support_OpenProfileSection(IMAPISupport *iface,
                                                                 LPMAPIUID lpUid, ULONG ulFlags,
                                                                 LPPROFSECT *lppProfileObj)
{
    struct fake_support *support = impl_from_iface(iface);
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_OPEN_PROFILE_SECTION);
    HRESULT hr = c.fault;
    char uid[40];

    if (hr == S_OK && lppProfileObj == NULL) {
        hr = MAPI_E_INVALID_PARAMETER;
    }
    fake_clear_out(lppProfileObj);
    /* Recorded before the AddRef so the trace reads "OpenProfileSection,
     * addref profsect". */
    fake_record_service(KIND, &c, "OpenProfileSection", hr, 0, 0, "uid=%s flags=0x%lx",
                        uid_text(lpUid, uid), (unsigned long)ulFlags);
    if (hr == S_OK) {
        *lppProfileObj = support->profsect;
        support->profsect->lpVtbl->AddRef(support->profsect);
    }
    return hr;
}

static HRESULT STDMETHODCALLTYPE fake_support_NewUID(IMAPISupport *iface, LPMAPIUID lpMuid)
{
    static const BYTE prefix[8] = {'s', 'y', 'n', 'c', 'h', 'o', 's', 't'};
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_NEW_UID);
    ULONG n;

    if (c.fault != S_OK || lpMuid == NULL) {
        return fake_record_service(
            KIND, &c, "NewUID", c.fault != S_OK ? c.fault : MAPI_E_INVALID_PARAMETER, 0, 0, NULL);
    }
    n = (ULONG)InterlockedIncrement(&impl_from_iface(iface)->next_uid);
    memset(lpMuid->ab, 0, sizeof lpMuid->ab);
    memcpy(lpMuid->ab, prefix, sizeof prefix);
    for (int i = 0; i < 4; i++) {
        lpMuid->ab[12 + i] = (BYTE)(n >> (8 * i));
    }
    return fake_record_service(KIND, &c, "NewUID", S_OK, 0, n, NULL);
}

/* MAPI replaces the object's vtable with one that fails every call; the
 * fake only records it and leaves the object alone (the provider's own
 * object: the host does not write into it). */
static HRESULT STDMETHODCALLTYPE fake_support_MakeInvalid(IMAPISupport *iface, ULONG ulFlags,
                                                          LPVOID lpObject, ULONG ulRefCount,
                                                          ULONG cMethods)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_MAKE_INVALID);
    HRESULT hr = c.fault;

    (void)iface;
    if (hr == S_OK && lpObject == NULL) {
        hr = MAPI_E_INVALID_PARAMETER;
    }
    return fake_record_service(KIND, &c, "MakeInvalid", hr, (uint64_t)(ULONG_PTR)lpObject,
                               ulRefCount, "flags=0x%lx refs=%lu methods=%lu",
                               (unsigned long)ulFlags, (unsigned long)ulRefCount,
                               (unsigned long)cMethods);
}

static HRESULT STDMETHODCALLTYPE fake_support_SpoolerNotify(IMAPISupport *iface, ULONG ulFlags,
                                                            LPVOID lpvData)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_SPOOLER_NOTIFY);

    (void)iface;
    return fake_record_service(KIND, &c, "SpoolerNotify", c.fault, (uint64_t)(ULONG_PTR)lpvData, 0,
                               "flags=0x%lx data=%s", (unsigned long)ulFlags,
                               lpvData != NULL ? "set" : "null");
}

static HRESULT STDMETHODCALLTYPE fake_support_SetProviderUID(IMAPISupport *iface,
                                                             LPMAPIUID lpProviderID, ULONG ulFlags)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_SET_PROVIDER_UID);
    HRESULT hr = c.fault;
    char uid[40];

    (void)iface;
    if (hr == S_OK && lpProviderID == NULL) {
        hr = MAPI_E_INVALID_PARAMETER;
    }
    return fake_record_service(KIND, &c, "SetProviderUID", hr, 0, 0, "uid=%s flags=0x%lx",
                               uid_text(lpProviderID, uid), (unsigned long)ulFlags);
}

/* MAPI wraps a store's entry ID in one of its own (the store's provider UID
 * first); the fake's wrapping is WRAP_PREFIX, then the entry ID. The new
 * entry ID is a MAPI buffer the provider frees (leak-mapi-buffers). */
static HRESULT STDMETHODCALLTYPE fake_support_WrapStoreEntryID(IMAPISupport *iface,
                                                               ULONG cbOrigEntry,
                                                               LPENTRYID lpOrigEntry,
                                                               ULONG *lpcbWrappedEntry,
                                                               LPENTRYID *lppWrappedEntry)
{
    static const BYTE prefix[WRAP_PREFIX] = {0,   0,   0,   0,   's', 'y', 'n', 'c', 'h', 'o',
                                             's', 't', 'w', 'r', 'a', 'p', 0,   0,   0,   0};
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_WRAP_STORE_ENTRY_ID);
    HRESULT hr = c.fault;
    BYTE *wrapped = NULL;

    (void)iface;
    if (hr == S_OK && (cbOrigEntry == 0 || cbOrigEntry > 0x10000 || lpOrigEntry == NULL ||
                       lpcbWrappedEntry == NULL || lppWrappedEntry == NULL ||
                       IsBadReadPtr(lpOrigEntry, cbOrigEntry))) {
        hr = MAPI_E_INVALID_PARAMETER;
    }
    if (hr == S_OK &&
        FAILED(fake_alloc_host(WRAP_PREFIX + cbOrigEntry, "WrapStoreEntryID", (void **)&wrapped))) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (hr == S_OK) {
        memcpy(wrapped, prefix, WRAP_PREFIX);
        memcpy(wrapped + WRAP_PREFIX, lpOrigEntry, cbOrigEntry);
        *lpcbWrappedEntry = WRAP_PREFIX + cbOrigEntry;
    } else if (lpcbWrappedEntry != NULL) {
        *lpcbWrappedEntry = 0;
    }
    if (lppWrappedEntry != NULL) {
        *lppWrappedEntry = (LPENTRYID)wrapped;
    }
    return fake_record_service(KIND, &c, "WrapStoreEntryID", hr, (uint64_t)(ULONG_PTR)wrapped,
                               cbOrigEntry, "size=%lu", (unsigned long)cbOrigEntry);
}

static HRESULT STDMETHODCALLTYPE fake_support_ModifyProfile(IMAPISupport *iface, ULONG ulFlags)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_SUP_MODIFY_PROFILE);

    (void)iface;
    return fake_record_service(KIND, &c, "ModifyProfile", c.fault, 0, 0, "flags=0x%lx",
                               (unsigned long)ulFlags);
}

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
    HRESULT hr = fake_object_create(sizeof *support, offsetof(struct fake_support, obj),
                                    &fake_support_vtbl, "support", support_iids, 1, (void **)out);

    if (FAILED(hr)) {
        return hr;
    }
    support = impl_from_iface(*out);
    if (FAILED(fake_profsect_create(&support->profsect))) {
        free(support);
        *out = NULL;
        return E_OUTOFMEMORY;
    }
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
