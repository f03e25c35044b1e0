/*
 * Combination defect (docs/explore.md): under SYNC_BACKGROUND, when the
 * host answers every Progress call in 5 ms or more (host.delay_ms), the
 * sync waits before Done on a lock only Logoff releases: a deadlock the
 * host sees as a done event never signaled. The built-in suite's host
 * answers at once: it passes. `synchost explore` finds event-signaled.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .slow_progress_background = TRUE,
};
