/*
 * Defect: reports step 1 again where step 3 belongs: ulIndex goes 1, 2, 1,
 * 4, 5.
 * Breaks progress-monotonic. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .progress_goes_back = TRUE,
};
