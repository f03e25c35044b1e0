/*
 * shuffle.c: a seeded shuffle (see shuffle.h).
 */
#include "regress/shuffle.h"

#include "text/splitmix.h"

#include <string.h>

uint64_t shuffle_next(uint64_t *state)
{
    return splitmix64_next(state);
}

/* A uniform value in [0, bound), bound > 0: rejection, so no bias. */
static uint64_t below(uint64_t *state, uint64_t bound)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound, v;

    do {
        v = shuffle_next(state);
    } while (v >= limit);
    return v % bound;
}

static void swap_items(unsigned char *a, unsigned char *b, size_t size)
{
    unsigned char tmp[256];

    while (size > 0) {
        size_t n = size < sizeof tmp ? size : sizeof tmp;
        memcpy(tmp, a, n);
        memcpy(a, b, n);
        memcpy(b, tmp, n);
        a += n;
        b += n;
        size -= n;
    }
}

void shuffle_seeded(void *base, size_t n, size_t size, uint64_t seed)
{
    unsigned char *p = base;
    uint64_t state = seed;

    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)below(&state, i);
        if (j != i - 1) {
            swap_items(p + j * size, p + (i - 1) * size, size);
        }
    }
}
