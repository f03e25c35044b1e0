/*
 * Defect: right after its first Progress call, the sync thread writes 4
 * bytes past the end of a 40-byte malloc'd block, frees it, then goes on.
 * Wine's heap lets it pass; with --heap-check the host reports
 * heap corruption (0xC0000374) at the call.
 * Breaks no-crash (with --heap-check). The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .heap_abuse = HEAP_ABUSE_OVERRUN,
};
