/*
 * handles.h: the kernel objects the provider's own code opens, for
 * leak-handles. Each Win32 call that opens a handle (events, mutexes,
 * semaphores, waitable timers, threads, processes, files, file mappings,
 * completion ports, duplicates) and each close (CloseHandle, NtClose,
 * DuplicateHandle with DUPLICATE_CLOSE_SOURCE), imported by the provider or
 * a DLL it ships, goes through a wrapper (imports.h) that keeps the handle,
 * the call and its call site in a table while it is open; a close of one of
 * the host's own handles is refused there (hostheld.h). Why
 * not the process's handle count: Wine does not answer
 * GetProcessHandleCount, and the system-wide handle list
 * (NtQuerySystemInformation, SystemHandleInformation) was seen to stall the
 * calling process for good under Wine 8 when other processes of the prefix
 * start or end. What this does not see: handles opened for the provider by
 * a system DLL, or closed through ntdll's NtClose called by address.
 * Win32 only.
 */
#ifndef SYNCHOST_HANDLES_H
#define SYNCHOST_HANDLES_H

#include <stddef.h>

#include <windows.h>

/* Starts the accounting. Call once, before the provider is loaded. */
void handles_init(void);

/* A new scenario: what is opened from now on is counted for it. */
void handles_begin(void);

/* The host closed a handle the provider gave it (the done event). */
void handles_forget(HANDLE h);

/* The host holds h from now on (the done event a call handed back): a
 * close of it by the provider's code is remembered (event-owned-by-host).
 * At most 32 are held at once; more are not watched. */
void handles_host_takes(HANDLE h);

/* The host is about to close h itself: it stops holding it. Returns 1 when
 * the provider's code closed it meanwhile (then the value no longer names
 * the host's object, and the host must not close it), with the provider's
 * call site in `site` ("x.dll+0x1a2b"); else 0. */
int handles_host_gives_up(HANDLE h, char *site, size_t cap);

/* The number of the provider's closes so far (CloseHandle, NtClose,
 * DuplicateHandle with DUPLICATE_CLOSE_SOURCE). */
unsigned long handles_close_mark(void);

/* Did the provider's code close h since `mark` (handles_close_mark)? The
 * last 64 closes are kept. Returns 1 with its call site in `site`
 * ("x.dll+0x1a2b"), else 0. */
int handles_closed_since(unsigned long mark, HANDLE h, char *site, size_t cap);

/* Of the handles opened since handles_begin, how many are still open
 * (checked against the object manager: a value closed some other way is
 * not counted); *opened: how many were opened; the first still open is
 * described in `first` ("CreateEventW at x.dll+0x1a2b: an Event, handle
 * 0x1a4"). Only handles whose call site opened one in an earlier scenario
 * (handles_begin) count: a site's first may be a once-per-process object. */
size_t handles_still_open(size_t *opened, char *first, size_t cap);

#endif /* SYNCHOST_HANDLES_H */
