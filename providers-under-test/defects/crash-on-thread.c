/*
 * Defect: the sync thread dereferences NULL right after its first Progress
 * call, which takes the host process down.
 * Breaks no-crash. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .crash_after_progress = 1,
};
