/*
 * sync_call.h: one call of the sync phase as the host holds it, shared by
 * sync_run.c (the calls made) and sync_wait.c (the host's wait for their
 * ends). Inside the worker only.
 */
#ifndef SYNCHOST_SYNC_CALL_H
#define SYNCHOST_SYNC_CALL_H

#include <windows.h>

#include <synchost/mapisync.h>

#include <mapispi.h>

#include "protocol/script.h"
#include "starve.h"
#include "sync_run.h"

/* How often the host looks for Done when it has no event to wait on. */
#define DONE_POLL_MS 10u
/* What the host passes to one call, as the script's sync arguments say
 * (scenario.h), and what it owns until the sync is over. */
struct sync_call {
    uint32_t index;                /* the call's number in the scenario, from 1 */
    IMAPISyncProgressCallback *cb; /* the recording callback */
    IUnknown *unknown;             /* the unknown-only callback, or NULL */
    IMAPISession *session;
    HANDLE done_event;  /* where *phSyncDoneEvent points, when it points */
    MAPISIB *sib;       /* what is passed: NULL, or a guarded copy (effects.h) */
    MAPISIB small;      /* the host's own copy of the fields, to compare with */
    ULONG sib_size;     /* the bytes passed, as ulSize says */
    int sib_reported;   /* a change to the MAPISIB was reported (sib-unchanged) */
    char text[96];      /* the `call` event's text: the arguments */
    struct starve_mark mark; /* when the call was made (its deadline counts from it) */
    HRESULT hr;         /* what it returned */
    int built;          /* the arguments were built and the call made */
    int waitable;       /* it handed back a waitable handle */
    int watched;        /* an auto-reset event: polled, not waited on (checks.h) */
    int unended;        /* the host stopped waiting without seeing the sync end */
    enum { WAIT_NONE, WAIT_EVENT, WAIT_DONE } wait; /* what the host still waits for */
};

/* Dispatches the messages waiting on this thread, as Outlook's UI thread
 * would between waits. */
void sync_pump_pending(void);

/* Waits for the ends of a round's n calls (each within its deadline), with
 * a logoff mid-sync when the script asks for one (sync_wait.c). */
void sync_await_round(const struct host_script *sc, struct sync_call *calls, size_t n,
                      struct sync_chain *c);

#endif /* SYNCHOST_SYNC_CALL_H */
