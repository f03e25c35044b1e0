/*
 * Defect: closes the handle it stored in *phSyncDoneEvent as
 * SynchronizeInBackground returns, before the host can look at it, though
 * that handle is the host's to close. Breaks event-owned-by-host (the host
 * finds the value closed, and the provider's CloseHandle of it); the value
 * was a waitable event when written, so not sib-writes-done-event. The
 * engine is otherwise correct: Done still ends the sync.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .close_host_handle_at_return = TRUE,
};
