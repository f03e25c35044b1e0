/* test_ring_tally.c: the tally record (ring.h, ring_put_tally): a ring
 * copied and copied back around a record, or its header alone put back,
 * shows at the next tally; a ring left alone never does, with any number
 * of writers at once; a header moved on shows too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <sched.h>

#include <cmocka.h>

#include "ring_fixture.h"


static void put(struct ring *w, enum event_kind kind, const char *text)
{
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.text = text;
    assert_int_not_equal(ring_put(w, &ev), RING_CLOSED_SEQ);
}

/* Writes the tally record (no writer is under way in these tests). */
static uint32_t put_tally(struct ring *w)
{
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_END;
    ev.index = 12345; /* replaced */
    assert_int_equal(ring_gate(w), 0);
    return ring_put_tally(w, &ev);
}

/* Reads every published record; returns the last, which must be there. */
static struct event read_all(struct ring *r)
{
    static char text[EVENT_TEXT_MAX + 1];
    struct event ev, last;
    int rc, got = 0;

    while ((rc = ring_get(r, &ev, text, sizeof text)) == 1) {
        last = ev;
        got++;
    }
    assert_int_equal(rc, 0);
    assert_int_not_equal(got, 0);
    return last;
}

/* A ring left alone: the tally is the record's own sequence number, with
 * nothing under way, and it checks out, tally after tally. */
static void test_honest_tally(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    char why[256] = "";

    (void)state;
    for (uint32_t round = 0; round < 5; round++) {
        struct event end;
        for (uint32_t i = 0; i < 7 + round * 30; i++) { /* wraps the ring */
            put(&w, EVENT_PROGRESS, i % 5 == 0 ? "a text of a slot" : NULL);
            if (i % 20 == 0) {
                read_all(&r);
            }
        }
        put_tally(&w);
        end = read_all(&r);
        assert_int_equal(end.kind, EVENT_END);
        assert_int_equal(end.index, end.seq);
        assert_int_equal(end.index_max, 0);
        assert_true(ring_is_tally(&end));
        assert_int_equal(ring_check_tally(&end, why, sizeof why), 0);
        assert_int_equal(ring_check(&r, why, sizeof why), 0);
    }
    free(mem);
}

/* The provider's copy: the header and the slots from the next record on. */
struct snapshot {
    unsigned char header[sizeof(struct ring_header)];
    unsigned char slots[8 * RING_SLOT_BYTES];
    uint32_t pos;
};

static void snap(const struct ring *w, struct snapshot *s)
{
    s->pos = (uint32_t)atomic_load(&w->hdr->reserve);
    memcpy(s->header, w->hdr, sizeof s->header);
    for (uint32_t i = 0; i < 8; i++) {
        memcpy(s->slots + i * RING_SLOT_BYTES,
               w->slots + (size_t)((s->pos + i) & w->mask) * RING_SLOT_BYTES, RING_SLOT_BYTES);
    }
}

static void restore(struct ring *w, const struct snapshot *s, int records_too)
{
    memcpy(w->hdr, s->header, sizeof s->header);
    for (uint32_t i = 0; records_too && i < 8; i++) {
        memcpy(w->slots + (size_t)((s->pos + i) & w->mask) * RING_SLOT_BYTES,
               s->slots + i * RING_SLOT_BYTES, RING_SLOT_BYTES);
    }
}

/* Copy, a record (the violation), copy back, before the reader looks: the
 * reader finds every record it reads genuine, and the tally short by one. */
static void rolled_back(int records_too, const char *violation_text)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    struct snapshot s;
    struct event end;
    char why[256] = "";

    put(&w, EVENT_CALL, NULL);
    put(&w, EVENT_DONE, NULL);
    read_all(&r);
    snap(&w, &s);
    put(&w, violation_text != NULL ? EVENT_PROGRESS : EVENT_DONE, violation_text);
    restore(&w, &s, records_too);
    put(&w, EVENT_RELEASE, NULL);
    put(&w, EVENT_EVENT_SIGNALED, NULL);
    assert_int_equal(put_tally(&w), 4);
    end = read_all(&r);
    assert_int_equal(end.kind, EVENT_END);
    assert_int_equal(end.seq, 4);
    assert_int_equal(end.index, 5);
    assert_int_equal(ring_check_tally(&end, why, sizeof why), RING_DAMAGED);
    assert_string_equal(why, "the event record was rolled back: the host wrote 5 record(s) before "
                             "event 4, the ring held 4");
    free(mem);
}

static void test_ring_copied_back_hides_nothing(void **state)
{
    (void)state;
    rolled_back(1, NULL);
    rolled_back(1, "Synchronization complete");
}

static void test_header_put_back_hides_nothing(void **state)
{
    (void)state;
    rolled_back(0, NULL);
}

/* More records than the host wrote before the tally: a header moved on. The
 * reader stops at the first record never written (ring_stalled); a tally
 * that says so is refused all the same. */
static void test_more_than_written_is_damage(void **state)
{
    struct event ev;
    char why[256] = "";

    (void)state;
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_END;
    ev.seq = 10;
    ev.index = 9;
    assert_int_equal(ring_check_tally(&ev, why, sizeof why), RING_DAMAGED);
    assert_non_null(strstr(why, "moved on"));
    /* A writer under way when the wait ended may not have reserved yet:
     * each is one record of slack, no more. */
    ev.index = 12;
    ev.index_max = 2;
    assert_int_equal(ring_check_tally(&ev, why, sizeof why), 0);
    ev.index = 13;
    assert_int_equal(ring_check_tally(&ev, why, sizeof why), RING_DAMAGED);
    assert_non_null(strstr(why, "rolled back: the host wrote 11 record(s)"));
}

/* A record of the tally's kinds written as any other (an `unloaded` that
 * says the DLL was kept, or the worker retired) carries no count, and is
 * not taken for a tally that says the header moved on; the tally is marked
 * as one, and the mark is the record's own (covered by its MAC). */
static void test_only_the_tally_is_a_tally(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    struct event ev;

    (void)state;
    put(&w, EVENT_CALL, NULL);
    put(&w, EVENT_UNLOADED, "threads of the provider still running its code");
    ev = read_all(&r);
    assert_int_equal(ev.kind, EVENT_UNLOADED);
    assert_int_equal(ev.seq, 1);
    assert_false(ring_is_tally(&ev));
    put(&w, EVENT_END, NULL);
    ev = read_all(&r);
    assert_false(ring_is_tally(&ev));
    put_tally(&w);
    ev = read_all(&r);
    assert_true(ring_is_tally(&ev));
    assert_int_equal(ev.flags, RING_TALLY_FLAG);
    assert_int_equal(ev.index, 3);
    /* Only the kinds that end a scenario or the unload carry a tally. */
    ev.kind = EVENT_CALL;
    assert_false(ring_is_tally(&ev));
    free(mem);
}

/* A closed ring has no tally, and a gate lets writers on once the tally
 * is written. */
static void test_gate_and_close(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);

    (void)state;
    put_tally(&w);
    put(&w, EVENT_PROGRESS, NULL);
    assert_int_equal(ring_writing(&w), 0);
    assert_int_equal(ring_close(&w), 0);
    assert_int_equal(ring_gate(&w), RING_CLOSED_SEQ);
    free(mem);
}

struct writer {
    struct ring *ring;
    uint32_t count;
};

/* No cmocka on these threads: it is not thread-safe. */
static void *write_many(void *arg)
{
    struct writer *wr = arg;

    for (uint32_t i = 0; i < wr->count; i++) {
        struct event ev = {.kind = EVENT_PROGRESS, .text = i % 8 == 0 ? "a text" : NULL};
        ring_put(wr->ring, &ev);
    }
    return NULL;
}

static void *tally_many(void *arg)
{
    struct writer *wr = arg;

    for (uint32_t i = 0; i < wr->count; i++) {
        struct event ev = {.kind = EVENT_END};
        ring_gate(wr->ring);
        ring_put_tally(wr->ring, &ev);
        sched_yield();
    }
    return NULL;
}

/* Writers at full speed on a small ring while tallies are taken: every
 * tally checks out (writers under way at the gate are slack), every record
 * arrives once, and a tally taken with the writers gone is exact. */
static void test_tallies_among_writers(void **state)
{
    enum { THREADS = 3, EACH = 20000, TALLIES = 300 };
    struct ring w, r;
    void *mem = make_ring(128, &w, &r);
    pthread_t t[THREADS + 1];
    struct writer wr = {&w, EACH}, tw = {&w, TALLIES};
    uint32_t got = 0, tallies = 0, total = THREADS * EACH + TALLIES;
    char text[EVENT_TEXT_MAX + 1], why[256] = "";
    struct event ev;

    (void)state;
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, write_many, &wr), 0);
    }
    assert_int_equal(pthread_create(&t[THREADS], NULL, tally_many, &tw), 0);
    while (got < total) {
        next_event(&r, &ev, text, sizeof text, got);
        if (ev.kind == EVENT_END) {
            assert_int_equal(ring_check_tally(&ev, why, sizeof why), 0);
            tallies++;
        }
        got++;
    }
    assert_int_equal(tallies, TALLIES);
    for (int i = 0; i <= THREADS; i++) {
        pthread_join(t[i], NULL);
    }
    assert_int_equal(put_tally(&w), total);
    ev = read_all(&r);
    assert_int_equal(ev.index, total);
    assert_int_equal(ev.index_max, 0);
    assert_int_equal(ring_check(&r, why, sizeof why), 0);
    free(mem);
}

#include "test_ring_tally.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
