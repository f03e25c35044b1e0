/*
 * observe.h: facts about handles and threads of the worker process that the
 * worker needs to judge a provider without disturbing it. Win32 only.
 */
#ifndef SYNCHOST_OBSERVE_H
#define SYNCHOST_OBSERVE_H

#include <windows.h>

/* Is h a handle to an object a thread can wait on (an event, a thread, a
 * process, a semaphore, a mutex or a waitable timer)? Asked of the object
 * manager (NtQueryObject), never by waiting: a wait of zero on an
 * auto-reset event that is already set would consume its signal, and the
 * host's real wait would then miss it. Writes the object's type name
 * ("Event", or "" when h is not a handle) into type (cap bytes). */
int observe_waitable(HANDLE h, char *type, size_t cap);

/* The threads of this process, as ids, at the moment of the call.
 * Returns how many were written (at most cap), or 0 when the system could not
 * list them (one NtQuerySystemInformation call). */
size_t observe_threads(DWORD *ids, size_t cap);

/* Waits until every thread of this process that is not in baseline[0..n)
 * has ended, or until timeout_ms passed; the calling thread is never waited
 * for. Returns how many such threads were still running at the end. */
size_t observe_wait_new_threads(const DWORD *baseline, size_t n, DWORD timeout_ms);

/* The state of an event object, asked of the object manager (NtQueryEvent),
 * never by a wait, so that an auto-reset event's signal stays where it is.
 * Returns 1 signaled, 0 not, -1 when h is not an event the host may query;
 * *auto_reset (may be NULL) says whether a wait would consume the signal. */
int observe_event_state(HANDLE h, int *auto_reset);

#endif /* SYNCHOST_OBSERVE_H */
