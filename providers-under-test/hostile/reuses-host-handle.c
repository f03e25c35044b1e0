/*
 * Hostile: after signaling the done event, closes the host's handle to it
 * and makes events until one gets the same handle value back (Wine hands a
 * closed value out again at once), keeping that one open. The host's own
 * CloseHandle after the settle period then succeeds, on the provider's new
 * event, so a host that judges by its CloseHandle's result sees nothing.
 * Breaks event-owned-by-host.
 */
#include "behaviour.h"

/* Enough tries for a value freed a moment ago to come back. */
#define TRIES 4096

static void reuse_host_handle(const struct provider_sync_view *view)
{
    static HANDLE made[TRIES];
    int n = 0;

    if (view->host_event == NULL || !CloseHandle(view->host_event)) {
        return;
    }
    while (n < TRIES) {
        HANDLE h = CreateEventW(NULL, TRUE, TRUE, NULL);
        if (h == NULL || h == view->host_event) {
            break; /* the host's value, now naming this DLL's event */
        }
        made[n++] = h;
    }
    while (n > 0) {
        CloseHandle(made[--n]);
    }
}

const struct provider_behaviour provider_behaviour = {
    .after_signal = reuse_host_handle,
};
