/*
 * Defect: the sync calls Done twice, both times before it signals the done
 * event.
 * Breaks done-called-once. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .extra_done_calls = 1,
};
