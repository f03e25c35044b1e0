/*
 * Defect: passes Progress a string that starts with an unpaired high
 * surrogate.
 * Breaks progress-text-valid. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .progress_text_ill_formed = TRUE,
};
