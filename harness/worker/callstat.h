/*
 * callstat.h: the host's calling thread's wait for a CPU, as Linux counts
 * it (harness/core/protocol/callwait.h). The worker's first thread makes every call;
 * under Wine it is a Linux thread whose id is the process's, which the
 * supervisor tells through the ring (ring_header.worker_pid). Its
 * schedstat is opened once, before the provider loads: the wineserver
 * opens it (so the path names the process, never "self") and the worker
 * keeps the Unix descriptor, so each read after that is one read(2) in
 * this process, made by the thread it is about. Where there is no such
 * file (Windows, a worker run by hand) nothing is read and a call is
 * credited with the supervisor's figure alone.
 *
 * Threading: callstat_open and callstat_read on the worker's first thread
 * only; a read on any other thread fails.
 */
#ifndef SYNCHOST_CALLSTAT_H
#define SYNCHOST_CALLSTAT_H

#include <stdint.h>

/* Opens the schedstat of process pid's first thread (0: none). */
void callstat_open(uint32_t pid);

/* The calling thread's run_delay in ns now. Returns 0, or -1 when there
 * is nothing to read, the file reads as something else (a provider that
 * closed the handle), or the caller is not the thread opened for. */
int callstat_read(uint64_t *run_delay_ns);

#endif /* SYNCHOST_CALLSTAT_H */
