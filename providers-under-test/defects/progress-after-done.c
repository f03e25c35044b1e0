/*
 * Defect: the sync calls Progress once more after Done, before it signals
 * the done event.
 * Breaks done-last. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .progress_after_done = TRUE,
};
