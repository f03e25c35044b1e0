/*
 * store.h: the message store object: IMsgStore and IMAPISync on one object
 * with one IUnknown identity (QueryInterface for IID_IUnknown from either
 * interface gives the same pointer). Only what a sync test needs does
 * anything: IUnknown, IMAPIProp::GetLastError and
 * IMAPISync::SynchronizeInBackground (sync.h); every other method returns
 * MAPI_E_NO_SUPPORT.
 *
 * Threading: free-threaded; the refcount is Interlocked and each sync thread
 * holds a reference.
 */
#ifndef PROVIDER_STORE_H
#define PROVIDER_STORE_H

#include <windows.h>
#include <mapidefs.h>

#include "sync.h"

/* A new store with one reference for the caller. */
HRESULT store_create(const struct mapi_allocators *alloc, IMsgStore **out);

/* For IMSLogon::Logoff: stops this store's syncs and waits for them up to
 * timeout_ms (sync_stop_all). `store` must come from store_create. */
void store_stop(IMsgStore *store, DWORD timeout_ms);

#endif /* PROVIDER_STORE_H */
