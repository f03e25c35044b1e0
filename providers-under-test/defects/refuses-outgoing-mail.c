/*
 * Defect: SynchronizeInBackground refuses SYNC_OUTGOING_MAIL ("not currently
 * in use") with MAPI_E_UNKNOWN_FLAGS. Breaks flags-accepted. The engine is
 * otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .refuse_outgoing_mail = TRUE,
};
