/*
 * Defect: each sync starts `cmd.exe /c ping -n 30 127.0.0.1` and leaves it
 * running (its handles closed, nothing waits for it), so the child outlives
 * the sync, the shutdown and the unload. Breaks leak-processes. The engine
 * is otherwise correct.
 */
#include "behaviour.h"

static void start_child(const struct provider_sync_view *view)
{
    WCHAR cmdline[] = L"cmd.exe /c ping -n 30 127.0.0.1";
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;

    (void)view;
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    if (CreateProcessW(NULL, cmdline, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi)) {
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
}

const struct provider_behaviour provider_behaviour = {
    .before_done = start_child,
};
