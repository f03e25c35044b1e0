/*
 * Not a defect: each sync starts a child process (`cmd.exe /c exit 0`) and
 * waits for it to end before Done, as a provider that runs a helper tool
 * would. Nothing it started outlives the sync (leak-processes): the DLL
 * must pass everything.
 */
#include "behaviour.h"

static void run_child(const struct provider_sync_view *view)
{
    WCHAR cmdline[] = L"cmd.exe /c exit 0";
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;

    (void)view;
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    if (CreateProcessW(NULL, cmdline, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi)) {
        WaitForSingleObject(pi.hProcess, 20000);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
}

const struct provider_behaviour provider_behaviour = {
    .before_done = run_child,
};
