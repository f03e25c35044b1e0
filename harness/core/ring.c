/* ring.c: the shared-memory event ring (see ring.h). */
#include "ring.h"

#include <stddef.h>
#include <string.h>

/* The first slot of a record. 64 bytes, the same on both builds. */
struct ring_record {
    _Atomic uint32_t commit; /* seq + 1 once the record is complete */
    uint32_t seq;
    uint64_t t_us;
    uint32_t thread;
    /* kind (low 5 bits) and text_state (high 3); slots (low 6 bits) and
     * step (high 2); the call (event.h), all in the space of four bytes. */
    uint8_t kind_text, slots_step;
    uint16_t call;
    uint32_t hr;
    uint32_t flags;
    uint32_t index;
    uint32_t index_max;
    uint64_t handle;
    uint64_t value;
    uint64_t mac;
};

_Static_assert(sizeof(struct ring_record) == RING_SLOT_BYTES, "a record header is one slot");
_Static_assert(EVENT_KIND_COUNT <= 32 && TEXT_ILL_FORMED < 8, "kind and text state share a byte");
_Static_assert(RING_MAX_RECORD_SLOTS < 64 && LOAD_STEP_COUNT <= 4 && PHASE_COUNT <= 4,
               "slots and step share a byte");
_Static_assert(EVENT_CALL_MAX <= 0xFFFFu, "a call index fits 16 bits");
_Static_assert(sizeof(struct ring_header) == 128, "the ring header layout");

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
    memcpy(r->key, key, SEAL_KEY_BYTES);
    {
        struct sip st;
        sip_init(&st, key, 1, 3);
        memcpy(r->sip_v, st.v, sizeof r->sip_v);
    }
    r->wait = wait;
    return 0;
}

static unsigned char *slot_at(const struct ring *r, uint32_t pos)
{
    return r->slots + (size_t)(pos & r->mask) * RING_SLOT_BYTES;
}

/* The MAC of a record: SipHash-1-3 (the rounds recommended for speed; the
 * key is secret and fresh every run) of its fields between the commit word
 * and the MAC itself, then of its text (NUL included), under the key.
 *
 * A record without text is the flood's case and the writer's hot path: its
 * 52 bytes are hashed straight through from the key's precomputed state
 * (six words, then the last four bytes with the length), the same result
 * as the general path in pieces, which a record with text takes. */
#define RING_MAC_SPAN (offsetof(struct ring_record, mac) - offsetof(struct ring_record, seq))
_Static_assert(RING_MAC_SPAN == 52, "the MAC covers seq to value");

#define ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIP_ROUND(v0, v1, v2, v3) \
    do {                          \
        v0 += v1;                 \
        v1 = ROTL64(v1, 13);      \
        v1 ^= v0;                 \
        v0 = ROTL64(v0, 32);      \
        v2 += v3;                 \
        v3 = ROTL64(v3, 16);      \
        v3 ^= v2;                 \
        v0 += v3;                 \
        v3 = ROTL64(v3, 21);      \
        v3 ^= v0;                 \
        v2 += v1;                 \
        v1 = ROTL64(v1, 17);      \
        v1 ^= v2;                 \
        v2 = ROTL64(v2, 32);      \
    } while (0)

static uint64_t mac_without_text(const struct ring *r, const struct ring_record *rec)
{
    const unsigned char *p = (const unsigned char *)&rec->seq;
    uint64_t v0 = r->sip_v[0], v1 = r->sip_v[1], v2 = r->sip_v[2], v3 = r->sip_v[3];
    uint64_t m;
    uint32_t tail;

    for (int i = 0; i < 6; i++) {
        memcpy(&m, p + 8 * i, 8);
        v3 ^= m;
        SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    memcpy(&tail, p + 48, 4);
    m = (uint64_t)tail | ((uint64_t)RING_MAC_SPAN << 56);
    v3 ^= m;
    SIP_ROUND(v0, v1, v2, v3);
    v0 ^= m;
    v2 ^= 0xff;
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

static uint64_t record_mac(const struct ring *r, const struct ring_record *rec, const char *text,
                           size_t text_len)
{
    struct sip st;

    if (text_len == 0) {
        return mac_without_text(r, rec);
    }
    sip_init(&st, r->key, 1, 3);
    sip_update(&st, &rec->seq, RING_MAC_SPAN);
    sip_update(&st, text, text_len);
    return sip_final(&st);
}

uint32_t ring_put(struct ring *r, struct event *ev)
{
    struct ring_record rec;
    char cut[EVENT_TEXT_MAX];
    const char *text = ev->text;
    size_t text_len = text != NULL ? strlen(text) + 1 : 0;
    uint32_t slots, pos, seq;
    uint64_t old;

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
    ev->seq = seq;
    memset(&rec, 0, sizeof rec);
    rec.seq = seq;
    rec.t_us = ev->t_us;
    rec.thread = ev->thread;
    rec.kind_text = (uint8_t)(((unsigned)ev->kind & 31u) | ((unsigned)ev->text_state & 7u) << 5);
    rec.slots_step = (uint8_t)((slots & 63u) | (ev->step & 3u) << 6);
    rec.call = (uint16_t)(ev->call <= EVENT_CALL_MAX ? ev->call : 0);
    rec.hr = ev->hr;
    rec.flags = ev->flags;
    rec.index = ev->index;
    rec.index_max = ev->index_max;
    rec.handle = ev->handle;
    rec.value = ev->value;
    rec.mac = record_mac(r, &rec, text, text_len);
    for (uint32_t i = 1; i < slots; i++) {
        size_t off = (size_t)(i - 1) * RING_SLOT_BYTES;
        size_t n = text_len - off < RING_SLOT_BYTES ? text_len - off : RING_SLOT_BYTES;
        memcpy(slot_at(r, pos + i), text + off, n);
    }
    /* Everything but the commit word, then the commit word, last. */
    memcpy(slot_at(r, pos) + sizeof(uint32_t), (const unsigned char *)&rec + sizeof(uint32_t),
           sizeof rec - sizeof(uint32_t));
    atomic_store_explicit((_Atomic uint32_t *)(void *)slot_at(r, pos), seq + 1,
                          memory_order_release);
    return seq;
}

/* Reads the record at pos if it is published as seq: 1 and ev filled, 0 not
 * published, -1 published but wrong. */
static int read_at(struct ring *r, uint32_t pos, uint32_t seq, struct event *ev, char *textbuf,
                   size_t textcap, uint32_t *slots_out)
{
    const unsigned char *first = slot_at(r, pos);
    struct ring_record rec;
    char text[EVENT_TEXT_MAX + RING_SLOT_BYTES];
    size_t text_len = 0;
    uint32_t slots, kind;

    if (atomic_load_explicit((_Atomic uint32_t *)(void *)first, memory_order_acquire) != seq + 1) {
        return 0;
    }
    memcpy(&rec, first, sizeof rec);
    slots = rec.slots_step & 63u;
    kind = rec.kind_text & 31u;
    if (rec.seq != seq || slots < 1 || slots > RING_MAX_RECORD_SLOTS || kind >= EVENT_KIND_COUNT ||
        (rec.kind_text >> 5) > TEXT_ILL_FORMED) {
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
    if (record_mac(r, &rec, text, text_len) != rec.mac) {
        return -1;
    }
    memset(ev, 0, sizeof *ev);
    ev->seq = rec.seq;
    ev->t_us = rec.t_us;
    ev->thread = rec.thread;
    ev->kind = (enum event_kind)kind;
    ev->text_state = (enum text_state)(rec.kind_text >> 5);
    ev->step = rec.slots_step >> 6;
    ev->call = rec.call;
    ev->hr = rec.hr;
    ev->flags = rec.flags;
    ev->index = rec.index;
    ev->index_max = rec.index_max;
    ev->handle = rec.handle;
    ev->value = rec.value;
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

    if (r->next_seq == records || r->read_pos == end) {
        return 0;
    }
    /* A record after the torn one starts at some slot between here and the
     * end of what was reserved, with a later sequence number. */
    for (uint32_t pos = r->read_pos + 1; pos != end; pos++) {
        for (uint32_t seq = r->next_seq + 1; seq != records; seq++) {
            uint32_t slots = 0;
            if (read_at(r, pos, seq, &ev, text, sizeof text, &slots) == 1) {
                int skipped = (int)(seq - r->next_seq);
                r->read_pos = pos;
                r->next_seq = seq;
                return skipped;
            }
            if (seq - r->next_seq > 64) {
                break; /* no more torn records than writing threads */
            }
        }
    }
    return -1;
}
