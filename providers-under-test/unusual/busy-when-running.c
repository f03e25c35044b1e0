/*
 * Not a defect: the store runs one sync at a time and answers a call made
 * while one runs with MAPI_E_BUSY, as CONTRACT.md's concurrency-overlap
 * allows. It must pass every scenario.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .overlap_result = MAPI_E_BUSY,
};
