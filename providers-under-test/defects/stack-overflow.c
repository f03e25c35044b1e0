/*
 * Defect: the sync thread recurses without bound after its first Progress
 * and overflows its stack.
 * Breaks no-crash. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .crash_after_progress = 1,
    .crash_kind = CRASH_STACK_OVERFLOW,
};
