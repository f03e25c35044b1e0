/*
 * Defect: once a sync of the store has ended, every later call on that
 * store fails with MAPI_E_CALL_FAILED (state the first sync left behind).
 * Breaks repeat-stable. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .fail_after_first_sync = TRUE,
};
