/*
 * Defect: undefined ulFlags bits are refused with E_INVALIDARG, neither
 * ignored nor answered MAPI_E_UNKNOWN_FLAGS. Breaks flags-unknown. The engine
 * is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .undefined_flags_invalidarg = TRUE,
};
