/*
 * Defect: the step loop runs one step too far, the classic `<=`
 * off-by-one: the last Progress reports ulIndex 6 with ulIndexMax 5.
 * Breaks progress-index-bounded. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .progress_overshoot = 1,
};
