/*
 * expect.h: a scenario's own expectations (its expect: keys, scenario.h),
 * checked against what a judge sees. A failed expectation is a violation
 * whose rule is "expect." and the key path (expect.returns,
 * expect.done.hresult, expect.progress.min, expect.errors.codes,
 * expect.event.signaled), its message naming the expected and the observed
 * values. Expectations always apply, whatever the level and the skips.
 *
 * In a scenario of several calls (sync.overlap, sync.repeat) every call is
 * held to them by its own judge (calls.c). Single-threaded, portable C.
 */
#ifndef SYNCHOST_EXPECT_H
#define SYNCHOST_EXPECT_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/event.h"
#include "scenario/scenario.h"

/* What the expectations need to know of the events, counted as they come. */
struct expect_tally {
    uint64_t progress_calls;
    uint32_t last_index;       /* ulIndex of the last Progress */
    int64_t last_progress_seq; /* or -1 */
    uint64_t error_calls;
    uint32_t error_codes[SCENARIO_MAX_ERROR_CODES]; /* the first ones, in call order */
    int64_t error_seqs[SCENARIO_MAX_ERROR_CODES];
    int64_t signaled_seq, timeout_seq; /* the done event seen signaled, or not; -1 */
};

struct judge;

void expect_init(struct expect_tally *t);

/* Counts ev; checks expect.returns on the call's return. Returns 1 when a
 * violation points at ev. */
int expect_observe(struct judge *j, const struct event *ev);

/* Checks the rest once the sync is known to be over (the worker finished
 * the scenario, or the done event was signaled). */
void expect_finish(struct judge *j);

#endif /* SYNCHOST_EXPECT_H */
