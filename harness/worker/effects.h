/*
 * effects.h: what a provider leaves behind or changes besides the calls it
 * makes, in a host that shares its process with it as Outlook does: the
 * MAPISIB the host passed (sib-unchanged), processes it started
 * (leak-processes), and private memory that grows from sync to sync
 * (leak-memory). Each check records a `side_effect` event for the judge
 * (harness/core/rules/effects.c) when it sees something; none judges.
 * Win32 only; called on the host's thread.
 */
#ifndef SYNCHOST_EFFECTS_H
#define SYNCHOST_EFFECTS_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>

#include <synchost/mapisync.h>

/* Bytes after the MAPISIB (and after ulSize bytes, when more) that the host
 * fills with a known pattern and checks. */
#define EFFECTS_SIB_GUARD 64u

/* A copy of the MAPISIB `given` to pass to the provider: max(size,
 * sizeof(MAPISIB)) bytes, the fields first and zeros after, followed by
 * EFFECTS_SIB_GUARD guard bytes. Never freed (a provider's thread may still
 * read it); NULL when the host ran out of memory. */
MAPISIB *effects_sib_place(const MAPISIB *given, ULONG size);

/* Compares what was passed with what was given: the fields, the zeros up to
 * the size, the guard after. On the first difference for this call
 * (*reported still 0), a `side_effect` event (call, when: 0 as the call
 * returned, 1 after the settle period) and *reported = 1. */
void effects_sib_check(uint32_t call, const MAPISIB *passed, const MAPISIB *given, ULONG size,
                       int when, int *reported);

/* At start: the worker puts itself into a job object that ends every
 * process in it when the worker ends, so that the processes the provider
 * starts (and theirs) can be listed and none outlives synchost. Returns 0,
 * or -1 when the job cannot be had (processes are then found by parent
 * process id instead). */
int effects_init(void);

/* After the shutdown: every process the provider started that still runs,
 * given up to wait_ms to end, is ended and reported (a `side_effect` event
 * each, with its image name and pid). */
void effects_processes_after(DWORD wait_ms);
#define EFFECTS_PROCESS_WAIT_MS 200u

/* The process's private commit (committed private pages, in bytes), as
 * VirtualQuery sees it; identical in meaning on Windows and under Wine. */
uint64_t effects_private_commit(void);

/* After a round of syncs: the first round's end is the mark; after each
 * later one, growth past bound_mb MiB since that mark is a `side_effect`
 * event (once a scenario) that carries the bound. round counts from 0;
 * bound_mb is the script's (the scenario's memory_growth_mib, or its
 * default), never the worker's own. */
void effects_memory_round(uint32_t round, uint32_t bound_mb);

#endif /* SYNCHOST_EFFECTS_H */
