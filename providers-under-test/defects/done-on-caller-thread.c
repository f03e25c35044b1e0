/*
 * Defect: calls Done from inside SynchronizeInBackground, on the caller's
 * thread; its background thread then only signals the done event.
 * Breaks sib-background-thread. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .done_on_caller_thread = TRUE,
};
