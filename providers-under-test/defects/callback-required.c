/*
 * Defect: without a usable punkCallBack (NULL, or no
 * IMAPISyncProgressCallback behind it) SynchronizeInBackground fails with
 * MAPI_E_CALL_FAILED. Breaks sib-null-callback (pedantic). The engine is
 * otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .callback_required = TRUE,
};
