// guids.cpp: defines the interface IDs this provider uses. mingw-w64's
// libuuid has IID_IUnknown but not the MAPI ones; mapiguid.h defines an IID
// under INITGUID only when USES_IID_<name> asks for it. This must be the
// first include of mapiguid.h in this file.
#include <initguid.h>

#define USES_IID_IMAPIProp
#define USES_IID_IMsgStore
#define USES_IID_IMSLogon
#define USES_IID_IMSProvider
#include <mapiguid.h>

#define SYNCHOST_DEFINE_IIDS
#include <synchost/mapisync.h>
