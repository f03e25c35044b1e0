/* ring_read.c: the event ring's reader's side (see ring.h): records read,
 * checked against their tags, and the header checked against what the
 * reader knows. */
#include "protocol/ring.h"
#include "protocol/ring_record.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 4))) static int ring_damaged(char *why, size_t cap,
                                                              const char *fmt, ...);

int ring_check_tally(const struct event *ev, char *why, size_t cap)
{
    uint32_t begun = ev->index, under_way = ev->index_max, held = ev->seq;

    if ((int32_t)(begun - held) < 0) {
        return ring_damaged(why, cap,
                       "the event ring's header was moved on: it holds %u record(s) before "
                       "event %u, where the host wrote %u",
                       held, held, begun);
    }
    if (begun - held > under_way) {
        return ring_damaged(why, cap,
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
__attribute__((format(printf, 3, 4))) static int ring_damaged(char *why, size_t cap,
                                                              const char *fmt, ...)
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
        return ring_damaged(why, cap,
                       HEADER_DAMAGED "its reservation went back to %u record(s) in %u slots, "
                                      "behind the %u record(s) in %u slots read or seen before",
                       records, end, seen_records > r->next_seq ? seen_records : r->next_seq,
                       seen_end > r->read_pos ? seen_end : r->read_pos);
    }
    if (ahead > r->slot_count * RING_AHEAD_MAX_RINGS) {
        return ring_damaged(why, cap,
                       HEADER_DAMAGED "reserved position %u is %u slots past the last record "
                                      "read, in a ring of %u",
                       end, ahead, r->slot_count);
    }
    if (pending > ahead || ahead > (uint64_t)pending * RING_MAX_RECORD_SLOTS) {
        return ring_damaged(why, cap,
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
        return ring_damaged(why, cap,
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
        return ring_damaged(why, cap,
                       HEADER_DAMAGED "its magic or layout changed (magic 0x%llx, %u slots)",
                       (unsigned long long)h->magic, h->slot_count);
    }
    if (consumed != r->told_pos) {
        return ring_damaged(why, cap,
                       HEADER_DAMAGED "the reader's place reads %llu, where the reader wrote %u",
                       (unsigned long long)consumed, r->told_pos);
    }
    if (starved != r->starved_set || takes != r->starved_takes_set ||
        caller != r->caller_starved_set) {
        return ring_damaged(why, cap,
                       HEADER_DAMAGED "the load figure reads %llu us (take %llu), where the "
                                      "reader wrote %llu us (take %llu)",
                       (unsigned long long)starved, (unsigned long long)takes,
                       (unsigned long long)r->starved_set,
                       (unsigned long long)r->starved_takes_set);
    }
    return check_reserve(r, atomic_load_explicit(&h->reserve, memory_order_acquire), why, cap);
}
