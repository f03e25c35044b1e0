/*
 * threads.h: the threads of the worker process, as they start and end.
 * Every thread the process starts is numbered when the loader reports it
 * (its thread-attach notification, which reaches this module's TLS
 * callback before the thread runs any code of its own), or as the provider
 * creates it, and kept until the loader reports it ending. Asking costs no system call while no thread
 * started since a mark still runs: under Wine, listing the process's
 * threads (Toolhelp or NtQuerySystemInformation) costs 1 to 10 ms, and the
 * host asks several times a scenario. A thread ended by TerminateThread,
 * which skips the notification, is found ended when asked about. Not seen:
 * a thread created with the flag that skips thread attach. Not counted: the
 * threads ntdll starts for the system thread pool (work items, timers,
 * waits), which stay idle after their work as Windows' do: the system's,
 * whoever queued the work. Win32 only.
 */
#ifndef SYNCHOST_THREADS_H
#define SYNCHOST_THREADS_H

#include <stddef.h>

#include <windows.h>

/* The number of the last thread started so far: the threads started after
 * this call have higher numbers. */
unsigned long threads_mark(void);

/* A thread the provider just created (handles.c, at its CreateThread or
 * _beginthreadex), kept at once: the loader reports a new thread only when
 * it first runs, which may be after the host looks. */
void threads_starting(DWORD id);

/* A thread of the host's own (its command reader, crash reporter, witness
 * of the machine's load), never counted as the provider's whenever the
 * loader reports it: a thread created before a mark may first run, and be
 * numbered, after it. */
void threads_host(DWORD id);

/* Starts fn(arg) on a thread of the host's own (threads_host), with a
 * small stack. Returns its handle, or NULL. */
HANDLE threads_start_host(LPTHREAD_START_ROUTINE fn, void *arg);

/* Waits until every thread started after `mark` has ended, or until
 * timeout_ms of time the host could run passed (starve.h); the calling thread is never waited for. Returns how
 * many were still running at the end, and describes the first of them in
 * `first` (cap bytes; may be NULL): "thread 1234, started at
 * x.dll+0x1a2b". */
size_t threads_wait_since(unsigned long mark, DWORD timeout_ms, char *first, size_t cap);

/* The ids of the threads started after `mark` that still run, not
 * counting the system's own (at most cap; no wait). Returns how many were
 * stored. */
size_t threads_running_since(unsigned long mark, DWORD *ids, size_t cap);

#endif /* SYNCHOST_THREADS_H */
