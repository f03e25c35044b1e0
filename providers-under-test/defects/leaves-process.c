/*
 * Defect: each sync starts `cmd.exe /c ping -n 30 127.0.0.1` and leaves it
 * running (its handles closed, nothing waits for it), so the child outlives
 * the sync, the shutdown and the unload. Breaks leak-processes. The engine
 * is otherwise correct.
 */
#include "behaviour.h"
#include "child.h"

static void start_child(const struct provider_sync_view *view)
{
    WCHAR cmdline[] = L"cmd.exe /c ping -n 30 127.0.0.1";
    HANDLE child = child_start(cmdline);

    (void)view;
    if (child != NULL) {
        CloseHandle(child);
    }
}

const struct provider_behaviour provider_behaviour = {
    .before_done = start_child,
};
