// store.cpp: the Store class, IMsgStore and IMAPISync on one object.
#include "provider.h"

#include <new>

#include "sync_job.h"

namespace cxxprov {

HRESULT Store::Create(const Allocators &alloc, Store **out)
{
    *out = nullptr;
    auto *store = new (std::nothrow) Store();
    if (store == nullptr) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    store->m_alloc = alloc;
    store->m_stopEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    if (store->m_stopEvent == nullptr) {
        delete store;
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *out = store;
    return S_OK;
}

// Runs at the last Release; every running job holds a reference, so none is
// left.
Store::~Store()
{
    // Defect leaks-handle: the stop event outlives the store.
    if (m_stopEvent != nullptr && kDefect != Defect::LeaksHandle) {
        CloseHandle(m_stopEvent);
    }
}

// What QueryInterface answers (ComObject), for both bases: IID_IUnknown
// always answers the IMsgStore pointer, so the store has one identity
// whichever interface is asked.
void *Store::InterfaceFor(REFIID riid)
{
    if (riid == IID_IUnknown || riid == IID_IMAPIProp || riid == IID_IMsgStore) {
        return static_cast<IMsgStore *>(this);
    }
    if (riid == IID_IMAPISync && kDefect != Defect::NoIMAPISync) {
        return static_cast<IMAPISync *>(this);
    }
    return nullptr;
}

// IMAPISync. Each call runs its own sync; a second call while one runs gets
// its own event, progress and Done.
STDMETHODIMP Store::SynchronizeInBackground(PMAPISIB psibpb)
{
    if (psibpb == nullptr) {
        return E_INVALIDARG;
    }
    if (psibpb->ulSize < sizeof(MAPISIB)) {
        return MAPI_E_INVALID_PARAMETER;  // and phSyncDoneEvent may lie past the end
    }
    if (psibpb->phSyncDoneEvent == nullptr) {
        if constexpr (kDefect == Defect::AcceptsNullDonePtr) {
            // Defect accepts-null-done-ptr: nowhere to hand the event, and
            // S_OK all the same.
            HANDLE unused = nullptr;
            return SyncJob::Start(this, *psibpb, &unused, true);
        }
        return E_INVALIDARG;
    }
    *psibpb->phSyncDoneEvent = nullptr;
    if (WaitForSingleObject(m_stopEvent, 0) == WAIT_OBJECT_0) {
        return MAPI_E_END_OF_SESSION;
    }
    // ulFlags: every documented bit is a kind of sync this store does the
    // same way, and unknown bits are ignored.
    return SyncJob::Start(this, *psibpb, psibpb->phSyncDoneEvent, false);
}

bool Store::Register(SyncJob *job)
{
    Guard guard(m_lock);
    if (m_jobCount >= MAXIMUM_WAIT_OBJECTS) {
        return false;
    }
    job->next = m_jobs;
    m_jobs = job;
    m_jobCount++;
    return true;
}

void Store::Unregister(SyncJob *job)
{
    Guard guard(m_lock);
    for (SyncJob **link = &m_jobs; *link != nullptr; link = &(*link)->next) {
        if (*link == job) {
            *link = job->next;
            m_jobCount--;
            break;
        }
    }
    CloseHandle(job->thread);
    job->thread = nullptr;
}

void Store::StopSyncs(DWORD timeoutMs)
{
    SetEvent(m_stopEvent);

    HANDLE threads[MAXIMUM_WAIT_OBJECTS];
    DWORD count = 0;
    {
        Guard guard(m_lock);
        const HANDLE self = GetCurrentProcess();
        for (SyncJob *job = m_jobs; job != nullptr && count < MAXIMUM_WAIT_OBJECTS;
             job = job->next) {
            // Never wait for ourselves (a Logoff from inside a callback).
            if (GetThreadId(job->thread) != GetCurrentThreadId() &&
                DuplicateHandle(self, job->thread, self, &threads[count], SYNCHRONIZE, FALSE, 0)) {
                count++;
            }
        }
    }
    if (count > 0) {
        WaitForMultipleObjects(count, threads, TRUE, timeoutMs);
    }
    for (DWORD i = 0; i < count; i++) {
        CloseHandle(threads[i]);
    }
}

// IMAPIProp. No further information: a NULL MAPIERROR is the documented answer.
STDMETHODIMP Store::GetLastError(HRESULT, ULONG, LPMAPIERROR *lppMAPIError)
{
    if (lppMAPIError == nullptr) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *lppMAPIError = nullptr;
    return S_OK;
}

// The rest of IMAPIProp and IMsgStore: not needed for a background sync.
STDMETHODIMP Store::SaveChanges(ULONG)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::GetProps(LPSPropTagArray, ULONG, ULONG *, LPSPropValue *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::GetPropList(ULONG, LPSPropTagArray *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::OpenProperty(ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::SetProps(ULONG, LPSPropValue, LPSPropProblemArray *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::DeleteProps(LPSPropTagArray, LPSPropProblemArray *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::CopyTo(ULONG, LPCIID, LPSPropTagArray, ULONG, LPMAPIPROGRESS, LPCIID, LPVOID,
                           ULONG, LPSPropProblemArray *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::CopyProps(LPSPropTagArray, ULONG, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG,
                              LPSPropProblemArray *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::GetNamesFromIDs(LPSPropTagArray *, LPGUID, ULONG, ULONG *, LPMAPINAMEID **)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::GetIDsFromNames(ULONG, LPMAPINAMEID *, ULONG, LPSPropTagArray *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::Advise(ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::Unadvise(ULONG)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::CompareEntryIDs(ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::OpenEntry(ULONG, LPENTRYID, LPCIID, ULONG, ULONG *, LPUNKNOWN *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::SetReceiveFolder(LPTSTR, ULONG, ULONG, LPENTRYID)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::GetReceiveFolder(LPTSTR, ULONG, ULONG *, LPENTRYID *, LPTSTR *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::GetReceiveFolderTable(ULONG, LPMAPITABLE *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::StoreLogoff(ULONG *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::AbortSubmit(ULONG, LPENTRYID, ULONG)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::GetOutgoingQueue(ULONG, LPMAPITABLE *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::SetLockState(LPMESSAGE, ULONG)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::FinishedMsg(ULONG, ULONG, LPENTRYID)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Store::NotifyNewMail(LPNOTIFICATION)
{
    return MAPI_E_NO_SUPPORT;
}

}  // namespace cxxprov
