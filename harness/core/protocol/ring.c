/* ring.c: the shared-memory event ring (see ring.h): its header, and the
 * writer's side. The reader's is ring_read.c. */
#include "protocol/ring.h"
#include "protocol/ring_record.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

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
    atomic_store(&h->host_delay_us, 0);
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

void ring_add_host_delay(struct ring *r, uint64_t us)
{
    atomic_fetch_add_explicit(&r->hdr->host_delay_us, us, memory_order_relaxed);
}

uint64_t ring_host_delay(const struct ring *r)
{
    return atomic_load_explicit(&r->hdr->host_delay_us, memory_order_relaxed);
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
