// sync_job.h: one background sync, started by Store::SynchronizeInBackground.
//
// The job owns: a reference on the store, the progress callback it got by
// QueryInterface (or none), its own duplicate of the done event (the host
// owns the original and closes it after Done), its thread, and a reference
// on this DLL that the thread drops with FreeLibraryAndExitThread.
#pragma once

#include "provider.h"

namespace cxxprov {

class SyncJob {
public:
    // Starts the sync; on S_OK *hostEvent is the event the host owns.
    // keepEvent: the host gets no event (*hostEvent is set to NULL); the job
    // signals its own and passes NULL to Done.
    static HRESULT Start(Store *store, const MAPISIB &sib, HANDLE *hostEvent, bool keepEvent);

    SyncJob *next = nullptr;  // Store's list of running jobs, under its lock
    HANDLE thread = nullptr;  // closed when the job leaves the store's list

private:
    explicit SyncJob(Store *store);
    ~SyncJob();
    SyncJob(const SyncJob &) = delete;
    SyncJob &operator=(const SyncJob &) = delete;

    static DWORD WINAPI ThreadProc(void *self);
    HRESULT Run();
    void Finish(HRESULT hr);

    Store *m_store;
    IMAPISyncProgressCallback *m_callback = nullptr;
    HANDLE m_hostEvent = nullptr;  // the value the host got, handed back to Done
    HANDLE m_event = nullptr;      // our own handle to that event
    HMODULE m_module = nullptr;
};

}  // namespace cxxprov
