/*
 * Defect: MSProviderInit returns MAPI_E_VERSION although the host's SPI
 * version is the current one.
 * Breaks load-entry-point. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .init_result = MAPI_E_VERSION,
};
