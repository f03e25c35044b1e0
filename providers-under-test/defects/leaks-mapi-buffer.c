/*
 * Defect: every sync leaves the MAPI buffer its status text lives in
 * allocated: MAPIAllocateBuffer without MAPIFreeBuffer, one buffer per sync.
 * Breaks leak-mapi-buffers. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .leak_mapi_buffer = TRUE,
};
