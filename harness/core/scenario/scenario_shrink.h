/*
 * scenario_shrink.h: the smaller cases `synchost explore` tries when it
 * shrinks a failing one (docs/explore.md, "Shrinking"). Pure: the runs
 * that tell which candidate still fails are the supervisor's
 * (explore_shrink.c). Thread-safe (no state).
 */
#ifndef SYNCHOST_SCENARIO_SHRINK_H
#define SYNCHOST_SCENARIO_SHRINK_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario_gen.h"

/* How far gc is from the default case: every key set counts, and every
 * number adds. Each shrink candidate weighs strictly less than its case, so
 * that shrinking ends. */
uint64_t gen_case_weight(const struct gen_case *gc);

/* How many keys gc sets (a file's "few lines"). */
unsigned gen_case_keys(const struct gen_case *gc);

/* The simpler cases to try after gc, the most promising first: keys
 * dropped, then numbers made smaller (fewer calls, shorter delays, earlier
 * call numbers), at most cap into out. Returns how many. Every one weighs
 * less than gc and keeps the generator's restrictions (scenario_gen.h). */
size_t gen_shrink_candidates(const struct gen_case *gc, struct gen_case *out, size_t cap);

#endif /* SYNCHOST_SCENARIO_SHRINK_H */
