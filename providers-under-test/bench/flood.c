/*
 * Benchmark load, not a defect: the common engine, correct in every way,
 * whose sync makes 2 million Progress calls back to back (NULL text, index
 * 1 of 1) before Done. scripts/bench runs it with flood.yaml to measure how
 * many calls per second the worker records through the fake callback.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .flood_progress_calls = 2000000,
};
