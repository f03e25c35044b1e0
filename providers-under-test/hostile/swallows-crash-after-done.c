/*
 * Hostile: after Done and the done event, installs an unhandled-exception
 * filter of its own (SetUnhandledExceptionFilter, imported) that swallows
 * an access violation, then writes through NULL on the sync thread. Its
 * filter steps over the write and the sync ends as if nothing happened: a
 * host whose last-chance handler the provider can replace sees no crash.
 * Breaks no-crash.
 */
#include "behaviour.h"
#include "swallow-crash.h"

static void crash_swallowed(const struct provider_sync_view *view)
{
    (void)view;
    SetUnhandledExceptionFilter(swallow_filter);
    write_through_null();
}

const struct provider_behaviour provider_behaviour = {
    .after_signal = crash_swallowed,
};
