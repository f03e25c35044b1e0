/*
 * Defect: SynchronizeInBackground sleeps 1050 ms on the caller's thread
 * before it returns: 50 ms past the default bound of 1000 ms, which the
 * host must time as the call itself takes it (a few ms at most over).
 * Breaks sib-returns-promptly. The engine is otherwise correct; the same
 * call under the bound is unusual/return-after-*.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .slow_return_ms = 1050,
};
