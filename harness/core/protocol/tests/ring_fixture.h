/*
 * ring_fixture.h: the key, the writers' wait, a ring in fresh memory and the
 * reader's wait for the next record, shared by the event ring's unit tests
 * (test_ring.c, test_ring_tally.c).
 * Include after cmocka.h.
 */
#ifndef SYNCHOST_RING_FIXTURE_H
#define SYNCHOST_RING_FIXTURE_H

#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

#include "protocol/ring.h"

static const uint8_t key[SEAL_KEY_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static void yield(void)
{
    sched_yield();
}

/* A ring of `slots` slots, formatted, with a writer w and a reader r
 * attached; the memory is the caller's to free. */
static void *make_ring(uint32_t slots, struct ring *w, struct ring *r)
{
    void *mem = calloc(1, ring_bytes(slots));

    assert_non_null(mem);
    ring_format(mem, slots);
    assert_int_equal(ring_attach(w, mem, ring_bytes(slots), key, yield), 0);
    assert_int_equal(ring_attach(r, mem, ring_bytes(slots), key, yield), 0);
    return mem;
}

/* Waits for the reader's next record while writers run; it must read, and
 * be number seq. */
static void next_event(struct ring *r, struct event *ev, char *text, size_t cap, uint32_t seq)
{
    int rc;

    while ((rc = ring_get(r, ev, text, cap)) == 0) {
        sched_yield();
    }
    assert_int_not_equal(rc, -1);
    assert_int_equal(ev->seq, seq);
}

#endif /* SYNCHOST_RING_FIXTURE_H */
