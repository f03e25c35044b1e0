/*
 * Hostile: on the sync thread, before Done, closes every handle value from 4
 * to 0x10000 except the three it still needs (the host's done event, its own
 * duplicate of it and its thread), then goes on normally: Done, Release,
 * SetEvent. Whatever the host had open (its event stream, its threads, its
 * files) is gone. Breaks host-integrity ("leave the host's handles and event
 * stream alone"); in Outlook it breaks everything at once.
 */
#include "behaviour.h"

static void close_all_handles(const struct provider_sync_view *view)
{
    for (ULONG_PTR value = 4; value <= 0x10000; value += 4) {
        HANDLE h = (HANDLE)value;

        if (h == view->host_event || h == view->event || h == view->thread) {
            continue;
        }
        CloseHandle(h);
    }
}

const struct provider_behaviour provider_behaviour = {
    .before_done = close_all_handles,
};
