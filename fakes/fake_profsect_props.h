/* fake_profsect_props.h: GetProps and GetPropList over a profile's
 * properties (harness/core/scenario/profile.h), for fake_profsect.c. The answers are
 * host-allocated MAPI buffers (fake_alloc_host) the provider frees. */
#ifndef SYNCHOST_FAKE_PROFSECT_PROPS_H
#define SYNCHOST_FAKE_PROFSECT_PROPS_H

#include <windows.h>
#include <mapidefs.h>

#include "scenario/profile.h"

/* IMAPIProp::GetProps: S_OK, MAPI_W_ERRORS_RETURNED (a PT_ERROR entry with
 * MAPI_E_NOT_FOUND for each tag not held or not held in that type),
 * MAPI_E_INVALID_PARAMETER (NULL outs, an unreadable or empty tag array),
 * MAPI_E_NOT_ENOUGH_MEMORY. A NULL tag array asks for every property,
 * strings in PT_UNICODE when flags has MAPI_UNICODE, else PT_STRING8. */
HRESULT profsect_get_props(const struct profile_prop *props, size_t n, LPSPropTagArray tags,
                           ULONG flags, ULONG *lpcValues, LPSPropValue *lppPropArray);

/* IMAPIProp::GetPropList: every tag held, strings typed as above. */
HRESULT profsect_get_prop_list(const struct profile_prop *props, size_t n, ULONG flags,
                               LPSPropTagArray *lppPropTagArray);

#endif /* SYNCHOST_FAKE_PROFSECT_PROPS_H */
