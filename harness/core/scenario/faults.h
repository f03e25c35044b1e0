/*
 * faults.h: the host services a scenario can make fail (host.faults), by
 * name, and the fault list's entries. Shared by the scenario loader (which
 * checks the names), the script codec (which carries them to the worker)
 * and the worker's fakes (which count each service's calls and fail the
 * ones the list names).
 *
 * A service is one entry point the host hands the provider: the three MAPI
 * allocators, the IMalloc methods that can fail, and every method of the
 * support object (IMAPISupport::*), the sync's session (IMAPISession::*)
 * and the profile section (IProfSect::*), IUnknown's excepted. Calls are
 * counted per service from 1, from the start of each scenario (its
 * MSProviderInit) to its end.
 *
 * Portable C, no state.
 */
#ifndef SYNCHOST_FAULTS_H
#define SYNCHOST_FAULTS_H

#include <stddef.h>
#include <stdint.h>

/* MAPI_E_NOT_ENOUGH_MEMORY (E_OUTOFMEMORY) and MAPI_E_CALL_FAILED (E_FAIL). */
#define FAULT_HR_NOT_ENOUGH_MEMORY 0x8007000Eu
#define FAULT_HR_CALL_FAILED       0x80004005u

/* The most entries in one scenario's host.faults. */
#define FAULT_MAX_SPECS 16
/* `to` of a range without an end. */
#define FAULT_TO_END 0xFFFFFFFFu

/* X(identifier, name, allocator): allocator services answer
 * MAPI_E_NOT_ENOUGH_MEMORY by default, the others MAPI_E_CALL_FAILED. */
#define FAULT_SERVICES(X)                            \
    X(MAPI_ALLOCATE_BUFFER, "MAPIAllocateBuffer", 1) \
    X(MAPI_ALLOCATE_MORE, "MAPIAllocateMore", 1)     \
    X(MAPI_FREE_BUFFER, "MAPIFreeBuffer", 1)         \
    X(MALLOC_ALLOC, "IMalloc::Alloc", 1)             \
    X(MALLOC_REALLOC, "IMalloc::Realloc", 1)         \
    X(MALLOC_GET_SIZE, "IMalloc::GetSize", 1)        \
    X(MALLOC_DID_ALLOC, "IMalloc::DidAlloc", 1)      \
    FAULT_SUPPORT_SERVICES(X)                        \
    FAULT_SESSION_SERVICES(X)                        \
    FAULT_PROFSECT_SERVICES(X)

/* In vtable order (mapispi.h, MAPI_IMAPISUPPORT_METHODS1..3). */
#define FAULT_SUPPORT_SERVICES(X)                                            \
    X(SUP_GET_LAST_ERROR, "IMAPISupport::GetLastError", 0)                   \
    X(SUP_GET_MEM_ALLOC_ROUTINES, "IMAPISupport::GetMemAllocRoutines", 0)    \
    X(SUP_SUBSCRIBE, "IMAPISupport::Subscribe", 0)                           \
    X(SUP_UNSUBSCRIBE, "IMAPISupport::Unsubscribe", 0)                       \
    X(SUP_NOTIFY, "IMAPISupport::Notify", 0)                                 \
    X(SUP_MODIFY_STATUS_ROW, "IMAPISupport::ModifyStatusRow", 0)             \
    X(SUP_OPEN_PROFILE_SECTION, "IMAPISupport::OpenProfileSection", 0)       \
    X(SUP_REGISTER_PREPROCESSOR, "IMAPISupport::RegisterPreprocessor", 0)    \
    X(SUP_NEW_UID, "IMAPISupport::NewUID", 0)                                \
    X(SUP_MAKE_INVALID, "IMAPISupport::MakeInvalid", 0)                      \
    X(SUP_SPOOLER_YIELD, "IMAPISupport::SpoolerYield", 0)                    \
    X(SUP_SPOOLER_NOTIFY, "IMAPISupport::SpoolerNotify", 0)                  \
    X(SUP_CREATE_ONE_OFF, "IMAPISupport::CreateOneOff", 0)                   \
    X(SUP_SET_PROVIDER_UID, "IMAPISupport::SetProviderUID", 0)               \
    X(SUP_COMPARE_ENTRY_IDS, "IMAPISupport::CompareEntryIDs", 0)             \
    X(SUP_OPEN_TEMPLATE_ID, "IMAPISupport::OpenTemplateID", 0)               \
    X(SUP_OPEN_ENTRY, "IMAPISupport::OpenEntry", 0)                          \
    X(SUP_GET_ONE_OFF_TABLE, "IMAPISupport::GetOneOffTable", 0)              \
    X(SUP_ADDRESS, "IMAPISupport::Address", 0)                               \
    X(SUP_DETAILS, "IMAPISupport::Details", 0)                               \
    X(SUP_NEW_ENTRY, "IMAPISupport::NewEntry", 0)                            \
    X(SUP_DO_CONFIG_PROPSHEET, "IMAPISupport::DoConfigPropsheet", 0)         \
    X(SUP_COPY_MESSAGES, "IMAPISupport::CopyMessages", 0)                    \
    X(SUP_COPY_FOLDER, "IMAPISupport::CopyFolder", 0)                        \
    X(SUP_DO_COPY_TO, "IMAPISupport::DoCopyTo", 0)                           \
    X(SUP_DO_COPY_PROPS, "IMAPISupport::DoCopyProps", 0)                     \
    X(SUP_DO_PROGRESS_DIALOG, "IMAPISupport::DoProgressDialog", 0)           \
    X(SUP_READ_RECEIPT, "IMAPISupport::ReadReceipt", 0)                      \
    X(SUP_PREPARE_SUBMIT, "IMAPISupport::PrepareSubmit", 0)                  \
    X(SUP_EXPAND_RECIPS, "IMAPISupport::ExpandRecips", 0)                    \
    X(SUP_UPDATE_PAB, "IMAPISupport::UpdatePAB", 0)                          \
    X(SUP_DO_SENT_MAIL, "IMAPISupport::DoSentMail", 0)                       \
    X(SUP_OPEN_ADDRESS_BOOK, "IMAPISupport::OpenAddressBook", 0)             \
    X(SUP_PREPROCESS, "IMAPISupport::Preprocess", 0)                         \
    X(SUP_COMPLETE_MSG, "IMAPISupport::CompleteMsg", 0)                      \
    X(SUP_STORE_LOGOFF_TRANSPORTS, "IMAPISupport::StoreLogoffTransports", 0) \
    X(SUP_STATUS_RECIPS, "IMAPISupport::StatusRecips", 0)                    \
    X(SUP_WRAP_STORE_ENTRY_ID, "IMAPISupport::WrapStoreEntryID", 0)          \
    X(SUP_MODIFY_PROFILE, "IMAPISupport::ModifyProfile", 0)                  \
    X(SUP_ISTORAGE_FROM_STREAM, "IMAPISupport::IStorageFromStream", 0)       \
    X(SUP_GET_SVC_CONFIG_SUPPORT_OBJ, "IMAPISupport::GetSvcConfigSupportObj", 0)

/* In vtable order (mapix.h, MAPI_IMAPISESSION_METHODS). */
#define FAULT_SESSION_SERVICES(X)                                               \
    X(SES_GET_LAST_ERROR, "IMAPISession::GetLastError", 0)                      \
    X(SES_GET_MSG_STORES_TABLE, "IMAPISession::GetMsgStoresTable", 0)           \
    X(SES_OPEN_MSG_STORE, "IMAPISession::OpenMsgStore", 0)                      \
    X(SES_OPEN_ADDRESS_BOOK, "IMAPISession::OpenAddressBook", 0)                \
    X(SES_OPEN_PROFILE_SECTION, "IMAPISession::OpenProfileSection", 0)          \
    X(SES_GET_STATUS_TABLE, "IMAPISession::GetStatusTable", 0)                  \
    X(SES_OPEN_ENTRY, "IMAPISession::OpenEntry", 0)                             \
    X(SES_COMPARE_ENTRY_IDS, "IMAPISession::CompareEntryIDs", 0)                \
    X(SES_ADVISE, "IMAPISession::Advise", 0)                                    \
    X(SES_UNADVISE, "IMAPISession::Unadvise", 0)                                \
    X(SES_MESSAGE_OPTIONS, "IMAPISession::MessageOptions", 0)                   \
    X(SES_QUERY_DEFAULT_MESSAGE_OPT, "IMAPISession::QueryDefaultMessageOpt", 0) \
    X(SES_ENUM_ADR_TYPES, "IMAPISession::EnumAdrTypes", 0)                      \
    X(SES_QUERY_IDENTITY, "IMAPISession::QueryIdentity", 0)                     \
    X(SES_LOGOFF, "IMAPISession::Logoff", 0)                                    \
    X(SES_SET_DEFAULT_STORE, "IMAPISession::SetDefaultStore", 0)                \
    X(SES_ADMIN_SERVICES, "IMAPISession::AdminServices", 0)                     \
    X(SES_SHOW_FORM, "IMAPISession::ShowForm", 0)                               \
    X(SES_PREPARE_FORM, "IMAPISession::PrepareForm", 0)

/* In vtable order (mapidefs.h, MAPI_IMAPIPROP_METHODS). */
#define FAULT_PROFSECT_SERVICES(X)                            \
    X(PS_GET_LAST_ERROR, "IProfSect::GetLastError", 0)        \
    X(PS_SAVE_CHANGES, "IProfSect::SaveChanges", 0)           \
    X(PS_GET_PROPS, "IProfSect::GetProps", 0)                 \
    X(PS_GET_PROP_LIST, "IProfSect::GetPropList", 0)          \
    X(PS_OPEN_PROPERTY, "IProfSect::OpenProperty", 0)         \
    X(PS_SET_PROPS, "IProfSect::SetProps", 0)                 \
    X(PS_DELETE_PROPS, "IProfSect::DeleteProps", 0)           \
    X(PS_COPY_TO, "IProfSect::CopyTo", 0)                     \
    X(PS_COPY_PROPS, "IProfSect::CopyProps", 0)               \
    X(PS_GET_NAMES_FROM_IDS, "IProfSect::GetNamesFromIDs", 0) \
    X(PS_GET_IDS_FROM_NAMES, "IProfSect::GetIDsFromNames", 0)

#define FAULT_ENUM_ENTRY(id, name, alloc) FAULT_SVC_##id,
enum fault_service { FAULT_SERVICES(FAULT_ENUM_ENTRY) FAULT_SERVICE_COUNT };
#undef FAULT_ENUM_ENTRY

/* One entry of host.faults: calls from..to (1-based, inclusive; to may be
 * FAULT_TO_END) of service answer hresult. */
struct fault_spec {
    uint32_t service; /* enum fault_service */
    uint32_t from, to;
    uint32_t hresult;
};

/* The service's name ("IMAPISupport::OpenProfileSection"), or NULL. */
const char *fault_service_name(uint32_t service);

/* The service named by the len bytes at name (exact, case-sensitive), or -1. */
int fault_service_find(const char *name, size_t len);

/* The valid name closest to the len bytes at name, for "did you mean": one
 * whose method part (after "::") is name, else the one at the smallest edit
 * distance, ignoring case. Never NULL. */
const char *fault_service_nearest(const char *name, size_t len);

/* MAPI_E_NOT_ENOUGH_MEMORY for allocators, MAPI_E_CALL_FAILED otherwise. */
uint32_t fault_service_default_hr(uint32_t service);

/* Is the call-th call (1-based) of its service one the entry fails? */
int fault_spec_covers(const struct fault_spec *f, uint32_t call);

#endif /* SYNCHOST_FAULTS_H */
