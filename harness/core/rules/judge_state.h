/*
 * judge_state.h: what the rules keep between events, private to the files
 * of harness/core/rules (rules.h is the public side: reports see only the
 * violations). One per judge, allocated by judge_init.
 */
#ifndef SYNCHOST_RULES_JUDGE_STATE_H
#define SYNCHOST_RULES_JUDGE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/event.h"
#include "rules/expect.h"
#include "rules/rules_host.h"
#include "rules/unit.h"

/* Threads followed apart after a cancel (more are not judged: no verdict
 * rather than a guess). */
#define JUDGE_CANCEL_THREADS 64

struct judge_state {
    uint64_t call_t_us;
    uint32_t call_thread;
    uint64_t return_handle;
    int return_closed; /* the provider closed that handle before the host looked */
    int callback_qi, callback_cast_reported;
    int64_t callback_count; /* the callback's count after its last AddRef/Release (host's: 1) */
    int callback_had_refs;
    int64_t cancel_seq; /* the first Progress the host answered with a cancel, or -1 */
    /* Per thread that was answered a cancel: its Progress calls since. */
    struct judge_cancelled {
        uint32_t thread;
        uint32_t calls_after;
    } cancelled[JUDGE_CANCEL_THREADS];
    size_t cancelled_count;
    int progress_seen;
    uint32_t last_index, last_index_max;
    int64_t call_seq, return_seq, first_done_seq, signaled_seq, end_seq;
    int returned, return_hr_valid;
    uint32_t return_hr, first_done_hr;
    uint64_t done_count;
    int saw_timeout;
    int64_t exit_seq;      /* the supervisor's `exit` event for a worker that died, or -1 */
    char exit_detail[96];  /* that event's text: how the worker ended */
    int64_t integrity_seq; /* where the stream stopped being trustworthy, or -1 */
    int phase;             /* the host's current enum host_phase, or -1 before the first */
    /* sib-failure-quiet: callbacks made before the call returned, the first */
    uint64_t callbacks_before_return;
    int64_t first_callback_seq;
    int return_failed;
    /* com-qi-rules: the IUnknown each provider object answered (enum
     * provider_object), once asked */
    uint64_t identity[PROVIDER_OBJECT_COUNT];
    int identity_seen[PROVIDER_OBJECT_COUNT];
    enum event_kind last_kind;
    struct judge_host host; /* leak-mapi-buffers, faults-survived (rules_host.h) */
    int64_t logoff_seq;     /* the host's logoff during the sync, or -1 */
    int fast_exit; /* the host shut the provider down fast: nothing was released (rules/fast.c) */
    struct expect_tally expect; /* what the scenario's expect: keys need (rules/expect.c) */
    /* A scenario of several calls (sync.overlap, sync.repeat) is judged by
     * one judge per call, each seeing its own call's events and the
     * scenario's (rules/calls.c); this one then holds the merged violations and
     * the first call's outcome. NULL for a scenario of one call. */
    struct judge_calls *calls;
    uint32_t call; /* the call a per-call judge judges, from 1; 0 for the scenario's */
    void *unit_state[RULE_UNITS_MAX]; /* each rule unit's (unit.h), by rules_unit_at's i */
    const struct rule_unit *unit_now; /* the unit being called, for rule_unit_violate */
};

#endif /* SYNCHOST_RULES_JUDGE_STATE_H */
