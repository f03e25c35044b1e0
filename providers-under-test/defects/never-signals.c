/*
 * Defect: the sync calls Done but never signals the done event.
 * Breaks event-signaled. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .skip_signal = TRUE,
};
