/*
 * Defect: SynchronizeInBackground returns S_OK but leaves
 * *phSyncDoneEvent NULL. The sync still runs and calls Done, with NULL as
 * the handle (the value it handed out).
 * Breaks sib-writes-done-event. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .withhold_done_event = TRUE,
};
