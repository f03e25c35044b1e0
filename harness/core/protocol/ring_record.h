/*
 * ring_record.h: the layout of one record in the event ring, for ring.c
 * (the writer's side) and ring_read.c (the reader's) only: what both sides
 * of the ring must agree on, bit for bit. Not part of ring.h's contract.
 */
#ifndef SYNCHOST_RING_RECORD_H
#define SYNCHOST_RING_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "protocol/ring.h"

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


static inline uint32_t lo32(uint64_t w)
{
    return (uint32_t)w;
}

static inline uint32_t hi32(uint64_t w)
{
    return (uint32_t)(w >> 32);
}

static inline unsigned char *slot_at(const struct ring *r, uint32_t pos)
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

static inline uint64_t record_mac_text(const struct ring *r, const uint64_t w[W_COUNT], const char *text,
                                size_t text_len)
{
    unsigned char span[RING_MAC_SPAN];
    uint32_t seq = hi32(w[W_SEQ]);

    memcpy(span, &seq, 4);
    memcpy(span + 4, &w[W_TIME], 6 * 8);
    return seal_mac_bytes(&r->mac, span, RING_MAC_SPAN, text, text_len);
}

/* One record begun (the high half of ring.writing) and one writer under
 * way (its low half). */
#define WRITER_BEGUN ((uint64_t)1 << 32 | 1u)

#endif /* SYNCHOST_RING_RECORD_H */
