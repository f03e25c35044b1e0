/*
 * Unusual but correct: nothing to synchronize, so one Progress(text, 0, 0)
 * and Done(S_OK). 0 of 0 is bounded (0 <= 0).
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .only_one_progress = TRUE,
    .only_progress_index = 0,
};
