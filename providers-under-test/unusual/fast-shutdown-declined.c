/*
 * Not a defect: the provider object implements IMAPIProviderShutdown but
 * opts out of fast shutdown, QueryFastShutdown answering MAPI_E_NO_SUPPORT
 * (documented: "IMAPIProviderShutdown::QueryFastShutdown"). The host then
 * logs off and releases the plain way. It must pass every scenario.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .fast_shutdown = FAST_SHUTDOWN_DECLINED,
};
