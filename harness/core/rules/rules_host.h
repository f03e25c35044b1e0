/*
 * rules_host.h: what the judge follows of the host's services for
 * leak-mapi-buffers and faults-survived (kept by
 * rules/services.c; rules/judge.c and rules/leaks.c apply them): the
 * provider's live MAPI buffers, and the first fault host.faults injected.
 * Portable C, single-threaded; part of the judge, not a public interface.
 */
#ifndef SYNCHOST_RULES_HOST_H
#define SYNCHOST_RULES_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/event.h"

struct judge_buffer {
    uint64_t addr, size;
    int64_t seq;    /* the alloc event */
    char where[96]; /* who asked: "from provider.dll+0x1a2b", "by host for ..." */
};

struct judge_host {
    int64_t fault_seq;         /* the first injected fault's event, or -1 */
    char fault_what[160];      /* its text, for messages */
    struct judge_buffer *live; /* MAPIAllocateBuffer roots not yet freed */
    size_t live_count, live_cap;
    int out_of_memory; /* the judge lost count: no leak verdict */
};

void judge_host_init(struct judge_host *h);
void judge_host_free(struct judge_host *h);

/* Follows alloc and free events, and notes the first injected fault (any
 * service call event with step 1). */
void judge_host_event(struct judge_host *h, const struct event *ev);

/* The buffers still live (0 when none or when the count was lost); *first
 * gets the earliest allocated. */
size_t judge_host_leaks(const struct judge_host *h, const struct judge_buffer **first);

/* After an injected fault, how a violation of rule is judged: 0 as is; 1 as
 * faults-survived (the provider did not survive the fault: a crash, an
 * exit, a hang, a done event never signaled); -1 not at all (a load
 * step or SynchronizeInBackground answering a failure is the right answer to
 * a failing service). */
int judge_host_after_fault(const struct judge_host *h, const char *rule);

#endif /* SYNCHOST_RULES_HOST_H */
