// provider.cpp: MSProviderInit and the Provider class (IMSProvider).
#include "provider.h"

#include <new>

namespace cxxprov {

void *Provider::InterfaceFor(REFIID riid)
{
    if (riid == IID_IUnknown || riid == IID_IMSProvider) {
        return static_cast<IMSProvider *>(this);
    }
    if (kDefect == Defect::FastShutdownQueryFails && riid == IID_IMAPIProviderShutdown) {
        return static_cast<IMAPIProviderShutdown *>(this);
    }
    return nullptr;
}

STDMETHODIMP Provider::Shutdown(ULONG *)
{
    return S_OK;
}

// The defect: "not implemented" where the page documents S_OK or
// MAPI_E_NO_SUPPORT.
STDMETHODIMP Provider::QueryFastShutdown()
{
    return E_NOTIMPL;
}

STDMETHODIMP Provider::NotifyProcessShutdown()
{
    return S_OK;
}

STDMETHODIMP Provider::DoFastShutdown()
{
    return S_OK;
}

STDMETHODIMP Provider::Logon(LPMAPISUP lpMAPISup, ULONG, LPTSTR, ULONG, LPENTRYID, ULONG,
                             LPCIID lpInterface, ULONG *lpcbSpoolSecurity,
                             LPBYTE *lppbSpoolSecurity, LPMAPIERROR *lppMAPIError,
                             LPMSLOGON *lppMSLogon, LPMDB *lppMDB)
{
    if (lppMSLogon == nullptr || lppMDB == nullptr) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *lppMSLogon = nullptr;
    *lppMDB = nullptr;
    if (lpcbSpoolSecurity != nullptr) {
        *lpcbSpoolSecurity = 0;
    }
    if (lppbSpoolSecurity != nullptr) {
        *lppbSpoolSecurity = nullptr;
    }
    if (lppMAPIError != nullptr) {
        *lppMAPIError = nullptr;
    }
    if (lpMAPISup == nullptr) {
        return MAPI_E_INVALID_PARAMETER;
    }
    if (lpInterface != nullptr && *lpInterface != IID_IMsgStore &&
        *lpInterface != IID_IMAPIProp && *lpInterface != IID_IUnknown) {
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    }

    Store *store = nullptr;
    HRESULT hr = Store::Create(m_alloc, &store);
    if (FAILED(hr)) {
        return hr;
    }
    auto *logon = new (std::nothrow) cxxprov::Logon(lpMAPISup, store);
    if (logon == nullptr) {
        static_cast<IMsgStore *>(store)->Release();
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *lppMSLogon = logon;
    *lppMDB = store;
    return S_OK;
}

STDMETHODIMP Provider::SpoolerLogon(LPMAPISUP, ULONG, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID,
                                    ULONG, LPBYTE, LPMAPIERROR *, LPMSLOGON *, LPMDB *)
{
    return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Provider::CompareStoreIDs(ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG *)
{
    return MAPI_E_NO_SUPPORT;
}

}  // namespace cxxprov

// The DLL's one export, by this exact (undecorated, extern "C") name.
extern "C" __declspec(dllexport) HRESULT STDMAPIINITCALLTYPE
MSProviderInit(HINSTANCE, LPMALLOC, LPALLOCATEBUFFER lpAllocateBuffer,
               LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer, ULONG,
               ULONG ulMAPIVer, ULONG *lpulProviderVer, LPMSPROVIDER *lppMSProvider)
{
    if (lpulProviderVer == nullptr || lppMSProvider == nullptr) {
        return MAPI_E_INVALID_PARAMETER;
    }
    *lppMSProvider = nullptr;
    *lpulProviderVer = CURRENT_SPI_VERSION;
    if (ulMAPIVer < CURRENT_SPI_VERSION) {
        return MAPI_E_VERSION;
    }
    if (lpAllocateBuffer == nullptr || lpAllocateMore == nullptr || lpFreeBuffer == nullptr) {
        return MAPI_E_INVALID_PARAMETER;
    }
    const cxxprov::Allocators alloc{lpAllocateBuffer, lpAllocateMore, lpFreeBuffer};
    auto *provider = new (std::nothrow) cxxprov::Provider(alloc);
    if (provider == nullptr) {
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *lppMSProvider = provider;
    return S_OK;
}
