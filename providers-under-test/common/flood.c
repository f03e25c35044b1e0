/*
 * flood.c: the Progress flood (contract in flood.h).
 */
#include "flood.h"

#include <mapicode.h>

#include <errno.h>
#include <stdlib.h>

/* How many calls between looks at the stop event (a power of two): often
 * enough that a Logoff is honored within a second even when the host takes
 * a millisecond per Progress answer (explore found 65536 too few: the flood
 * ran on for 20 s after Logoff and Shutdown), rarely enough that the look
 * (a wineserver call under Wine) costs nothing next to the calls. */
#define FLOOD_STOP_EVERY 1024u

/* Calls in one round when several threads flood. */
#define FLOOD_ROUND 2

struct flood {
    IMAPISyncProgressCallback *callback;
    HANDLE stop_event;
    ULONG calls;
    LONG *counter;
    BOOL rounds;  /* threads: calls go in rounds */
    SRWLOCK lock; /* guards the three below */
    CONDITION_VARIABLE round_over;
    ULONG started;   /* calls started in this round */
    ULONG in_flight; /* calls of this round not yet returned */
    HRESULT stop;    /* S_OK while the flood goes on */
};

/* Waits for a place in the current round. FALSE: the flood is over. */
static BOOL flood_enter(struct flood *f)
{
    BOOL go;

    AcquireSRWLockExclusive(&f->lock);
    while (f->stop == S_OK && f->started >= FLOOD_ROUND) {
        SleepConditionVariableSRW(&f->round_over, &f->lock, INFINITE, 0);
    }
    go = f->stop == S_OK;
    if (go) {
        f->started++;
        f->in_flight++;
    }
    ReleaseSRWLockExclusive(&f->lock);
    return go;
}

/* A call returned hr: a cancel stops the flood; the last call of a round
 * opens the next one. */
static void flood_leave(struct flood *f, HRESULT hr)
{
    BOOL wake;

    AcquireSRWLockExclusive(&f->lock);
    f->in_flight--;
    if (hr == MAPI_E_USER_CANCEL && f->stop == S_OK) {
        f->stop = hr;
    }
    wake = f->in_flight == 0 || f->stop != S_OK;
    if (f->in_flight == 0) {
        f->started = 0;
    }
    ReleaseSRWLockExclusive(&f->lock);
    if (wake) {
        WakeAllConditionVariable(&f->round_over);
    }
}

static void flood_stop(struct flood *f, HRESULT hr)
{
    AcquireSRWLockExclusive(&f->lock);
    if (f->stop == S_OK) {
        f->stop = hr;
    }
    ReleaseSRWLockExclusive(&f->lock);
    WakeAllConditionVariable(&f->round_over);
}

static HRESULT flood_calls(struct flood *f)
{
    HRESULT hr;

    for (ULONG n = 0; n < f->calls; n++) {
        if ((n & (FLOOD_STOP_EVERY - 1)) == 0 &&
            WaitForSingleObject(f->stop_event, 0) == WAIT_OBJECT_0) {
            flood_stop(f, MAPI_E_END_OF_SESSION);
            return MAPI_E_END_OF_SESSION;
        }
        if (f->rounds && !flood_enter(f)) {
            return S_OK;
        }
        InterlockedIncrement(f->counter);
        hr = IMAPISyncProgressCallback_Progress(f->callback, NULL, 1, 1);
        if (f->rounds) {
            flood_leave(f, hr);
        }
        if (hr == MAPI_E_USER_CANCEL) {
            return hr;
        }
    }
    return S_OK;
}

ULONG flood_calls_wanted(ULONG calls, const char *env_name)
{
    char value[32];
    char *end = NULL;
    DWORD len;
    unsigned long long n;

    if (env_name == NULL) {
        return calls;
    }
    len = GetEnvironmentVariableA(env_name, value, sizeof value);
    if (len == 0 || len >= sizeof value || value[0] < '0' || value[0] > '9') {
        return calls;
    }
    errno = 0;
    n = strtoull(value, &end, 10);
    if (errno != 0 || *end != '\0' || n == 0 || n > 0xFFFFFFFFull) {
        return calls;
    }
    return (ULONG)n;
}

static DWORD WINAPI flood_thread(void *arg)
{
    flood_calls(arg);
    return 0;
}

HRESULT flood_run(IMAPISyncProgressCallback *callback, HANDLE stop_event, ULONG calls,
                  ULONG threads, LONG *counter)
{
    struct flood f = {
        .callback = callback,
        .stop_event = stop_event,
        .calls = calls,
        .counter = counter,
        .rounds = threads > 0,
        .lock = SRWLOCK_INIT,
        .round_over = CONDITION_VARIABLE_INIT,
    };
    HANDLE handles[FLOOD_MAX_THREADS];
    DWORD count = 0;

    if (threads == 0) {
        return flood_calls(&f);
    }
    for (ULONG i = 0; i < threads && i < FLOOD_MAX_THREADS; i++) {
        handles[count] = CreateThread(NULL, 0, flood_thread, &f, 0, NULL);
        if (handles[count] != NULL) {
            count++;
        }
    }
    if (count == 0) {
        return flood_calls(&f); /* no thread to be had: flood alone */
    }
    WaitForMultipleObjects(count, handles, TRUE, INFINITE);
    for (DWORD i = 0; i < count; i++) {
        CloseHandle(handles[i]);
    }
    return f.stop == MAPI_E_USER_CANCEL || f.stop == MAPI_E_END_OF_SESSION ? f.stop : S_OK;
}
