/*
 * Defect: the sync signals the done event without ever calling Done.
 * Breaks done-called-once. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .skip_done = TRUE,
};
