// provider.h: the classes of the C++ store provider.
//
// A stand-in for a provider this project did not write: most real MAPI store
// providers are C++ classes like these. It shares no code with common/ and
// includes only Windows/MAPI headers and the public synchost/mapisync.h.
//
//   Provider : IMSProvider            one per MSProviderInit call
//   Logon    : IMSLogon               holds the support object until Logoff
//   Store    : IMsgStore, IMAPISync   one object, one IUnknown identity
//   SyncJob                           one per SynchronizeInBackground call,
//                                     runs on its own thread
//
// All objects are free-threaded with Interlocked reference counts.
#pragma once

#include <windows.h>
#include <mapispi.h>
#include <mapicode.h>
#include <mapiguid.h>
#include <synchost/mapisync.h>

#include "defect.h"

namespace cxxprov {

// The host's MAPI allocators as MSProviderInit received them.
struct Allocators {
    LPALLOCATEBUFFER allocateBuffer;
    LPALLOCATEMORE allocateMore;
    LPFREEBUFFER freeBuffer;
};

class CriticalSection {
public:
    CriticalSection() { InitializeCriticalSection(&m_cs); }
    ~CriticalSection() { DeleteCriticalSection(&m_cs); }
    CriticalSection(const CriticalSection &) = delete;
    CriticalSection &operator=(const CriticalSection &) = delete;
    void Enter() { EnterCriticalSection(&m_cs); }
    void Leave() { LeaveCriticalSection(&m_cs); }

private:
    CRITICAL_SECTION m_cs;
};

class Guard {
public:
    explicit Guard(CriticalSection &cs) : m_cs(cs) { m_cs.Enter(); }
    ~Guard() { m_cs.Leave(); }
    Guard(const Guard &) = delete;
    Guard &operator=(const Guard &) = delete;

private:
    CriticalSection &m_cs;
};

// IUnknown for a class T deriving from the interfaces Ifaces...: an
// Interlocked reference count starting at 1 (the creator's), the object
// deleted when it drops to 0, and QueryInterface answering the pointer
// T::InterfaceFor(riid) returns (nullptr for an interface it does not have).
// T befriends its ComObject, which reaches T's private destructor and
// InterfaceFor.
template <class T, class... Ifaces>
class ComObject : public Ifaces... {
public:
    STDMETHODIMP QueryInterface(REFIID riid, LPVOID *ppvObj) override
    {
        if (ppvObj == nullptr) {
            return E_POINTER;
        }
        *ppvObj = static_cast<T *>(this)->InterfaceFor(riid);
        if (*ppvObj == nullptr) {
            return E_NOINTERFACE;
        }
        AddRef();
        return S_OK;
    }

    STDMETHODIMP_(ULONG) AddRef() override
    {
        return static_cast<ULONG>(InterlockedIncrement(&m_refs));
    }

    STDMETHODIMP_(ULONG) Release() override
    {
        LONG refs = InterlockedDecrement(&m_refs);
        if (refs == 0) {
            delete static_cast<T *>(this);
        }
        return static_cast<ULONG>(refs);
    }

private:
    LONG m_refs = 1;
};

class SyncJob;

class Store final : public ComObject<Store, IMsgStore, IMAPISync> {
public:
    static HRESULT Create(const Allocators &alloc, Store **out);

    MAPI_IMAPIPROP_METHODS(override)
    MAPI_IMSGSTORE_METHODS(override)
    // IMAPISync
    STDMETHOD(SynchronizeInBackground)(PMAPISIB psibpb) override;

    // For Logon::Logoff: ask every running sync to stop and wait for their
    // threads, at most timeoutMs. Later syncs fail with MAPI_E_END_OF_SESSION.
    void StopSyncs(DWORD timeoutMs);

    // For SyncJob.
    HANDLE StopEvent() const { return m_stopEvent; }
    bool Register(SyncJob *job);
    void Unregister(SyncJob *job);

private:
    friend ComObject;

    Store() = default;
    ~Store();
    void *InterfaceFor(REFIID riid);

    Allocators m_alloc{};
    HANDLE m_stopEvent = nullptr;  // manual reset, set once by StopSyncs
    CriticalSection m_lock;        // guards m_jobs, m_jobCount
    SyncJob *m_jobs = nullptr;
    ULONG m_jobCount = 0;
};

class Logon final : public ComObject<Logon, IMSLogon> {
public:
    Logon(IMAPISupport *support, Store *store);

    MAPI_IMSLOGON_METHODS(override)

private:
    friend ComObject;

    ~Logon();
    void *InterfaceFor(REFIID riid);

    IMAPISupport *m_support;  // AddRef'd; released by Logoff or the destructor
    Store *m_store;           // AddRef'd
};

// IMAPIProviderShutdown is answered by QueryInterface only in the
// fast-shutdown-query-fails build (defect.h).
class Provider final : public ComObject<Provider, IMSProvider, IMAPIProviderShutdown> {
public:
    explicit Provider(const Allocators &alloc) : m_alloc(alloc) {}

    MAPI_IMSPROVIDER_METHODS(override)
    STDMETHOD(QueryFastShutdown)() override;
    STDMETHOD(NotifyProcessShutdown)() override;
    STDMETHOD(DoFastShutdown)() override;

private:
    friend ComObject;

    ~Provider() = default;
    void *InterfaceFor(REFIID riid);

    Allocators m_alloc;
};

}  // namespace cxxprov
