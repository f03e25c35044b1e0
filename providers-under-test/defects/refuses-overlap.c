/*
 * Defect: a call made while another sync of the store runs fails with
 * MAPI_E_CALL_FAILED, where a provider that runs one sync at a time answers
 * MAPI_E_BUSY. Breaks concurrency-overlap. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .overlap_result = MAPI_E_CALL_FAILED,
};
