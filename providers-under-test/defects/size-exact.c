/*
 * Defect: ulSize must equal sizeof(MAPISIB): a newer host's larger MAPISIB
 * is refused with E_INVALIDARG. Breaks sib-size-checked. The engine is
 * otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .size_exact = TRUE,
};
