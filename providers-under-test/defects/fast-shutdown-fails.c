/*
 * Defect: the provider object offers fast shutdown (QueryFastShutdown
 * S_OK), then NotifyProcessShutdown and DoFastShutdown answer
 * MAPI_E_CALL_FAILED (E_FAIL), where S_OK is the only documented answer. Breaks
 * fast-shutdown-returns (under host.shutdown: fast). The engine is
 * otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .fast_shutdown = FAST_SHUTDOWN_OFFERED,
    .fast_shutdown_result = MAPI_E_CALL_FAILED,
};
