/*
 * Defect: the sync reports steps 1 to 4 of 5, then Done(S_OK): the progress
 * bar never reaches the end. Breaks progress-completes (pedantic). The
 * engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .progress_stops_short = TRUE,
};
