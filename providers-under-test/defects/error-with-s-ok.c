/*
 * Defect: reports an "error" with S_OK as its hResult.
 * Breaks error-hresult-failure. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .error_with_s_ok = TRUE,
};
