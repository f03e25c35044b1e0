/*
 * Defect: the sync writes through the pointer MAPIAllocateBuffer gave it
 * without looking at the HRESULT; when the host's allocator fails
 * (host.faults, as in low memory) that pointer is NULL and the sync thread
 * crashes. With a working allocator it passes everything.
 * Breaks faults-survived. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .use_failed_alloc = TRUE,
};
