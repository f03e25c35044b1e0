/*
 * iids.c: the GUID definitions the engine uses. mingw-w64's libuuid has
 * IID_IUnknown but not the MAPI IIDs; mapiguid.h defines an IID under
 * INITGUID only when USES_IID_<name> asks for it, and synchost/mapisync.h
 * defines its own with SYNCHOST_DEFINE_IIDS. This file must include them
 * before any other header pulls mapiguid.h in without INITGUID.
 */
#include <initguid.h>

#define USES_IID_IMAPIProp
#define USES_IID_IMsgStore
#define USES_IID_IMSLogon
#define USES_IID_IMSProvider
#include <mapiguid.h>

#define SYNCHOST_DEFINE_IIDS
#include <synchost/mapisync.h>
