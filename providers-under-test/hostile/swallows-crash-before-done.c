/*
 * Hostile: before Done, installs an unhandled-exception filter of its own
 * that swallows an access violation, found with GetProcAddress rather than
 * imported, then writes through NULL on the sync thread; the filter steps
 * over the write and the sync goes on to Done and the event. Breaks
 * no-crash (the crash, not the sync's outcome, is the verdict).
 */
#include "behaviour.h"
#include "swallow-crash.h"

typedef LPTOP_LEVEL_EXCEPTION_FILTER(WINAPI *set_filter_fn)(LPTOP_LEVEL_EXCEPTION_FILTER);

static void crash_swallowed(const struct provider_sync_view *view)
{
    set_filter_fn set = (set_filter_fn)(void (*)(void))GetProcAddress(
        GetModuleHandleW(L"kernel32.dll"), "SetUnhandledExceptionFilter");

    (void)view;
    if (set != NULL) {
        set(swallow_filter);
    }
    write_through_null();
}

const struct provider_behaviour provider_behaviour = {
    .before_done = crash_swallowed,
};
