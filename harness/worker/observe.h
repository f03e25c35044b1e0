/*
 * observe.h: facts about handles of the worker process that the
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

/* The state of an event object, asked of the object manager (NtQueryEvent),
 * never by a wait, so that an auto-reset event's signal stays where it is.
 * Returns 1 signaled, 0 not, -1 when h is not an event the host may query;
 * *auto_reset (may be NULL) says whether a wait would consume the signal. */
int observe_event_state(HANDLE h, int *auto_reset);

#endif /* SYNCHOST_OBSERVE_H */
