/*
 * Defect: passes Done its own duplicate of the done event instead of the
 * handle it stored in *phSyncDoneEvent.
 * Breaks done-handle-matches. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .done_wrong_handle = TRUE,
};
