/* ring.c: the shared-memory event ring (see ring.h). */
#include "ring.h"

#include <stddef.h>
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
}

void ring_set_starved(struct ring *r, uint64_t us)
{
    atomic_store_explicit(&r->hdr->starved_us, us, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->hdr->starved_takes, 1, memory_order_release);
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

uint32_t ring_put(struct ring *r, struct event *ev)
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
            if ((uint32_t)(pos + slots - c) <= r->mask + 1) {
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
    return seq;
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

int ring_resync(struct ring *r)
{
    uint64_t reserved = atomic_load_explicit(&r->hdr->reserve, memory_order_acquire);
    uint32_t end = (uint32_t)reserved, records = (uint32_t)(reserved >> 32);
    struct event ev;
    char text[8];
    int tries = 0;

    if (r->next_seq == records || r->read_pos == end) {
        return 0;
    }
    /* A record after the torn one starts at some slot between here and the
     * end of what was reserved, with a later sequence number. */
    for (uint32_t pos = r->read_pos + 1; pos != end; pos++) {
        for (uint32_t seq = r->next_seq + 1; seq != records; seq++) {
            uint32_t slots = 0;
            int rc = read_at(r, pos, seq, &ev, text, sizeof text, &slots);
            if (rc == 1) {
                int skipped = (int)(seq - r->next_seq);
                r->read_pos = pos;
                r->next_seq = seq;
                return skipped;
            }
            if (rc < 0 && ++tries > RING_RESYNC_TRIES) {
                return -1;
            }
            if (seq - r->next_seq > 64) {
                break; /* no more torn records than writing threads */
            }
        }
    }
    return -1;
}
