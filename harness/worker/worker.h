/*
 * worker.h: the fake Outlook process. Loads a provider DLL through the load
 * chain Outlook uses, runs one scenario against it and records every event
 * (into the supervisor's event ring, or as lines on standard output when run
 * by hand: fakes/recorder.h). Win32 only.
 */
#ifndef SYNCHOST_WORKER_H
#define SYNCHOST_WORKER_H

#include <windows.h>

#include "fake_callback.h"
#include "protocol/script.h"

/* The worker process across the scenarios it runs (a pool worker runs
 * many, as Outlook syncs many times in one process). */
struct worker {
    HMODULE dll;                  /* the provider, loaded by the first scenario */
    WCHAR path[SCRIPT_PATH_MAX];  /* its path */
    unsigned long threads_mark;   /* threads_mark() before any DLL: the host's own are below */
    unsigned ordinal;             /* scenarios run so far */
    ULONGLONG shutdown_deadline;  /* the last scenario's, for the unload's watch */
    int fast_exit;                /* the scenario ended in a fast shutdown: the process ends */
    unsigned long scenario_mark;  /* threads_mark() when the running scenario began */
    int retired;                  /* no further scenario runs in this process (worker_run) */
    int held;                     /* the provider's threads still run its code: the DLL is
                                     kept loaded, and the process ends without an unload */
};

void worker_init(struct worker *w);

/* Runs one scenario: hello, the load chain (the DLL is loaded by the first
 * scenario and kept), the sync, Logoff, Shutdown and Release, emitting
 * events as they happen. Returns 0 when the scenario ran to its end
 * (whatever the provider did), 1 when the load chain stopped it. After a
 * fast shutdown (host.shutdown: fast) w->fast_exit is set: nothing was
 * released, and the caller ends the process once the scenario's `end` is
 * recorded, as Outlook's process exits. */
int worker_run(struct worker *w, const struct host_script *sc);

/* After the last scenario: FreeLibrary, then the provider's threads are
 * watched until they end (`unload` phase, `unloaded` event). */
void worker_unload(struct worker *w);

/* Installs the process-wide crash reporting: an unhandled exception on any
 * thread, a stack overflow or abort() becomes a `crash` event (code, module
 * and offset, the faulting thread), then the process ends with the code as
 * its status. Also switches off error dialogs. Call once, early. */
void worker_crash_init(void);

/* The event ring's view (mem, len bytes): an access violation inside it, on
 * any thread, ends the process at once with WIRE_EXIT_RING_UNWRITABLE,
 * before any handler of the provider's could swallow it. Call after
 * worker_crash_init. */
void worker_crash_watch_ring(const void *mem, size_t len);

/* Before FreeLibrary of the provider's DLL: its entry point is called from
 * then on through a frame of the host's, whose handler reports as a crash
 * any exception that no frame of the provider's handled (the loader would
 * swallow it). A fault the provider handles itself is no crash. Call after
 * worker_crash_init, on the host's thread. */
void worker_crash_guard_detach(HMODULE dll);

/* While on, and only when worker_crash_guard_detach could not guard the
 * entry point, a hardware fault (access violation and the like) on the
 * calling thread is reported as a crash as soon as it is raised, even if a
 * frame handler would catch it: for the loader's calls into the provider's
 * DllMain, which swallow faults. */
void worker_crash_watch_loader(int on);

/* When a crash is being reported (on a thread of the provider's, while the
 * host's thread goes on), waits for the report to end the process; returns
 * at once otherwise. The host calls it before it ends a scenario, so that
 * a crash is recorded in the scenario it happened in, never in the next.
 * A report that has not ended the process within WIRE_CRASH_SETTLE_MS ends
 * it with WIRE_EXIT_CRASH_UNREPORTED (the harness's failure). */
void worker_crash_settle(void);

#endif /* SYNCHOST_WORKER_H */
