// sync_job.cpp: the background sync thread.
#include "sync_job.h"

#include <cwchar>
#include <new>

namespace cxxprov {

constexpr ULONG kSteps = 5;      // Progress steps, "folders", per sync
constexpr DWORD kStepMs = 5;     // the "work" between steps
constexpr size_t kTextLen = 64;  // room for "Synchronizing folder N of M"

// Read through a volatile pointer so the compiler emits a real load from
// address 0 (an access violation), not a trap instruction.
static int *volatile g_nowhere = nullptr;

SyncJob::SyncJob(Store *store) : m_store(store)
{
    static_cast<IMsgStore *>(m_store)->AddRef();
}

SyncJob::~SyncJob()
{
    if (m_callback != nullptr) {
        m_callback->Release();
    }
    if (m_event != nullptr) {
        CloseHandle(m_event);
    }
    if (thread != nullptr) {
        CloseHandle(thread);
    }
    static_cast<IMsgStore *>(m_store)->Release();
}

HRESULT SyncJob::Start(Store *store, const MAPISIB &sib, HANDLE *hostEvent, bool keepEvent)
{
    auto *job = new (std::nothrow) SyncJob(store);
    if (job == nullptr) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    const HANDLE self = GetCurrentProcess();
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    if (event == nullptr) {
        delete job;
        return HRESULT_FROM_WIN32(::GetLastError());
    }
    if (kDefect == Defect::NoDoneEvent || keepEvent) {
        // Defect no-done-event (or no place for it): the host is never given
        // the event. The job keeps it as its own and passes NULL to Done.
        job->m_event = event;
        event = nullptr;
    } else if (!DuplicateHandle(self, event, self, &job->m_event, 0, FALSE,
                                DUPLICATE_SAME_ACCESS)) {
        HRESULT hr = HRESULT_FROM_WIN32(::GetLastError());
        CloseHandle(event);
        delete job;
        return hr;
    }
    job->m_hostEvent = event;

    // The DLL must stay loaded while the thread runs, whatever the host does.
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
                            reinterpret_cast<LPCWSTR>(&SyncJob::ThreadProc), &job->m_module)) {
        HRESULT hr = HRESULT_FROM_WIN32(::GetLastError());
        if (event != nullptr) {
            CloseHandle(event);
        }
        delete job;
        return hr;
    }
    job->thread = CreateThread(nullptr, 0, &SyncJob::ThreadProc, job, CREATE_SUSPENDED, nullptr);
    if (job->thread == nullptr || !store->Register(job)) {
        HRESULT hr = job->thread == nullptr ? HRESULT_FROM_WIN32(::GetLastError()) : MAPI_E_BUSY;
        if (job->thread != nullptr) {
            // Never resumed, so it has run nothing and holds nothing.
            TerminateThread(job->thread, 0);
        }
        FreeLibrary(job->m_module);
        if (event != nullptr) {
            CloseHandle(event);
        }
        delete job;
        return hr;
    }

    // Only a QueryInterface, never a cast: punkCallBack is just an IUnknown.
    // No callback (NULL, or no such interface) means a silent sync.
    if (sib.punkCallBack == nullptr ||
        FAILED(sib.punkCallBack->QueryInterface(IID_IMAPISyncProgressCallback,
                                                reinterpret_cast<void **>(&job->m_callback)))) {
        job->m_callback = nullptr;
    }
    *hostEvent = event;
    ResumeThread(job->thread);
    return S_OK;
}

DWORD WINAPI SyncJob::ThreadProc(void *self)
{
    auto *job = static_cast<SyncJob *>(self);
    const HMODULE module = job->m_module;
    job->Finish(job->Run());
    delete job;  // may drop the store's last reference
    FreeLibraryAndExitThread(module, 0);
}

HRESULT SyncJob::Run()
{
    // The classic off-by-one of defect progress-overshoot: `<=` one step too far.
    constexpr ULONG kLast = kDefect == Defect::ProgressOvershoot ? kSteps + 1 : kSteps;
    const HANDLE stop = m_store->StopEvent();
    wchar_t text[kTextLen];

    for (ULONG folder = 1; folder <= kLast; folder++) {
        if (WaitForSingleObject(stop, 0) == WAIT_OBJECT_0) {
            return MAPI_E_END_OF_SESSION;
        }
        if (m_callback != nullptr) {
            swprintf(text, kTextLen, L"Synchronizing folder %lu of %lu", folder, kSteps);
            if (m_callback->Progress(text, folder, kSteps) == MAPI_E_USER_CANCEL) {
                return MAPI_E_USER_CANCEL;
            }
        }
        if constexpr (kDefect == Defect::CrashOnThread) {
            *g_nowhere = 1;
        }
        if (folder < kLast && WaitForSingleObject(stop, kStepMs) == WAIT_OBJECT_0) {
            return MAPI_E_END_OF_SESSION;
        }
    }
    return S_OK;
}

void SyncJob::Finish(HRESULT hr)
{
    if constexpr (kDefect == Defect::SignalBeforeDone) {
        // Defect signal-before-done: the host may act on the event (close
        // it, tear down) before Done arrives.
        SetEvent(m_event);
    }
    if (m_callback != nullptr) {
        if constexpr (kDefect != Defect::DoneNever) {
            m_callback->Done(m_hostEvent, hr);
        }
        if constexpr (kDefect == Defect::DoneTwice) {
            m_callback->Done(m_hostEvent, hr);
        }
        if constexpr (kDefect == Defect::ProgressAfterDone) {
            m_callback->Progress(L"Synchronization complete", kSteps, kSteps);
        }
        // Balanced before the host wakes on the event.
        m_callback->Release();
        m_callback = nullptr;
    }
    // Out of the store's list (and the thread handle closed) before the
    // event: once the host wakes, this job makes no more calls to it.
    m_store->Unregister(this);
    if constexpr (kDefect != Defect::NeverSignals && kDefect != Defect::SignalBeforeDone) {
        SetEvent(m_event);
    }
    CloseHandle(m_event);
    m_event = nullptr;
}

}  // namespace cxxprov
