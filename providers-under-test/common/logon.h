/*
 * logon.h: the IMSLogon object IMSProvider::Logon hands out next to the store.
 *
 * It keeps an AddRef'd reference on the host's support object until Logoff
 * (MAPI's IMSLogon::Logoff page: the provider releases the support object
 * there) and a reference on the store until its own final Release. Logoff
 * stops the store's running syncs and waits for them, bounded by
 * LOGON_LOGOFF_WAIT_MS, so that no callback reaches the host after Logoff
 * returns unless a sync thread is stuck past that bound.
 *
 * Threading: free-threaded; Interlocked refcount.
 */
#ifndef PROVIDER_LOGON_H
#define PROVIDER_LOGON_H

#include <windows.h>
#include <mapispi.h>

#define LOGON_LOGOFF_WAIT_MS 2000

/* A new logon with one reference for the caller; AddRefs support and store. */
HRESULT logon_create(IMAPISupport *support, IMsgStore *store, IMSLogon **out);

#endif /* PROVIDER_LOGON_H */
