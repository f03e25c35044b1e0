/*
 * sync_run.h: the sync phase of a scenario (sync_run.c): every call to
 * SynchronizeInBackground the script asks for (sync.overlap calls a round,
 * sync.repeat rounds), the wait for each one's end, the settle period, and
 * a logoff in the middle when the script asks for one. Win32 only.
 */
#ifndef SYNCHOST_SYNC_RUN_H
#define SYNCHOST_SYNC_RUN_H

#include <windows.h>

#include <synchost/mapisync.h>

#include <mapispi.h>

#include "protocol/script.h"

/* The load chain's objects the sync phase uses, and clears when it logs
 * off in the middle (host.logoff_after_ms) so that the shutdown does not
 * release them again. */
struct sync_chain {
    IMAPISync **sync;
    IMSLogon **logon;
    IMsgStore **store;
    /* The store's profile section, which the fake session's
     * OpenProfileSection hands out too; NULL: none. */
    IProfSect *profsect;
};

/* Runs every round; new_round is called before each round after the first
 * (the worker marks the phase, so that each round gets its own deadline). */
void sync_run_all(struct sync_chain *c, const struct host_script *sc, void (*new_round)(void));

/* Waits for h while pumping messages, as Outlook's UI thread would: a
 * provider may post to the host thread and must not deadlock it. Returns
 * what MsgWaitForMultipleObjects did for h (WAIT_OBJECT_0, WAIT_TIMEOUT). */
DWORD sync_wait_pumping(HANDLE h, DWORD timeout_ms);

/* Pumps messages for ms milliseconds. */
void sync_pump_for(DWORD ms);

#endif /* SYNCHOST_SYNC_RUN_H */
