/*
 * Defect: releases its reference on the progress callback, then calls
 * Done through it.
 * Breaks callback-after-release. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .release_before_done = TRUE,
};
