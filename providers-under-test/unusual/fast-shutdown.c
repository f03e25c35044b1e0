/*
 * Not a defect: the provider object offers IMAPIProviderShutdown and agrees
 * to fast shutdown; NotifyProcessShutdown starts saving the store's state
 * on a thread of its own (300 ms), and DoFastShutdown waits for the save
 * before it returns, as "Fast Shutdown Overview" asks. It must pass every
 * scenario, fast-shutdown included.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .fast_shutdown = FAST_SHUTDOWN_OFFERED,
    .fast_save_ms = 300,
};
