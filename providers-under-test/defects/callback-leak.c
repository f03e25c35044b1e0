/*
 * Defect: never releases the progress callback it obtained by
 * QueryInterface.
 * Breaks callback-refcount. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .callback_leak = TRUE,
};
