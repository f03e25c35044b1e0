/*
 * Defect: the entry point is exported under a misspelt name (see
 * no-entry-point.def), so GetProcAddress(dll, "MSProviderInit") fails.
 * Breaks load-entry-point. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .init_result = S_OK,
};
