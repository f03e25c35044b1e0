/*
 * Defect: NotifyProcessShutdown starts saving the store's state on a thread
 * (3 s), and DoFastShutdown returns S_OK at once without waiting for it:
 * the process exits with the save half done. Breaks fast-shutdown-ready
 * (under host.shutdown: fast). The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .fast_shutdown = FAST_SHUTDOWN_OFFERED,
    .fast_save_ms = 3000,
    .fast_shutdown_no_wait = TRUE,
};
