/*
 * Not a defect: SynchronizeInBackground sleeps RETURN_AFTER_MS milliseconds
 * on the caller's thread before it returns, under the default bound of
 * 1000 ms (built at 30, 300 and 950: unusual-return-after-<ms>ms.dll). A
 * host must time the call as the provider spends it, not with its own work
 * around the call added (sib-returns-promptly); the same call at 1050 ms is
 * defects/return-after-1050ms.
 */
#include "behaviour.h"

#ifndef RETURN_AFTER_MS
#error "RETURN_AFTER_MS: the call's time in milliseconds, set by meson.build"
#endif

const struct provider_behaviour provider_behaviour = {
    .slow_return_ms = RETURN_AFTER_MS,
};
