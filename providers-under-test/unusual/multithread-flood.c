/*
 * Unusual but correct: four threads call Progress(NULL, 1, 1) 20,000 times
 * each, two calls at a time (flood.h), then the sync thread, once they have
 * all ended, calls Done(S_OK) and signals the event. A constant index is
 * monotonic; calls from many threads at once are the callback's business.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .flood_progress_calls = 20000,
    .flood_threads = 4,
};
