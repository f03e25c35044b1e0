/* ring.c: the shared-memory event ring (see ring.h). */
#include "protocol/ring.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* The first slot of a record: eight little-endian 64-bit words, the same
 * on both builds. Built and read as words, in registers: a record built
 * field by field in memory and then copied as wider loads stalls on every
 * load (the stores cannot be forwarded to it).
 *
 *   0  commit (low half: seq + 1 once the record is complete), seq (high)
 *   1  t_us
 *   2  thread, kind << 32 (5 bits), text_state << 37 (3), slots << 40 (6),
 *      step << 46 (3), call << 49 (14: event.h)
 *   3  hr, flags << 32
 *   4  index, index_max << 32
 *   5  handle
 *   6  value
 *   7  the MAC of words 0 (its seq half) to 6, and the text (seal.h) */
enum { W_SEQ, W_TIME, W_WHO, W_HR, W_INDEX, W_HANDLE, W_VALUE, W_MAC, W_COUNT };
_Static_assert(W_COUNT * 8 == RING_SLOT_BYTES, "a record header is one slot");
_Static_assert(EVENT_KIND_COUNT <= 32 && TEXT_ILL_FORMED < 8, "kind and text state fit 5 and 3 bits");
_Static_assert(RING_MAX_RECORD_SLOTS < 64 && LOAD_STEP_COUNT <= 8 && PHASE_COUNT <= 8,
               "slots and step fit 6 and 3 bits");
_Static_assert(EVENT_CALL_MAX < (1u << 14), "a call index fits 14 bits");

#define WHO_KIND(w)  ((uint8_t)((w) >> 32) & 31u)
#define WHO_TEXT(w)  ((uint8_t)((w) >> 37) & 7u)
#define WHO_SLOTS(w) ((uint8_t)((w) >> 40) & 63u)
#define WHO_STEP(w)  ((uint8_t)((w) >> 46) & 7u)
#define WHO_CALL(w)  ((uint32_t)((w) >> 49) & 0x3FFFu)
_Static_assert(sizeof(struct ring_header) == 192, "the ring header layout");

__attribute__((format(printf, 3, 4))) static int damaged(char *why, size_t cap, const char *fmt,
                                                         ...);

static uint32_t lo32(uint64_t w)
{
    return (uint32_t)w;
}

static uint32_t hi32(uint64_t w)
{
    return (uint32_t)(w >> 32);
}

size_t ring_bytes(uint32_t slot_count)
{
    return RING_HEADER_SIZE + (size_t)slot_count * RING_SLOT_BYTES;
}

void ring_format(void *mem, uint32_t slot_count)
{
    struct ring_header *h = mem;

    h->magic = RING_MAGIC;
    h->slot_count = slot_count;
    h->header_size = RING_HEADER_SIZE;
    atomic_store(&h->reserve, 0);
    atomic_store(&h->consumed, 0);
    atomic_store(&h->starved_us, 0);
    atomic_store(&h->starved_takes, 0);
    atomic_store(&h->caller_starved_us, 0);
    atomic_store(&h->worker_pid, 0);
}

void ring_set_worker_pid(void *mem, uint32_t pid)
{
    atomic_store(&((struct ring_header *)mem)->worker_pid, pid);
}

uint32_t ring_worker_pid(const void *mem)
{
    uint64_t pid = atomic_load(&((struct ring_header *)mem)->worker_pid);

    return pid <= UINT32_MAX ? (uint32_t)pid : 0;
}

void ring_set_starved(struct ring *r, uint64_t us)
{
    atomic_store_explicit(&r->hdr->starved_us, us, memory_order_relaxed);
    atomic_store_explicit(&r->hdr->starved_takes, ++r->starved_takes_set, memory_order_release);
    r->starved_set = us;
}

void ring_set_caller_starved(struct ring *r, uint64_t us)
{
    atomic_store_explicit(&r->hdr->caller_starved_us, us, memory_order_relaxed);
    r->caller_starved_set = us;
}

uint64_t ring_caller_starved(const struct ring *r)
{
    return atomic_load_explicit(&r->hdr->caller_starved_us, memory_order_relaxed);
}

uint64_t ring_starved(const struct ring *r, uint64_t *takes)
{
    *takes = atomic_load_explicit(&r->hdr->starved_takes, memory_order_acquire);
    return atomic_load_explicit(&r->hdr->starved_us, memory_order_relaxed);
}

int ring_attach(struct ring *r, void *mem, size_t len, const uint8_t key[SEAL_KEY_BYTES],
                void (*wait)(void))
{
    struct ring_header *h = mem;

    memset(r, 0, sizeof *r);
    if (len < RING_HEADER_SIZE || h->magic != RING_MAGIC || h->header_size != RING_HEADER_SIZE ||
        h->slot_count < RING_MAX_RECORD_SLOTS || (h->slot_count & (h->slot_count - 1)) != 0 ||
        ring_bytes(h->slot_count) > len) {
        return -1;
    }
    r->hdr = h;
    r->slots = (unsigned char *)mem + RING_HEADER_SIZE;
    r->mask = h->slot_count - 1;
    r->slot_count = h->slot_count;
    r->reserve_seen = atomic_load_explicit(&h->reserve, memory_order_relaxed);
    r->starved_set = atomic_load_explicit(&h->starved_us, memory_order_relaxed);
    r->starved_takes_set = atomic_load_explicit(&h->starved_takes, memory_order_relaxed);
    r->caller_starved_set = atomic_load_explicit(&h->caller_starved_us, memory_order_relaxed);
    seal_mac_init(&r->mac, key);
    r->wait = wait;
    return 0;
}

static unsigned char *slot_at(const struct ring *r, uint32_t pos)
{
    return r->slots + (size_t)(pos & r->mask) * RING_SLOT_BYTES;
}

/* The tag of a record (seal.h). One without text, the flood's case and the
 * writer's hot path, takes the Wegman-Carter tag of the 56 bytes made of
 * its sequence number, a constant, and words 1 to 6, under its sequence
 * number; one with text SipHash-1-3 of the 52 bytes from its sequence
 * number to word 6, then its text (NUL included). The record's slot count
 * is among the bytes, so neither tag stands for the other. */
#define RING_NH_CONSTANT 0x31474e52u /* "RNG1" */
#define RING_MAC_SPAN    52u
_Static_assert(7 * 8 == 4 * SEAL_NH_WORDS, "NH takes seven words");

/* The hot path's tag, from the words in registers. */
SEAL_INLINE uint64_t record_tag(const struct ring *r, const uint64_t w[W_COUNT])
{
    const uint64_t m[7] = {(uint64_t)hi32(w[W_SEQ]) | (uint64_t)RING_NH_CONSTANT << 32,
                           w[W_TIME],
                           w[W_WHO],
                           w[W_HR],
                           w[W_INDEX],
                           w[W_HANDLE],
                           w[W_VALUE]};

    return seal_mac_block(&r->mac, hi32(w[W_SEQ]), m);
}

static uint64_t record_mac_text(const struct ring *r, const uint64_t w[W_COUNT], const char *text,
                                size_t text_len)
{
    unsigned char span[RING_MAC_SPAN];
    uint32_t seq = hi32(w[W_SEQ]);

    memcpy(span, &seq, 4);
    memcpy(span + 4, &w[W_TIME], 6 * 8);
    return seal_mac_bytes(&r->mac, span, RING_MAC_SPAN, text, text_len);
}

/* PREFETCHW where there is one (x86-64 CPUs since 2013 and AMD's before;
 * older ones decode it as a no-op); elsewhere a plain prefetch. */
static void prefetch_for_write(const void *p)
{
#if defined(__x86_64__) || defined(__i386__)
    __asm__ volatile("prefetchw %0" : : "m"(*(const char *)p));
#else
    __builtin_prefetch(p, 1);
#endif
}

/* One record begun (the high half of ring.writing) and one writer under
 * way (its low half). */
#define WRITER_BEGUN ((uint64_t)1 << 32 | 1u)

/* Reserves, fills and publishes ev's record; the caller counted itself in
 * r->writing, and is counted out here once the record is published. */
static uint32_t put_record(struct ring *r, struct event *ev)
{
    uint64_t w[W_COUNT];
    char cut[EVENT_TEXT_MAX];
    const char *text = ev->text;
    size_t text_len = text != NULL ? strlen(text) + 1 : 0;
    uint32_t slots, pos, seq;
    uint64_t old, *first;

    /* A text is always stored with its NUL, within EVENT_TEXT_MAX bytes: the
     * reader finds its end at the first NUL. */
    if (text_len > EVENT_TEXT_MAX) {
        memcpy(cut, text, EVENT_TEXT_MAX - 1);
        cut[EVENT_TEXT_MAX - 1] = '\0';
        text = cut;
        text_len = EVENT_TEXT_MAX;
    }
    slots = 1u + (uint32_t)((text_len + RING_SLOT_BYTES - 1) / RING_SLOT_BYTES);
    old = atomic_fetch_add_explicit(&r->hdr->reserve, ((uint64_t)1 << 32) | slots,
                                    memory_order_relaxed);
    seq = (uint32_t)(old >> 32);
    pos = (uint32_t)old;
    /* Full, as far as this process last looked: look again, and wait for
     * the reader to free the slots this record takes. */
    if ((uint32_t)(pos + slots - atomic_load_explicit(&r->consumed_seen, memory_order_relaxed)) >
        r->mask + 1) {
        for (;;) {
            uint32_t c = (uint32_t)atomic_load_explicit(&r->hdr->consumed, memory_order_acquire);
            atomic_store_explicit(&r->consumed_seen, c, memory_order_relaxed);
            /* The reader cannot be past a record not yet published: a
             * `consumed` ahead of this one was written by something else,
             * and waiting on it would never end. The record is written
             * anyway (slot_at keeps it inside the ring), and the reader,
             * which knows what it wrote there, reports the damage. */
            if ((uint32_t)(pos + slots - c) <= r->mask + 1 || (int32_t)(pos - c) < 0) {
                break;
            }
            r->wait();
        }
    }
    /* The line of a record this thread (or another) will write soon. */
    prefetch_for_write(slot_at(r, pos + RING_PREFETCH_SLOTS));
    ev->seq = seq;
    w[W_SEQ] = (uint64_t)seq << 32;
    w[W_TIME] = ev->t_us;
    w[W_WHO] = (uint64_t)ev->thread | (uint64_t)((unsigned)ev->kind & 31u) << 32 |
               (uint64_t)((unsigned)ev->text_state & 7u) << 37 | (uint64_t)(slots & 63u) << 40 |
               (uint64_t)(ev->step & 7u) << 46 |
               (uint64_t)(ev->call <= EVENT_CALL_MAX ? ev->call : 0) << 49;
    w[W_HR] = (uint64_t)ev->hr | (uint64_t)ev->flags << 32;
    w[W_INDEX] = (uint64_t)ev->index | (uint64_t)ev->index_max << 32;
    w[W_HANDLE] = ev->handle;
    w[W_VALUE] = ev->value;
    w[W_MAC] = text_len > 0 ? record_mac_text(r, w, text, text_len) : record_tag(r, w);
    for (uint32_t i = 1; i < slots; i++) {
        size_t off = (size_t)(i - 1) * RING_SLOT_BYTES;
        size_t n = text_len - off < RING_SLOT_BYTES ? text_len - off : RING_SLOT_BYTES;
        memcpy(slot_at(r, pos + i), text + off, n);
    }
    /* Everything but the commit word, then the commit word, last. */
    first = (uint64_t *)(void *)slot_at(r, pos);
    memcpy((unsigned char *)first + 4, &seq, 4);
    for (int i = W_TIME; i < W_COUNT; i++) {
        first[i] = w[i];
    }
    atomic_store_explicit((_Atomic uint32_t *)(void *)first, seq + 1, memory_order_release);
    atomic_fetch_sub_explicit(&r->writing, 1, memory_order_release);
    return seq;
}

uint32_t ring_put(struct ring *r, struct event *ev)
{
    /* Counted before the gate is looked at, and ring_gate() and
     * ring_close() set the gate before they count (all sequentially
     * consistent): a writer either sees the gate or is seen under way. */
    for (;;) {
        int gate;

        atomic_fetch_add(&r->writing, WRITER_BEGUN);
        gate = atomic_load(&r->gate);
        if (gate == RING_OPEN) {
            return put_record(r, ev);
        }
        atomic_fetch_sub(&r->writing, WRITER_BEGUN);
        if (gate == RING_SHUT) {
            ev->seq = RING_CLOSED_SEQ;
            return RING_CLOSED_SEQ;
        }
        while (atomic_load(&r->gate) == RING_GATED) {
            r->wait();
        }
    }
}

uint32_t ring_close(struct ring *r)
{
    atomic_store(&r->gate, RING_SHUT);
    return ring_writing(r);
}

uint32_t ring_writing(struct ring *r)
{
    return (uint32_t)atomic_load(&r->writing);
}

uint32_t ring_gate(struct ring *r)
{
    int open = RING_OPEN;

    if (!atomic_compare_exchange_strong(&r->gate, &open, RING_GATED)) {
        return RING_CLOSED_SEQ;
    }
    return ring_writing(r);
}

uint32_t ring_put_tally(struct ring *r, struct event *ev)
{
    /* Writers held at the gate count themselves in and out again: a look
     * may see one of them under way, which is slack, never a miss. */
    uint64_t count = atomic_load(&r->writing);
    uint32_t seq;

    ev->index = (uint32_t)(count >> 32);
    ev->index_max = (uint32_t)count;
    ev->flags = RING_TALLY_FLAG;
    atomic_fetch_add(&r->writing, WRITER_BEGUN);
    seq = put_record(r, ev);
    atomic_store(&r->gate, RING_OPEN);
    return seq;
}

int ring_is_tally(const struct event *ev)
{
    return (ev->kind == EVENT_END || ev->kind == EVENT_UNLOADED) &&
           (ev->flags & RING_TALLY_FLAG) != 0;
}

int ring_check_tally(const struct event *ev, char *why, size_t cap)
{
    uint32_t begun = ev->index, under_way = ev->index_max, held = ev->seq;

    if ((int32_t)(begun - held) < 0) {
        return damaged(why, cap,
                       "the event ring's header was moved on: it holds %u record(s) before "
                       "event %u, where the host wrote %u",
                       held, held, begun);
    }
    if (begun - held > under_way) {
        return damaged(why, cap,
                       "the event record was rolled back: the host wrote %u record(s) before "
                       "event %u, the ring held %u",
                       begun - under_way, held, held);
    }
    return 0;
}

/* Reads the record at pos if it is published as seq: 1 and ev filled, 0 not
 * published, -1 published but wrong. */
static int read_at(struct ring *r, uint32_t pos, uint32_t seq, struct event *ev, char *textbuf,
                   size_t textcap, uint32_t *slots_out)
{
    const unsigned char *first = slot_at(r, pos);
    uint64_t w[W_COUNT];
    char text[EVENT_TEXT_MAX + RING_SLOT_BYTES];
    size_t text_len = 0;
    uint32_t slots, kind;

    if (atomic_load_explicit((_Atomic uint32_t *)(void *)first, memory_order_acquire) != seq + 1) {
        return 0;
    }
    memcpy(w, first, sizeof w);
    slots = WHO_SLOTS(w[W_WHO]);
    kind = WHO_KIND(w[W_WHO]);
    if (hi32(w[W_SEQ]) != seq || slots < 1 || slots > RING_MAX_RECORD_SLOTS ||
        kind >= EVENT_KIND_COUNT || WHO_TEXT(w[W_WHO]) > TEXT_ILL_FORMED) {
        return -1;
    }
    for (uint32_t i = 1; i < slots; i++) {
        memcpy(text + (size_t)(i - 1) * RING_SLOT_BYTES, slot_at(r, pos + i), RING_SLOT_BYTES);
    }
    if (slots > 1) {
        size_t room = (size_t)(slots - 1) * RING_SLOT_BYTES;
        const char *nul = memchr(text, '\0', room < EVENT_TEXT_MAX ? room : EVENT_TEXT_MAX);
        if (nul == NULL) {
            return -1; /* the host always stores the NUL */
        }
        text_len = (size_t)(nul - text) + 1;
    }
    if ((text_len > 0 ? record_mac_text(r, w, text, text_len) : record_tag(r, w)) != w[W_MAC]) {
        return -1;
    }
    memset(ev, 0, sizeof *ev);
    ev->seq = seq;
    ev->t_us = w[W_TIME];
    ev->thread = lo32(w[W_WHO]);
    ev->kind = (enum event_kind)kind;
    ev->text_state = (enum text_state)WHO_TEXT(w[W_WHO]);
    ev->step = WHO_STEP(w[W_WHO]);
    ev->call = WHO_CALL(w[W_WHO]);
    ev->hr = lo32(w[W_HR]);
    ev->flags = hi32(w[W_HR]);
    ev->index = lo32(w[W_INDEX]);
    ev->index_max = hi32(w[W_INDEX]);
    ev->handle = w[W_HANDLE];
    ev->value = w[W_VALUE];
    if (text_len > 0 && textcap > 0) {
        size_t n = text_len < textcap ? text_len : textcap;
        memcpy(textbuf, text, n);
        textbuf[n - 1] = '\0';
        ev->text = textbuf;
    }
    *slots_out = slots;
    return 1;
}

int ring_get(struct ring *r, struct event *ev, char *textbuf, size_t textcap)
{
    uint32_t slots = 0;
    int rc = read_at(r, r->read_pos, r->next_seq, ev, textbuf, textcap, &slots);

    if (rc == 1) {
        r->last_pos = r->read_pos;
        r->read_pos += slots;
        r->next_seq++;
        if (r->read_pos - r->told_pos < RING_TELL_SLOTS &&
            r->read_pos - r->told_pos < (r->mask + 1) / 4) {
            return rc;
        }
    }
    if (r->told_pos != r->read_pos) {
        r->told_pos = r->read_pos;
        atomic_store_explicit(&r->hdr->consumed, r->read_pos, memory_order_release);
    }
    return rc;
}

/* The slots past the reader a look for the next record covers: up to the
 * end of what was reserved, which ring_check() has bounded. */
static uint32_t span_ahead(const struct ring *r, uint32_t end)
{
    uint32_t ahead = end - r->read_pos, most = r->slot_count * RING_AHEAD_MAX_RINGS;

    return ahead < most ? ahead : most;
}

/* Looks past the next record for the first later one that is published
 * with a right MAC, one commit word per slot: 1 with its place in *pos_out
 * and *seq_out, 0 when there is none, -1 after more than RING_RESYNC_TRIES
 * that look published and are wrong. At most span_ahead() steps. */
static int find_later(struct ring *r, uint32_t end, uint32_t records, uint32_t *pos_out,
                      uint32_t *seq_out)
{
    uint32_t span = span_ahead(r, end);
    int tries = 0;

    for (uint32_t i = 1; i < span; i++) {
        uint32_t pos = r->read_pos + i, slots = 0;
        uint32_t seq = atomic_load_explicit((_Atomic uint32_t *)(void *)slot_at(r, pos),
                                            memory_order_acquire) - 1u;
        struct event ev;
        char text[8];
        int rc;

        /* No more torn records than writing threads: a later record is at
         * most 64 past the next one, and reserved before the end. */
        if (seq - r->next_seq - 1u >= 64u || seq - r->next_seq >= records - r->next_seq) {
            continue;
        }
        rc = read_at(r, pos, seq, &ev, text, sizeof text, &slots);
        if (rc == 1) {
            *pos_out = pos;
            *seq_out = seq;
            return 1;
        }
        if (rc < 0 && ++tries > RING_RESYNC_TRIES) {
            return -1;
        }
    }
    return 0;
}

int ring_resync(struct ring *r)
{
    uint64_t reserved = atomic_load_explicit(&r->hdr->reserve, memory_order_acquire);
    uint32_t end = (uint32_t)reserved, records = (uint32_t)(reserved >> 32), pos, seq;
    int rc;

    if (ring_check(r, NULL, 0) != 0) {
        return RING_DAMAGED;
    }
    if (r->next_seq == records || r->read_pos == end) {
        return 0;
    }
    /* A record after the torn one starts at some slot between here and the
     * end of what was reserved, with a later sequence number. */
    rc = find_later(r, end, records, &pos, &seq);
    if (rc <= 0) {
        return -1;
    }
    rc = (int)(seq - r->next_seq);
    r->read_pos = pos;
    r->next_seq = seq;
    return rc;
}

int ring_stalled(struct ring *r, char *why, size_t cap)
{
    uint64_t reserved = atomic_load_explicit(&r->hdr->reserve, memory_order_acquire);
    uint32_t end = (uint32_t)reserved, records = (uint32_t)(reserved >> 32), pos, seq;
    uint32_t commit = atomic_load_explicit((_Atomic uint32_t *)(void *)slot_at(r, r->read_pos),
                                           memory_order_acquire);

    if (commit == r->next_seq + 1 || r->next_seq == records ||
        find_later(r, end, records, &pos, &seq) != 1) {
        return 0;
    }
    if (why != NULL && cap > 0) {
        snprintf(why, cap,
                 "the event ring's records were overwritten: record %u was never published "
                 "while record %u, reserved after it, was",
                 r->next_seq, seq);
    }
    return 1;
}

/* Says why the ring is damaged (when the caller asked). */
__attribute__((format(printf, 3, 4))) static int damaged(char *why, size_t cap, const char *fmt,
                                                         ...)
{
    va_list ap;

    if (why != NULL && cap > 0) {
        va_start(ap, fmt);
        vsnprintf(why, cap, fmt, ap);
        va_end(ap);
    }
    return RING_DAMAGED;
}

#define HEADER_DAMAGED "the event ring's header was overwritten: "

/* The reservation word against the reader's place and the last look at it.
 * Its slot half carries into its record half once every 2^32 slots (256
 * GiB of records): a worker never writes that much. */
static int check_reserve(struct ring *r, uint64_t reserved, char *why, size_t cap)
{
    uint32_t end = (uint32_t)reserved, records = (uint32_t)(reserved >> 32);
    uint32_t ahead = end - r->read_pos, pending = records - r->next_seq;
    uint32_t seen_end = (uint32_t)r->reserve_seen, seen_records = (uint32_t)(r->reserve_seen >> 32);

    if ((int32_t)ahead < 0 || (int32_t)pending < 0 || (int32_t)(end - seen_end) < 0 ||
        (int32_t)(records - seen_records) < 0) {
        return damaged(why, cap,
                       HEADER_DAMAGED "its reservation went back to %u record(s) in %u slots, "
                                      "behind the %u record(s) in %u slots read or seen before",
                       records, end, seen_records > r->next_seq ? seen_records : r->next_seq,
                       seen_end > r->read_pos ? seen_end : r->read_pos);
    }
    if (ahead > r->slot_count * RING_AHEAD_MAX_RINGS) {
        return damaged(why, cap,
                       HEADER_DAMAGED "reserved position %u is %u slots past the last record "
                                      "read, in a ring of %u",
                       end, ahead, r->slot_count);
    }
    if (pending > ahead || ahead > (uint64_t)pending * RING_MAX_RECORD_SLOTS) {
        return damaged(why, cap,
                       HEADER_DAMAGED "%u record(s) reserved past the last one read cannot take "
                                      "%u slots",
                       pending, ahead);
    }
    /* The record read last stays as it was until the writers come round
     * to its slot again: a reservation of it, looked at after the slot
     * (acquire), would show. */
    if (r->next_seq > 0 &&
        atomic_load_explicit((_Atomic uint32_t *)(void *)slot_at(r, r->last_pos),
                             memory_order_acquire) != r->next_seq &&
        (uint32_t)atomic_load_explicit(&r->hdr->reserve, memory_order_acquire) - r->last_pos <
            r->slot_count) {
        return damaged(why, cap,
                       "the event ring's records were overwritten: record %u, read already, no "
                       "longer reads as published",
                       r->next_seq - 1);
    }
    r->reserve_seen = reserved;
    return 0;
}

int ring_check(struct ring *r, char *why, size_t cap)
{
    const struct ring_header *h = r->hdr;
    uint64_t consumed = atomic_load_explicit(&h->consumed, memory_order_relaxed);
    uint64_t starved = atomic_load_explicit(&h->starved_us, memory_order_relaxed);
    uint64_t takes = atomic_load_explicit(&h->starved_takes, memory_order_relaxed);
    uint64_t caller = atomic_load_explicit(&h->caller_starved_us, memory_order_relaxed);

    if (h->magic != RING_MAGIC || h->header_size != RING_HEADER_SIZE ||
        h->slot_count != r->slot_count) {
        return damaged(why, cap,
                       HEADER_DAMAGED "its magic or layout changed (magic 0x%llx, %u slots)",
                       (unsigned long long)h->magic, h->slot_count);
    }
    if (consumed != r->told_pos) {
        return damaged(why, cap,
                       HEADER_DAMAGED "the reader's place reads %llu, where the reader wrote %u",
                       (unsigned long long)consumed, r->told_pos);
    }
    if (starved != r->starved_set || takes != r->starved_takes_set ||
        caller != r->caller_starved_set) {
        return damaged(why, cap,
                       HEADER_DAMAGED "the load figure reads %llu us (take %llu), where the "
                                      "reader wrote %llu us (take %llu)",
                       (unsigned long long)starved, (unsigned long long)takes,
                       (unsigned long long)r->starved_set,
                       (unsigned long long)r->starved_takes_set);
    }
    return check_reserve(r, atomic_load_explicit(&h->reserve, memory_order_acquire), why, cap);
}
