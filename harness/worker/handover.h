/*
 * handover.h: what the host hands the provider for one scenario, and
 * whether the provider still holds any of it when the scenario ends.
 *
 * Handed over: each call's callback (or its IUnknown-only stand-in) and
 * session, and the scenario's support object. A scenario ends with some of
 * it kept when, after the settle period, Logoff, Shutdown and the wait for
 * the scenario's own threads, one of these objects still has references
 * beyond the host's one, or a call that started a sync (S_OK, with the
 * host's callback) has had no Done yet and may still get one (no logoff
 * came in the middle of the sync, after which Done may be skipped). A
 * provider holding them may still call in on them, from the system thread
 * pool, a timer or a thread of an earlier scenario, while a pooled worker
 * already runs its next scenario; the worker therefore runs nothing else
 * (worker.c retires it), which is what a process of its own per scenario
 * would give. A correct provider keeps nothing past Logoff and Shutdown.
 *
 * The objects are never freed by the host (fake_callback.h, Lifetime), so
 * their counts can be read at any time. Host's thread only. Win32 only.
 */
#ifndef SYNCHOST_HANDOVER_H
#define SYNCHOST_HANDOVER_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>

#include <synchost/mapisync.h>

#include <mapispi.h>

/* A scenario begins: what earlier scenarios handed over is forgotten. */
void handover_begin(void);

/* Call number `index` (from 1) was made with these objects (each may be
 * NULL); done_due: the call started a sync that is to end with Done on cb.
 * Calls past the scenario maximum are not kept. */
void handover_call(uint32_t index, IMAPISyncProgressCallback *cb, IUnknown *unknown,
                   IMAPISession *session, int done_due);

/* How many of the scenario's objects the provider still holds, and calls
 * whose Done is still due (none after a logoff during the sync:
 * logoff_mid_sync), counting the support object (NULL: none). The first of
 * them are described in `what` (cap bytes): "the callback of call 2 (1
 * reference beyond the host's), call 3's Done". */
size_t handover_kept(IMAPISupport *support, int logoff_mid_sync, char *what, size_t cap);

#endif /* SYNCHOST_HANDOVER_H */
