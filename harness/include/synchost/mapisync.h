/*
 * synchost/mapisync.h: the Outlook background-sync interfaces that no public
 * MAPI header declares: MAPISIB, IMAPISync, IMAPISyncProgressCallback, their
 * IIDs and the SYNC_* flags. Usable from C and C++, by the harness and by
 * provider authors. Everything else comes from mingw-w64's (or the Windows
 * SDK's) mapidefs.h, mapispi.h and mapix.h.
 *
 * Source: Outlook MAPI reference, "IMAPISync::SynchronizeInBackground",
 * "MAPISIB", "IMAPISyncProgressCallback" and "MAPI constants" pages
 * (Outlook 2010 and later). The field order of MAPISIB is the ABI.
 *
 * Also IMAPIProviderShutdown, the fast-shutdown interface a provider object
 * (IMSProvider) may expose ("IMAPIProviderShutdown : IUnknown" and its three
 * method pages): mapidefs.h of the Windows SDK declares it, mingw-w64's does
 * not.
 *
 * IIDs: include this header in exactly one translation unit after
 * <initguid.h> (or define SYNCHOST_DEFINE_IIDS before including it) to emit
 * the GUID definitions; everywhere else they are declared extern.
 */
#ifndef SYNCHOST_MAPISYNC_H
#define SYNCHOST_MAPISYNC_H

#ifdef SYNCHOST_DEFINE_IIDS
#include <initguid.h>
#endif
#include <windows.h>
#include <objbase.h>
#include <mapidefs.h>
#include <mapix.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ulFlags of MAPISIB ("MAPISIB" page and "MAPI constants" page). The values
 * are bits; the harness treats combinations as valid. */
#define SYNC_UPLOAD_HIERARCHY   ((ULONG)0x00000001)
#define SYNC_DOWNLOAD_HIERARCHY ((ULONG)0x00000002)
#define SYNC_UPLOAD_CONTENTS    ((ULONG)0x00000040)
#define SYNC_DOWNLOAD_CONTENTS  ((ULONG)0x00000080)
#define SYNC_OUTGOING_MAIL      ((ULONG)0x00000200) /* documented as not currently in use */
#define SYNC_BACKGROUND         ((ULONG)0x00001000)
#define SYNC_THESE_FOLDERS      ((ULONG)0x00020000)
#define SYNC_GLOBAL_HEADERS     ((ULONG)0x02000000) /* headers only */
#define SYNC_HEADERS            SYNC_GLOBAL_HEADERS /* the constants page's spelling */
#define SYNC_ON_DEMAND          ((ULONG)0x20000000) /* user-initiated, higher priority */

typedef struct _MAPISIB {
    ULONG ulSize;            /* size of this structure */
    ULONG ulFlags;           /* SYNC_* bits */
    LPMAPISESSION psesSync;  /* [in] the MAPI session */
    LPUNKNOWN punkCallBack;  /* [in] QueryInterface it for IMAPISyncProgressCallback */
    HANDLE *phSyncDoneEvent; /* [out] the provider stores an event signaled when its sync ends */
} MAPISIB, *PMAPISIB;

/* {5024a385-2d44-486a-81a8-8f0ecb6071dd} */
DEFINE_GUID(IID_IMAPISync, 0x5024a385, 0x2d44, 0x486a, 0x81, 0xa8, 0x8f, 0x0e, 0xcb, 0x60, 0x71,
            0xdd);
/* {5024a386-2d44-486a-81a8-8f0ecb6071dd} */
DEFINE_GUID(IID_IMAPISyncProgressCallback, 0x5024a386, 0x2d44, 0x486a, 0x81, 0xa8, 0x8f, 0x0e, 0xcb,
            0x60, 0x71, 0xdd);

/* {00020398-0000-0000-C000-000000000046}: MAPI's OLE GUID range, as
 * Microsoft's MAPIGUID.H defines it (DEFINE_OLEGUID(..., 0x00020398, 0, 0)). */
DEFINE_GUID(IID_IMAPIProviderShutdown, 0x00020398, 0x0000, 0x0000, 0xc0, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x46);

#undef INTERFACE
#define INTERFACE IMAPISync
DECLARE_INTERFACE_(IMAPISync, IUnknown)
{
    BEGIN_INTERFACE
    STDMETHOD(QueryInterface)(THIS_ REFIID riid, void **ppv) PURE;
    STDMETHOD_(ULONG, AddRef)(THIS) PURE;
    STDMETHOD_(ULONG, Release)(THIS) PURE;
    /* Documented return: S_OK. The sync runs on a thread the provider creates;
     * *psibpb->phSyncDoneEvent receives an event signaled when it completes. */
    STDMETHOD(SynchronizeInBackground)(THIS_ PMAPISIB psibpb) PURE;
    END_INTERFACE
};
#undef INTERFACE
typedef IMAPISync *LPMAPISYNC;

#define INTERFACE IMAPISyncProgressCallback
DECLARE_INTERFACE_(IMAPISyncProgressCallback, IUnknown)
{
    BEGIN_INTERFACE
    STDMETHOD(QueryInterface)(THIS_ REFIID riid, void **ppv) PURE;
    STDMETHOD_(ULONG, AddRef)(THIS) PURE;
    STDMETHOD_(ULONG, Release)(THIS) PURE;
    /* Periodic status for the Send/Receive dialog; pwcszProgress may be NULL. */
    STDMETHOD(Progress)(THIS_ const WCHAR *pwcszProgress, ULONG ulIndex, ULONG ulIndexMax) PURE;
    /* An error or warning to display. */
    STDMETHOD(Error)(THIS_ HRESULT hResult, const WCHAR *pwcszErrorStr) PURE;
    /* Sync complete; hThreadDoneEvent (may be NULL) is handed back so that the
     * host can close it; hResult is the final status. */
    STDMETHOD(Done)(THIS_ HANDLE hThreadDoneEvent, HRESULT hResult) PURE;
    END_INTERFACE
};
#undef INTERFACE
typedef IMAPISyncProgressCallback *LPMAPISYNCPROGRESSCALLBACK;

/* Exposed by the provider object (IMSProvider, IABProvider, IXPProvider),
 * called by MAPI when its client (Outlook) shuts down fast: QueryFastShutdown
 * first, then, if every provider agreed, NotifyProcessShutdown and
 * DoFastShutdown; after that the client's process exits with no Logoff,
 * no Release and no FreeLibrary. */
#define INTERFACE IMAPIProviderShutdown
DECLARE_INTERFACE_(IMAPIProviderShutdown, IUnknown)
{
    BEGIN_INTERFACE
    STDMETHOD(QueryInterface)(THIS_ REFIID riid, void **ppv) PURE;
    STDMETHOD_(ULONG, AddRef)(THIS) PURE;
    STDMETHOD_(ULONG, Release)(THIS) PURE;
    /* S_OK: fast shutdown is supported; MAPI_E_NO_SUPPORT: it is not (the
     * client then shuts down the long way: logoff and release). */
    STDMETHOD(QueryFastShutdown)(THIS) PURE;
    /* The client is about to shut down fast: take the steps that keep data
     * from being lost. Documented return: S_OK. */
    STDMETHOD(NotifyProcessShutdown)(THIS) PURE;
    /* The client exits now: changes are to be persisted before this returns.
     * Documented return: S_OK ("ready for the MAPI client to exit
     * immediately"). */
    STDMETHOD(DoFastShutdown)(THIS) PURE;
    END_INTERFACE
};
#undef INTERFACE
typedef IMAPIProviderShutdown *LPMAPIPROVIDERSHUTDOWN;

#if !defined(__cplusplus) || defined(CINTERFACE)
#define IMAPISync_QueryInterface(p, a, b)                 (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPISync_AddRef(p)                               (p)->lpVtbl->AddRef(p)
#define IMAPISync_Release(p)                              (p)->lpVtbl->Release(p)
#define IMAPISync_SynchronizeInBackground(p, a)           (p)->lpVtbl->SynchronizeInBackground(p, a)
#define IMAPISyncProgressCallback_QueryInterface(p, a, b) (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPISyncProgressCallback_AddRef(p)               (p)->lpVtbl->AddRef(p)
#define IMAPISyncProgressCallback_Release(p)              (p)->lpVtbl->Release(p)
#define IMAPISyncProgressCallback_Progress(p, a, b, c)    (p)->lpVtbl->Progress(p, a, b, c)
#define IMAPISyncProgressCallback_Error(p, a, b)          (p)->lpVtbl->Error(p, a, b)
#define IMAPISyncProgressCallback_Done(p, a, b)           (p)->lpVtbl->Done(p, a, b)
#define IMAPIProviderShutdown_QueryInterface(p, a, b)     (p)->lpVtbl->QueryInterface(p, a, b)
#define IMAPIProviderShutdown_AddRef(p)                   (p)->lpVtbl->AddRef(p)
#define IMAPIProviderShutdown_Release(p)                  (p)->lpVtbl->Release(p)
#define IMAPIProviderShutdown_QueryFastShutdown(p)        (p)->lpVtbl->QueryFastShutdown(p)
#define IMAPIProviderShutdown_NotifyProcessShutdown(p)    (p)->lpVtbl->NotifyProcessShutdown(p)
#define IMAPIProviderShutdown_DoFastShutdown(p)           (p)->lpVtbl->DoFastShutdown(p)
#endif

#ifdef __cplusplus
}
#endif

#endif /* SYNCHOST_MAPISYNC_H */
