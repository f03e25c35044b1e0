/*
 * fake_iids.h: where the IIDs the fakes compare against come from.
 *
 * libuuid has none of the MAPI IIDs, and mapiguid.h only defines those named
 * by a USES_IID_... macro when INITGUID is on. fake_iids.c therefore defines
 * (selectany, so a second definition elsewhere, like the worker's
 * SYNCHOST_DEFINE_IIDS, is merged by the linker rather than a clash):
 *
 *   IID_IMAPISync, IID_IMAPISyncProgressCallback (synchost/mapisync.h)
 *   IID_IMAPISession, IID_IMAPIProp, IID_IProfSect, IID_IMAPISup (mapiguid.h)
 *
 * Anything linking fakes_dep can use these names with the ordinary headers.
 */
#ifndef SYNCHOST_FAKE_IIDS_H
#define SYNCHOST_FAKE_IIDS_H

#include <synchost/mapisync.h>

#include <mapiguid.h>

#endif /* SYNCHOST_FAKE_IIDS_H */
