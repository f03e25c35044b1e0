/*
 * Not a defect: part of each sync's work, and the save for fast shutdown,
 * runs on the system thread pool (QueueUserWorkItem), waited for before
 * Done and before NotifyProcessShutdown returns. The pool keeps its idle
 * worker threads afterwards, as Windows' does. It must pass every scenario
 * at `pedantic`, fast-shutdown included: those threads are the system's,
 * not the provider's (leak-threads, fast-shutdown-ready).
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .fast_shutdown = FAST_SHUTDOWN_OFFERED,
    .pool_work = TRUE,
};
