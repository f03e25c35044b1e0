/*
 * Hostile: the sync thread never ends. After its steps, before Done, it
 * loops forever in the DLL's own code (a wait that never ends, as a sync
 * stuck on a lost server would), through Logoff, Shutdown and the rest of
 * the shutdown bound. Breaks event-signaled (the done event is never
 * signaled) and no-hang (the thread still runs the provider's code when
 * the host would free the DLL). The host must not free the DLL under the
 * thread and then blame the provider for the crash that would cause, nor
 * let the thread run on into the next scenario of a pooled worker.
 */
#include "behaviour.h"

/* Read on every turn, so that the loop is not proved endless and dropped. */
static volatile LONG stop;

static __attribute__((noinline)) void spin_forever(void)
{
    while (!stop) {
        Sleep(5);
    }
}

static void never_done(const struct provider_sync_view *view)
{
    (void)view;
    spin_forever();
}

const struct provider_behaviour provider_behaviour = {
    .before_done = never_done,
};
