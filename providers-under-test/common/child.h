/*
 * child.h: how a provider built on the engine starts a child process from
 * a before_done hook (behaviour.h), as a provider that runs a helper tool
 * would: no window, no inherited handles.
 */
#ifndef PROVIDER_CHILD_H
#define PROVIDER_CHILD_H

#include <windows.h>

/* Starts cmdline (CreateProcessW may write to it); the child's process
 * handle, the caller's to close, or NULL when it did not start. */
static HANDLE child_start(WCHAR *cmdline)
{
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;

    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessW(NULL, cmdline, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi)) {
        return NULL;
    }
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

#endif /* PROVIDER_CHILD_H */
