/*
 * shuffle.h: the scenario order under --seed: a Fisher-Yates shuffle driven
 * by SplitMix64 from the seed, the same on every machine and every build
 * (no rand(), no platform generator), so that a seed replays an order.
 *
 * Pure computation on the caller's array.
 */
#ifndef SYNCHOST_SHUFFLE_H
#define SYNCHOST_SHUFFLE_H

#include <stddef.h>
#include <stdint.h>

/* Permutes n items of size bytes each at base, as seed decides. */
void shuffle_seeded(void *base, size_t n, size_t size, uint64_t seed);

/* The generator: the next value of the SplitMix64 sequence at *state. */
uint64_t shuffle_next(uint64_t *state);

#endif /* SYNCHOST_SHUFFLE_H */
