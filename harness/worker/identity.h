/*
 * identity.h: COM's identity rule, checked by `synchost probe` after the load
 * chain: the store and the IMAPISync it handed out answer
 * QueryInterface(IID_IUnknown) with one and the same pointer. Win32 only.
 */
#ifndef SYNCHOST_IDENTITY_H
#define SYNCHOST_IDENTITY_H

#include <stddef.h>

#include <windows.h>

#include <objbase.h>

/* Asks store and sync for IID_IUnknown (releasing what they give) and
 * compares. Returns S_OK when they agree; a failed QueryInterface's
 * HRESULT; E_POINTER for a success with NULL; E_FAIL when the pointers
 * differ. detail (cap bytes) says which, with the pointers. */
HRESULT identity_check(IUnknown *store, IUnknown *sync, char *detail, size_t cap);

#endif /* SYNCHOST_IDENTITY_H */
