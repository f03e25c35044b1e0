// logon.cpp: the Logon class (IMSLogon).
#include "provider.h"

namespace cxxprov {

// How long Logoff waits for running syncs to wind down.
constexpr DWORD kLogoffWaitMs = 2000;

Logon::Logon(IMAPISupport *support, Store *store) : m_support(support), m_store(store)
{
    m_support->AddRef();
    static_cast<IMsgStore *>(m_store)->AddRef();
}

Logon::~Logon()
{
    if (auto *support = static_cast<IMAPISupport *>(
            InterlockedExchangePointer(reinterpret_cast<void **>(&m_support), nullptr))) {
        support->Release();
    }
    static_cast<IMsgStore *>(m_store)->Release();
}

void *Logon::InterfaceFor(REFIID riid)
{
    if (riid == IID_IUnknown || riid == IID_IMSLogon) {
        return static_cast<IMSLogon *>(this);
    }
    return nullptr;
}

STDMETHODIMP Logon::GetLastError(HRESULT, ULONG, LPMAPIERROR *lppMAPIError)
{
    if (lppMAPIError == nullptr) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *lppMAPIError = nullptr;
    return S_OK;
}

STDMETHODIMP Logon::Logoff(ULONG *)
{
    m_store->StopSyncs(kLogoffWaitMs);
    // MAPI's IMSLogon::Logoff page: the provider releases its support object here.
    if (auto *support = static_cast<IMAPISupport *>(
            InterlockedExchangePointer(reinterpret_cast<void **>(&m_support), nullptr))) {
        support->Release();
    }
    return S_OK;
}

STDMETHODIMP Logon::OpenEntry(ULONG, LPENTRYID, LPCIID, ULONG, ULONG *, LPUNKNOWN *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Logon::CompareEntryIDs(ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Logon::Advise(ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Logon::Unadvise(ULONG)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Logon::OpenStatusEntry(LPCIID, ULONG, ULONG *, LPVOID *)
{
    return MAPI_E_NO_SUPPORT;
}

}  // namespace cxxprov
