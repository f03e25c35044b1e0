/*
 * fake_unknown.h: the IUnknown the host passes as MAPISIB.punkCallBack when a
 * scenario says `sync.callback: unknown-only`: it answers QueryInterface for
 * IID_IUnknown only (S_OK, the same pointer, AddRef'd) and E_NOINTERFACE with
 * *ppv = NULL for anything else, IID_IMAPISyncProgressCallback included. A
 * provider that asks for the callback by QueryInterface, as it should, learns
 * that there is none; one that casts the IUnknown and calls Progress reads
 * past a three-entry vtable and crashes where the report shows it.
 *
 * Recorded like every fake (fake_object.h): EVENT_QI "unknown-callback
 * {iid}", EVENT_ADDREF / EVENT_RELEASE "unknown-callback" with the count
 * after. The name differs from the real callback's ("callback") so that the
 * callback rules never mistake one for the other.
 *
 * Lifetime: created with one reference, the host's; Release never frees;
 * fake_unknown_destroy frees it once no provider thread can call any more.
 * Methods may be called concurrently from any thread. Win32 only.
 */
#ifndef SYNCHOST_FAKE_UNKNOWN_H
#define SYNCHOST_FAKE_UNKNOWN_H

#include <windows.h>
#include <unknwn.h>

/* Creates one with a count of 1. Returns S_OK, E_POINTER for a NULL out, or
 * E_OUTOFMEMORY (then *out = NULL). Records nothing. */
HRESULT fake_unknown_create(IUnknown **out);

/* Frees it whatever its count; NULL is ignored. */
void fake_unknown_destroy(IUnknown *unk);

/* The current reference count (1 = only the host's). */
LONG fake_unknown_refs(IUnknown *unk);

#endif /* SYNCHOST_FAKE_UNKNOWN_H */
