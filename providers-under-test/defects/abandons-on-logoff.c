/*
 * Defect: when the host logs off while a sync runs, the sync thread stops
 * without calling Done and without signaling the done event, so the host
 * waits in vain. Breaks shutdown-during-sync. Its steps are slower than the
 * reference's (50 ms each, a legal pace) so that a logoff 10 ms after the
 * call finds the sync running even when the host is slow to get there. The
 * engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .abandon_on_logoff = TRUE,
    .step_ms = 50,
};
