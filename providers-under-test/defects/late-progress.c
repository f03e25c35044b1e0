/*
 * Defect: each sync calls Progress on its callback 1.5 s after Done and the
 * done event, holding a reference on it until then. Breaks done-last (and
 * callback-refcount). In a pooled host the call comes while the worker may
 * already run its next scenario: it must still be judged in the scenario
 * whose callback it was made on, as when each scenario has its own process.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .late_progress_ms = 1500,
};
