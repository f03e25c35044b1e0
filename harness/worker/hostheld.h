/*
 * hostheld.h: the kernel handles the host itself holds for as long as the
 * process runs, listed in one place with what each is for, so that the
 * provider cannot close them (host-integrity).
 *
 * Listed: the command pipe (the worker's input), the event stream and
 * standard error, the command queue's semaphores, the crash reporter's wake
 * event, the event the host waits on while it pumps messages. Not listed:
 * the done events (the provider's objects, held for a while: handles.h,
 * event-owned-by-host), handles the host opens and closes within one call
 * (a thread's handle while its stack is walked, a DLL's file while its
 * symbols are read), and the handles Wine's own DLLs keep.
 *
 * Two ways the provider is seen at it. Its CloseHandle, NtClose and
 * DuplicateHandle(DUPLICATE_CLOSE_SOURCE), imported or looked up by name,
 * go through handles.c's wrappers, which ask hostheld_refuse(): the close
 * of a listed handle is refused (FALSE with ERROR_INVALID_HANDLE, as for a
 * value that names nothing) and said at once as an `integrity` event with
 * value 1 (the stream stays trustworthy) naming the handle's role and the
 * provider's call site. Refusing rather than closing keeps the host
 * working, so the rest of the scenario is still judged and the next
 * scenario is not blamed for what this one broke. As a backstop for closes
 * the wrappers cannot see (ntdll called by address, a system DLL closing
 * for it), hostheld_check() compares each listed handle, at the end of each
 * scenario, with a duplicate taken when it was listed.
 * Win32 only; every function may be called from any thread.
 */
#ifndef SYNCHOST_HOSTHELD_H
#define SYNCHOST_HOSTHELD_H

#include <windows.h>

/* Lists h as the host's, for `role` (a static string: "the host's command
 * pipe"); a duplicate of it is taken to check it against later. At most 16
 * are listed; more, or NULL and INVALID_HANDLE_VALUE, are not. */
void hostheld_add(HANDLE h, const char *role);

/* The host closes h itself: it leaves the list first, so that the value,
 * once handed out again to the provider, is the provider's to close. */
BOOL hostheld_close(HANDLE h);

/* Asked by the close wrappers before the provider's code closes h with
 * `api` at `site`. Returns 1 when h is listed: the close is not to be made
 * (the first attempt per handle per scenario is recorded); else 0. */
int hostheld_refuse(HANDLE h, const char *api, const void *site);

/* A new scenario: refused closes are recorded afresh. */
void hostheld_begin(void);

/* The backstop, at the end of a scenario: each listed handle must still
 * name the object it was listed for. When one does not, an `integrity`
 * event says which (value 0: nothing later is believed) and the process
 * ends with WIRE_EXIT_STREAM_LOST, since the host can no longer run
 * scenarios on handles it lost. Returns only when every one is intact. */
void hostheld_check(void);

#endif /* SYNCHOST_HOSTHELD_H */
