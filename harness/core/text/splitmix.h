/*
 * splitmix.h: SplitMix64 (Steele, Lea, Flood 2014, as
 * java.util.SplittableRandom): one 64-bit state, the same sequence on every
 * machine. Every seeded choice synchost makes draws from it: the --seed
 * order (regress/shuffle.c), explore's scenarios (scenario/scenario_gen.c)
 * and host.jitter_ms (fakes/fake_callback.c). Header only: the worker's
 * fakes use it too.
 */
#ifndef SYNCHOST_SPLITMIX_H
#define SYNCHOST_SPLITMIX_H

#include <stdint.h>

static inline uint64_t splitmix64_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif /* SYNCHOST_SPLITMIX_H */
