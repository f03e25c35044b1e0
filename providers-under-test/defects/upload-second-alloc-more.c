/*
 * Combination defect (docs/explore.md): during an upload, the sync chains
 * two buffers to its status buffer with MAPIAllocateMore and checks only
 * the first; when the second one fails (host.faults: MAPIAllocateMore, nth
 * 2, with SYNC_UPLOAD_CONTENTS or SYNC_UPLOAD_HIERARCHY) it writes through
 * NULL and crashes. The built-in suite fails every MAPIAllocateMore
 * (fault-allocate-more), so the first one's failure stops the sync cleanly:
 * it passes. `synchost explore` finds faults-survived (a crash after an
 * injected fault).
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .upload_second_alloc_more = TRUE,
};
