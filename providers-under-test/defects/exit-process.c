/*
 * Defect: the sync thread calls ExitProcess after its second Progress,
 * taking the host down with it.
 * Breaks no-exit. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .exit_after_progress = 2,
};
