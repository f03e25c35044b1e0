/*
 * Defect: each sync keeps a reference on its callback past Done and the
 * done event, and a timer of the system's timer queue calls Progress on it
 * 1.5 s later, then releases it: no thread the provider created makes the
 * late call. Breaks callback-refcount. In a pooled host the call would come
 * while the worker already runs a later scenario: it must never be judged
 * there, as when each scenario has its own process.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .late_progress_timer_ms = 1500,
};
