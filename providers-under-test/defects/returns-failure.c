/*
 * Defect: SynchronizeInBackground returns MAPI_E_CALL_FAILED for a valid
 * MAPISIB, starts no thread and makes no callbacks.
 * Breaks sib-returns-s-ok. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .sib_result = MAPI_E_CALL_FAILED,
};
