/*
 * worker.h: the fake Outlook process. Loads a provider DLL through the load
 * chain Outlook uses, runs one scenario against it and streams every event
 * to standard output (see harness/core/wire.h). Win32 only.
 */
#ifndef SYNCHOST_WORKER_H
#define SYNCHOST_WORKER_H

#include <windows.h>

#include "fake_callback.h"

/* One scenario as the worker receives it on its command line. */
struct worker_scenario {
    const WCHAR *provider; /* --provider PATH: the DLL */
    ULONG flags;           /* --flags N: MAPISIB ulFlags */
    DWORD timeout_ms;      /* --timeout-ms N: wait for the done event, from the call */
    DWORD settle_ms;       /* --settle-ms N: keep watching after the event */
    /* --shutdown-timeout-ms N: the supervisor's bound on Logoff to unload;
     * the worker fits its watch of the provider's threads within it. */
    DWORD shutdown_timeout_ms;
    int probe;             /* --probe: the load chain only, then log off */
    /* --progress-return FROM:HRESULT (repeatable): what the host's callback
     * answers to Progress from the FROM-th call on. */
    struct fake_callback_config callback;
};

/* Runs the load chain and the sync, emitting events as they happen.
 * Returns 0 when the scenario ran to its end (whatever the provider did),
 * 1 when the load chain stopped it early. */
int worker_run(const struct worker_scenario *sc);

/* Installs the process-wide crash reporting: an unhandled exception on any
 * thread, a stack overflow or abort() becomes a `crash` event (code, module
 * and offset, the faulting thread), then the process ends with the code as
 * its status. Also switches off error dialogs. Call once, early. */
void worker_crash_init(void);

#endif /* SYNCHOST_WORKER_H */
