/*
 * Defect: closes the handle it stored in *phSyncDoneEvent after signaling
 * the event, though that handle is the host's to close.
 * Breaks event-owned-by-host. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .close_host_handle = TRUE,
};
