/*
 * Defect: the sync thread calls the C runtime's abort() after its first
 * Progress.
 * Breaks no-crash. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .crash_after_progress = 1,
    .crash_kind = CRASH_ABORT,
};
