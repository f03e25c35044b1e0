/*
 * Defect: reports an error with a NULL string.
 * Breaks error-text-valid. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .error_text_null = TRUE,
};
