/* test_ring.c: the shared event ring: every event written by several
 * threads at once is read back once, in sequence order, intact; a full ring
 * makes writers wait; a forged or altered record is refused; a record torn
 * by a death is skipped; a header or records overwritten by something else
 * are found damaged in a bounded number of steps, whatever they hold. */
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


static void test_round_trip_with_texts(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    char big[EVENT_TEXT_MAX + 50], text[EVENT_TEXT_MAX + 1];
    struct event ev, out;

    (void)state;
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (uint32_t i = 0; i < 300; i++) { /* wraps the ring many times */
        char small[32];
        memset(&ev, 0, sizeof ev);
        ev.kind = EVENT_PROGRESS;
        ev.index = i;
        ev.index_max = 300;
        ev.t_us = 1000 + i;
        ev.call = i * 219u % (EVENT_CALL_MAX + 1); /* 0 to 16383: every bit of the 14 */
        ev.step = i % 4;
        ev.text_state = (enum text_state)(i % 6);
        snprintf(small, sizeof small, "step %u", i);
        ev.text = i % 50 == 7 ? big : i % 3 == 0 ? NULL : small;
        assert_int_equal(ring_put(&w, &ev), i);
        assert_int_equal(ring_get(&r, &out, text, sizeof text), 1);
        assert_int_equal(out.seq, i);
        assert_int_equal(out.index, i);
        assert_int_equal(out.kind, EVENT_PROGRESS);
        assert_int_equal(out.call, i * 219u % (EVENT_CALL_MAX + 1));
        assert_int_equal(out.step, i % 4);
        assert_int_equal(out.text_state, i % 6);
        if (ev.text == NULL) {
            assert_null(out.text);
        } else if (ev.text == big) {
            assert_int_equal(strlen(out.text), EVENT_TEXT_MAX - 1);
        } else {
            assert_string_equal(out.text, small);
        }
        /* Nothing more: and the reader tells the writers how far it is. */
        assert_int_equal(ring_get(&r, &out, text, sizeof text), 0);
    }
    free(mem);
}

struct writer {
    struct ring *ring;
    uint32_t thread, count;
};

static void *write_many(void *arg)
{
    struct writer *wr = arg;

    for (uint32_t i = 0; i < wr->count; i++) {
        struct event ev;
        memset(&ev, 0, sizeof ev);
        ev.kind = EVENT_PROGRESS;
        ev.thread = wr->thread;
        ev.index = i;
        ev.text = i % 4 == 0 ? "a text that takes a slot of its own" : NULL;
        ring_put(wr->ring, &ev);
    }
    return NULL;
}

/* Four writers on a small ring: they wait for the reader, nothing is lost,
 * each writer's events arrive in its own order. */
static void test_many_writers_one_reader(void **state)
{
    enum { THREADS = 4, EACH = 20000 };
    struct ring w, r;
    void *mem = make_ring(256, &w, &r);
    pthread_t t[THREADS];
    struct writer wr[THREADS];
    uint32_t next[THREADS] = {0}, got = 0;
    char text[EVENT_TEXT_MAX + 1];

    (void)state;
    for (int i = 0; i < THREADS; i++) {
        wr[i] = (struct writer){&w, (uint32_t)i, EACH};
        assert_int_equal(pthread_create(&t[i], NULL, write_many, &wr[i]), 0);
    }
    while (got < THREADS * EACH) {
        struct event ev;

        next_event(&r, &ev, text, sizeof text, got);
        assert_true(ev.thread < THREADS);
        assert_int_equal(ev.index, next[ev.thread]);
        next[ev.thread]++;
        got++;
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
    }
    free(mem);
}

static void test_forged_and_altered_records(void **state)
{
    struct ring w, r, other;
    void *mem = make_ring(64, &w, &r);
    static const uint8_t wrong[SEAL_KEY_BYTES] = {0};
    struct event ev, out;
    char text[64];
    unsigned char *first;

    (void)state;
    /* Sealed with another key: a forger who does not know the key. */
    assert_int_equal(ring_attach(&other, mem, ring_bytes(64), wrong, yield), 0);
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_DONE;
    ring_put(&other, &ev);
    assert_int_equal(ring_get(&r, &out, text, sizeof text), -1);
    free(mem);

    /* A record changed after it was written. */
    mem = make_ring(64, &w, &r);
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_DONE;
    ev.hr = 0x80004005u;
    ev.text = "text";
    ring_put(&w, &ev);
    first = (unsigned char *)mem + RING_HEADER_SIZE;
    first[24] ^= 1; /* in hr */
    assert_int_equal(ring_get(&r, &out, text, sizeof text), -1);
    first[24] ^= 1;
    first[RING_SLOT_BYTES] = 'T'; /* in the text */
    assert_int_equal(ring_get(&r, &out, text, sizeof text), -1);
    first[RING_SLOT_BYTES] = 't';
    assert_int_equal(ring_get(&r, &out, text, sizeof text), 1);
    assert_string_equal(out.text, "text");
    free(mem);
}

/* A writer reserved a record and died before publishing it: what others
 * wrote after it is still read, once the writer is known to be gone. */
static void test_torn_record_is_skipped(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    struct event ev, out;
    char text[64];

    (void)state;
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_PROGRESS;
    ring_put(&w, &ev);
    /* The torn one: reserved (two slots), never published. */
    atomic_fetch_add(&w.hdr->reserve, ((uint64_t)1 << 32) | 2);
    ev.kind = EVENT_CRASH;
    ev.hr = 0xC0000005u;
    ring_put(&w, &ev);
    assert_int_equal(ring_get(&r, &out, text, sizeof text), 1);
    assert_int_equal(ring_get(&r, &out, text, sizeof text), 0);
    assert_int_equal(ring_resync(&r), 1);
    assert_int_equal(ring_get(&r, &out, text, sizeof text), 1);
    assert_int_equal(out.kind, EVENT_CRASH);
    assert_int_equal(out.seq, 2);
    assert_int_equal(ring_resync(&r), 0);
    free(mem);
}

/* The MAC of a record without text (the writer's fast path) is the
 * Wegman-Carter tag of seal.h: NH of its sequence number, a constant word
 * and bytes 8 to 56 of its slot, plus SipHash-1-3 of its sequence number
 * under K_pad, computed here the long way. */
static void test_fast_mac_is_wegman_carter(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    const unsigned char *slot = (const unsigned char *)mem + RING_HEADER_SIZE;
    struct event ev;
    struct sip st;
    uint64_t stored, nh = 0;
    uint32_t words[SEAL_NH_WORDS], seq;

    (void)state;
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_PROGRESS;
    ring_put(&w, &ev); /* seq 0 */
    ev.t_us = 0x0123456789abcdefull;
    ev.index = 7;
    ev.index_max = 9;
    ev.handle = 0xfeedfacecafebeefull;
    ring_put(&w, &ev); /* seq 1, in the second slot */
    slot += RING_SLOT_BYTES;
    memcpy(&stored, slot + 56, sizeof stored);
    memcpy(words, slot + 4, 4);
    words[1] = 0x31474e52u;
    memcpy(words + 2, slot + 8, 48);
    for (int i = 0; i < SEAL_NH_WORDS; i += 2) {
        nh += (uint64_t)(uint32_t)(words[i] + w.mac.nh[i]) *
              (uint64_t)(uint32_t)(words[i + 1] + w.mac.nh[i + 1]);
    }
    memcpy(st.v, w.mac.pad_v, sizeof st.v);
    st.c_rounds = 1;
    st.d_rounds = 3;
    st.len = 0;
    st.buffered = 0;
    memcpy(&seq, slot + 4, 4);
    assert_int_equal(seq, 1);
    sip_update(&st, &seq, 4);
    assert_true(nh + sip_final(&st) == stored);
    free(mem);
}

/* Every byte of a text-less record but the commit word is under its MAC. */
static void test_every_byte_is_sealed(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    unsigned char *first = (unsigned char *)mem + RING_HEADER_SIZE;
    struct event ev, out;
    char text[64];

    (void)state;
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_PROGRESS;
    ev.index = 1;
    ev.index_max = 1;
    ring_put(&w, &ev);
    for (int i = 4; i < (int)RING_SLOT_BYTES; i++) {
        for (int bit = 0; bit < 8; bit++) {
            first[i] ^= (unsigned char)(1u << bit);
            assert_int_equal(ring_get(&r, &out, text, sizeof text), -1);
            first[i] ^= (unsigned char)(1u << bit);
        }
    }
    assert_int_equal(ring_get(&r, &out, text, sizeof text), 1);
    free(mem);
}

/* Past a torn record, a forger planting records with wrong MACs gets
 * RING_RESYNC_TRIES tries, not one per slot. */
static void test_resync_gives_up_on_forgeries(void **state)
{
    struct ring w, r, other;
    void *mem = make_ring(64, &w, &r);
    static const uint8_t wrong[SEAL_KEY_BYTES] = {9};
    struct event ev, out;
    char text[64];

    (void)state;
    assert_int_equal(ring_attach(&other, mem, ring_bytes(64), wrong, yield), 0);
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_PROGRESS;
    ring_put(&w, &ev);
    atomic_fetch_add(&w.hdr->reserve, ((uint64_t)1 << 32) | 1); /* torn */
    for (int i = 0; i < RING_RESYNC_TRIES + 1; i++) {
        ev.kind = EVENT_DONE;
        ring_put(&other, &ev);
    }
    ev.kind = EVENT_END;
    ring_put(&w, &ev); /* a right one, past the forgeries */
    assert_int_equal(ring_get(&r, &out, text, sizeof text), 1);
    assert_int_equal(ring_get(&r, &out, text, sizeof text), 0);
    assert_int_equal(ring_resync(&r), -1);
    free(mem);
}

/* Writes n records without text and reads the first `read` of them. */
static void put_and_read(struct ring *w, struct ring *r, uint32_t n, uint32_t read)
{
    struct event ev, out;
    char text[64];

    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_PROGRESS;
    for (uint32_t i = 0; i < n; i++) {
        ring_put(w, &ev);
    }
    for (uint32_t i = 0; i < read; i++) {
        assert_int_equal(ring_get(r, &out, text, sizeof text), 1);
    }
}

/* A reservation set far ahead (the figure a provider left in the header)
 * is damage, found at once: the look past a torn record does not walk to
 * it. */
static void test_huge_reserved_position_is_damage(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    char why[256];

    (void)state;
    put_and_read(&w, &r, 3, 2);
    assert_int_equal(ring_check(&r, why, sizeof why), 0);
    atomic_store(&w.hdr->reserve, (uint64_t)3 << 32 | 1184128062u);
    assert_int_equal(ring_check(&r, why, sizeof why), RING_DAMAGED);
    assert_non_null(strstr(why, "reserved position 1184128062 is 1184128060 slots past"));
    assert_int_equal(ring_resync(&r), RING_DAMAGED);
    free(mem);
}

/* A ring zeroed whole, header and records: its magic is gone. */
static void test_zeroed_ring_is_damage(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    char why[256];

    (void)state;
    put_and_read(&w, &r, 5, 1);
    memset(mem, 0, ring_bytes(64));
    assert_int_equal(ring_check(&r, why, sizeof why), RING_DAMAGED);
    assert_non_null(strstr(why, "magic or layout"));
    assert_int_equal(ring_resync(&r), RING_DAMAGED);
    free(mem);
}

/* Each field the reader alone writes, or that only grows, when it reads
 * otherwise than the reader knows it. */
static void test_crafted_header_is_damage(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    struct event ev;
    uint64_t reserve;

    (void)state;
    put_and_read(&w, &r, 4, 4);
    ring_set_starved(&r, 5000);
    assert_int_equal(ring_check(&r, NULL, 0), 0);
    reserve = atomic_load(&w.hdr->reserve);
    /* A record count that its slots cannot hold. */
    atomic_store(&w.hdr->reserve, reserve + ((uint64_t)5 << 32));
    assert_int_equal(ring_check(&r, NULL, 0), RING_DAMAGED);
    /* A reservation gone back. */
    atomic_store(&w.hdr->reserve, reserve - ((uint64_t)1 << 32) - 1);
    assert_int_equal(ring_check(&r, NULL, 0), RING_DAMAGED);
    atomic_store(&w.hdr->reserve, reserve);
    assert_int_equal(ring_check(&r, NULL, 0), 0);
    /* The load figure, which the worker's deadlines read. */
    atomic_store(&w.hdr->starved_us, UINT64_MAX);
    assert_int_equal(ring_check(&r, NULL, 0), RING_DAMAGED);
    atomic_store(&w.hdr->starved_us, 5000);
    assert_int_equal(ring_check(&r, NULL, 0), 0);
    /* The calling thread's part, which a call's duration is credited with. */
    ring_set_caller_starved(&r, 700);
    ring_set_starved(&r, 5000);
    assert_int_equal(ring_caller_starved(&w), 700);
    atomic_store(&w.hdr->caller_starved_us, 900000);
    assert_int_equal(ring_check(&r, NULL, 0), RING_DAMAGED);
    atomic_store(&w.hdr->caller_starved_us, 700);
    assert_int_equal(ring_check(&r, NULL, 0), 0);
    /* The reader's place, set ahead: a writer does not wait on it forever
     * (this put returns), and the reader sees it was not its own. */
    atomic_store(&w.hdr->consumed, 1000000u);
    atomic_store(&w.consumed_seen, 0);
    memset(&ev, 0, sizeof ev);
    for (int i = 0; i < 70; i++) { /* more than the ring holds */
        ring_put(&w, &ev);
    }
    assert_int_equal(ring_check(&r, NULL, 0), RING_DAMAGED);
    free(mem);
}

/* Records overwritten with zeros or random bytes (the header left alone):
 * the next record never comes; once a later one is published the reader
 * says it is held up by damage, and every look ends. */
static void test_overwritten_records(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    unsigned char *slots = (unsigned char *)mem + RING_HEADER_SIZE;
    struct event ev, out;
    char text[64], why[256];

    (void)state;
    put_and_read(&w, &r, 6, 2);
    assert_int_equal(ring_check(&r, NULL, 0), 0);
    memset(slots, 0, 64 * RING_SLOT_BYTES);
    assert_int_equal(ring_get(&r, &out, text, sizeof text), 0);
    assert_int_equal(ring_check(&r, why, sizeof why), RING_DAMAGED); /* the one read last */
    assert_non_null(strstr(why, "record 1, read already"));
    assert_int_equal(ring_stalled(&r, NULL, 0), 0); /* nothing later published yet */
    memset(&ev, 0, sizeof ev);
    ring_put(&w, &ev);
    assert_int_equal(ring_stalled(&r, why, sizeof why), 1);
    assert_non_null(strstr(why, "record 2 was never published while record 6"));
    /* Random bytes: every commit word a wrong sequence number. */
    srand(7);
    for (size_t i = 0; i < 64 * RING_SLOT_BYTES; i++) {
        slots[i] = (unsigned char)rand();
    }
    assert_int_equal(ring_stalled(&r, NULL, 0), 0);
    assert_true(ring_resync(&r) < 0);
    /* The same with the reservation as far ahead as a header may say. */
    atomic_store(&w.hdr->reserve, (uint64_t)(2 + 128) << 32 | (2 + 128));
    assert_int_equal(ring_check(&r, NULL, 0), 0);
    assert_true(ring_resync(&r) < 0);
    free(mem);
}

/* A closed ring takes no record: nothing is reserved, so nothing is left
 * half written for the reader to take for damage, and the reader finds the
 * records published before the close, and nothing it must look past. */
static void test_closed_ring_reserves_nothing(void **state)
{
    struct ring w, r;
    void *mem = make_ring(64, &w, &r);
    struct event ev, out;
    char text[64];
    uint64_t reserve;

    (void)state;
    put_and_read(&w, &r, 3, 3);
    assert_int_equal(ring_writing(&w), 0);
    assert_int_equal(ring_close(&w), 0);
    reserve = atomic_load(&w.hdr->reserve);
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_PROGRESS;
    assert_int_equal(ring_put(&w, &ev), RING_CLOSED_SEQ);
    assert_int_equal(ev.seq, RING_CLOSED_SEQ);
    assert_true(atomic_load(&w.hdr->reserve) == reserve);
    assert_int_equal(ring_writing(&w), 0);
    assert_int_equal(ring_get(&r, &out, text, sizeof text), 0);
    assert_int_equal(ring_resync(&r), 0);
    free(mem);
}

static void test_attach_refuses_what_is_not_a_ring(void **state)
{
    struct ring r;
    void *mem = calloc(1, ring_bytes(64));

    (void)state;
    assert_int_equal(ring_attach(&r, mem, ring_bytes(64), key, yield), -1);
    ring_format(mem, 64);
    assert_int_equal(ring_attach(&r, mem, ring_bytes(64) - 1, key, yield), -1);
    ring_format(mem, 48);
    assert_int_equal(ring_attach(&r, mem, ring_bytes(64), key, yield), -1);
    free(mem);
}

/* The worker's Linux process id, told to the worker before the key: a
 * fresh ring says none, and a pid too large for one is none too. */
static void test_worker_pid(void **state)
{
    void *mem = malloc(ring_bytes(64));

    (void)state;
    memset(mem, 0xa5, ring_bytes(64));
    ring_format(mem, 64);
    assert_int_equal(ring_worker_pid(mem), 0);
    ring_set_worker_pid(mem, 4242);
    assert_int_equal(ring_worker_pid(mem), 4242);
    atomic_store(&((struct ring_header *)mem)->worker_pid, (uint64_t)1 << 40);
    assert_int_equal(ring_worker_pid(mem), 0);
    free(mem);
}

/* The machine is overloaded only when a deadline's move reached its limit
 * and the load kept the host from running for a second at least. */
static void test_starved_overloaded(void **state)
{
    (void)state;
    assert_false(ring_starved_overloaded(3, 1));       /* a short deadline's few ms */
    assert_false(ring_starved_overloaded(999, 100));
    assert_true(ring_starved_overloaded(1000, 100));
    assert_false(ring_starved_overloaded(2999, 1000)); /* its move had not reached 3x */
    assert_true(ring_starved_overloaded(3000, 1000));
}

/* The host's delays add up in the header, from 0 in a fresh ring; the
 * deadline's move is what they grew by, in ms, never more than
 * RING_HOST_DELAY_MAX_FACTOR times the bound, and nothing for a figure that
 * went back (written by something else). */
static void test_host_delay(void **state)
{
    void *mem = malloc(ring_bytes(64));
    struct ring r = {0};

    (void)state;
    memset(mem, 0xa5, ring_bytes(64));
    ring_format(mem, 64);
    r.hdr = mem;
    assert_int_equal(ring_host_delay(&r), 0);
    ring_add_host_delay(&r, 1500);
    ring_add_host_delay(&r, 2500);
    assert_int_equal(ring_host_delay(&r), 4000);
    assert_int_equal(ring_host_delay_move_ms(1000, ring_host_delay(&r), 100), 3);
    assert_int_equal(ring_host_delay_move_ms(0, 299000, 100), 299);
    assert_int_equal(ring_host_delay_move_ms(0, 301000, 100), 100 * RING_HOST_DELAY_MAX_FACTOR);
    assert_int_equal(ring_host_delay_move_ms(0, UINT64_MAX, 100), 100 * RING_HOST_DELAY_MAX_FACTOR);
    assert_int_equal(ring_host_delay_move_ms(5000, 4000, 100), 0);
    free(mem);
}

#include "test_ring.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
