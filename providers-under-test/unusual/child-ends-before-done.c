/*
 * Not a defect: each sync starts a child process (`cmd.exe /c exit 0`) and
 * waits for it to end before Done, as a provider that runs a helper tool
 * would. Nothing it started outlives the sync (leak-processes): the DLL
 * must pass everything.
 */
#include "behaviour.h"
#include "child.h"

static void run_child(const struct provider_sync_view *view)
{
    WCHAR cmdline[] = L"cmd.exe /c exit 0";
    HANDLE child = child_start(cmdline);

    (void)view;
    if (child != NULL) {
        WaitForSingleObject(child, 20000);
        CloseHandle(child);
    }
}

const struct provider_behaviour provider_behaviour = {
    .before_done = run_child,
};
