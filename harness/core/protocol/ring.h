/*
 * ring.h: the event ring, shared memory between the worker (which writes
 * events into it) and the supervisor (which reads them out): the worker's
 * half of the protocol, at the cost of a few stores per event.
 *
 * A file the supervisor creates and both processes map: a header, then a
 * power-of-two number of 64-byte slots. An event takes one slot, plus one
 * per 64 bytes of its text (NUL-terminated). Any number of threads write at
 * once without a lock: a writer reserves its slots and its sequence number
 * with one atomic add, fills them, and publishes the record by storing its
 * sequence number + 1 into the first slot last (release). The one reader
 * takes records in sequence order (acquire), and tells the writers how far
 * it has read; a writer that would overtake it waits (the ring is full).
 *
 * Nothing is lost when the worker dies: the memory outlives it, so the
 * reader takes everything published. A record torn by the death (reserved,
 * not published) is skipped by ring_resync() once the worker is gone.
 *
 * Every record carries a MAC under the per-run key (seal.h: a Wegman-Carter
 * tag for a record without text, SipHash-1-3 for one with text) over its
 * fields, its sequence number and its text, so that a provider writing into
 * the ring cannot forge or alter an event unnoticed.
 *
 * The writer's cost per record: one atomic add (the reservation, which is
 * also the order), the tag, and one 64-byte line of stores. The line was
 * last read by the reader, on another core, a lap of the ring ago: the
 * writer asks for it ahead (a prefetch for writing, RING_PREFETCH_SLOTS
 * ahead), so that its stores do not wait for the line at the next atomic
 * add, which drains them. The record is built and read as eight 64-bit
 * words in registers (ring.c). Portable C11 (<stdatomic.h>); the layout is
 * the same for the Windows and Linux x86-64 builds.
 */
#ifndef SYNCHOST_RING_H
#define SYNCHOST_RING_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/event.h"
#include "protocol/seal.h"

#define RING_MAGIC       0x31474e4952484e53ull /* "SNHRING1" */
#define RING_SLOT_BYTES  64u
#define RING_HEADER_SIZE 4096u
#define RING_TELL_SLOTS  1024u
/* How far ahead of its record a writer asks for the ring's lines. */
#define RING_PREFETCH_SLOTS 16u
/* Records with a wrong MAC ring_resync() looks past before it gives up: a
 * forger planting records past a torn one gets no more tries than these. */
#define RING_RESYNC_TRIES 4
/* The slots of the longest record: the header slot and EVENT_TEXT_MAX bytes. */
#define RING_MAX_RECORD_SLOTS (1u + (EVENT_TEXT_MAX + RING_SLOT_BYTES) / RING_SLOT_BYTES)

struct ring_header {
    uint64_t magic;
    uint32_t slot_count; /* a power of two */
    uint32_t header_size;
    _Atomic uint64_t reserve; /* records reserved << 32 | slots reserved (mod 2^32) */
    char pad1[64 - 24];
    _Atomic uint64_t consumed; /* slots the reader is done with (mod 2^32 in use) */
    char pad2[64 - 8];
    /* Microseconds the machine kept the worker from running so far: time its
     * threads and the prefix's wineserver were runnable but waited for a CPU
     * (the reader's measure, supervisor/cpuwait.h; 0 where there is none).
     * Written by the reader, read by the worker, which counts a deadline
     * only in the time it could run (harness/worker/starve.h). */
    _Atomic uint64_t starved_us;
    _Atomic uint64_t starved_takes; /* how often the reader took that figure */
    /* The part of starved_us the worker's calling thread waited: the load
     * a call's own duration is credited with. Written before starved_takes
     * is counted up, so a take seen covers both. */
    _Atomic uint64_t caller_starved_us;
    /* The worker's Linux process id, whose first thread is the host's
     * calling thread: written by the reader before it sends the key, read
     * by the worker once, before the provider loads (harness/core/
     * protocol/callwait.h); 0 where there is none. */
    _Atomic uint64_t worker_pid;
    /* Microseconds the host's own scripted answers held the provider's
     * calls so far (host.delay_ms, host.jitter_ms): time the provider could
     * not use, which a deadline does not count either. Written by the
     * worker, read by both sides; the provider can write it too, so each
     * reader bounds what it takes from it (RING_HOST_DELAY_MAX_FACTOR). */
    _Atomic uint64_t host_delay_us;
    char pad3[64 - 40];
};

/* One process's view of a mapped ring. */
struct ring {
    struct ring_header *hdr;
    unsigned char *slots;
    uint32_t mask;
    struct seal_mac mac; /* the records' tags' keys (seal.h) */
    void (*wait)(void);  /* a writer's pause while the ring is full */
    /* The writers' last look at hdr->consumed: read again only when the ring
     * seems full, so that writers and the reader do not pull one cache line
     * to and fro on every record. */
    _Atomic uint32_t consumed_seen;
    /* The writers' own count, in this process's private memory, where the
     * provider cannot reach it without searching for it: records begun
     * since the ring was attached << 32 | writers between their start and
     * their publication. The records begun are what the ring must hold
     * (ring_put_tally); the writers under way are what ring_close waits
     * for. One atomic add at each end of a record, as before the count. */
    _Atomic uint64_t writing;
    /* RING_OPEN, RING_GATED (writers wait: ring_gate) or RING_SHUT
     * (ring_close: nothing more is written). */
    _Atomic int gate;
    /* The reader's place, and how far it last told the writers. */
    uint32_t read_pos;
    uint32_t next_seq;
    uint32_t told_pos;
    /* The reader's own copies of what it alone writes into the header (and
     * of the slot count it attached with): a header that disagrees with
     * them was written by something else (ring_check). */
    uint32_t slot_count;
    uint64_t starved_set, starved_takes_set, caller_starved_set;
    uint64_t reserve_seen; /* the reservation word at the last check */
    uint32_t last_pos;     /* where the record read last starts */
};

/* What ring_resync(), ring_check() and ring_check_tally() return for a ring whose
 * header or records were written by something other than the host: the
 * reader can no longer tell what was recorded. */
#define RING_DAMAGED (-2)
/* A reservation may run ahead of the reader by the ring's slots and one
 * record per writer waiting for room; more than this many rings' worth is
 * not a reservation but damage. */
#define RING_AHEAD_MAX_RINGS 2u

/* Bytes a ring of slot_count slots takes. */
size_t ring_bytes(uint32_t slot_count);

/* Lays out a fresh ring in mem (ring_bytes() of it, zeroed). Reader side. */
void ring_format(void *mem, uint32_t slot_count);

/* Attaches to a ring in mem (len bytes). Returns 0, or -1 when mem does not
 * hold a ring that fits in len. */
int ring_attach(struct ring *r, void *mem, size_t len, const uint8_t key[SEAL_KEY_BYTES],
                void (*wait)(void));

/* Writes ev (its seq is set here; t_us and thread are the caller's). Safe
 * from any number of threads at once, and lock-free unless the ring is full.
 * Returns the sequence number, or RING_CLOSED_SEQ (nothing written) once
 * ring_close() was called. */
uint32_t ring_put(struct ring *r, struct event *ev);

#define RING_CLOSED_SEQ UINT32_MAX

/* The writer's process is about to end: from now on ring_put() reserves
 * nothing. Returns how many writers are still between their reservation
 * and its publication; the caller waits (a bounded time) until that is 0,
 * so that a process that ends by itself leaves no record half written for
 * the reader to take for damage. */
uint32_t ring_close(struct ring *r);

/* Writers still between their reservation and its publication. */
uint32_t ring_writing(struct ring *r);

/*
 * The tally: a record cannot be rolled back unseen.
 *
 * A provider can copy the ring (header and records), make the host record
 * a violation, and copy the ring back before the reader has looked: the
 * records it restores are genuine older ones, so their MACs hold, and the
 * violation is gone. What it cannot restore is the writers' own count of
 * the records they began (ring.writing), kept in the worker's private
 * memory. So at the end of each scenario, and after the unload, the worker
 * writes one record that carries that count: ring_gate() holds new writers
 * back, the caller waits (a bounded time) until ring_writing() is 0, and
 * ring_put_tally() writes ev with index = records begun before it and
 * index_max = writers still under way, then lets the writers go on.
 *
 * The reader has read every record before that one (it reads in sequence
 * order), each a distinct genuine record: when the ring holds fewer records
 * than the writers began, some were rolled back or removed (the host reused
 * their sequence numbers); when it holds more, its header was moved on.
 * ring_check_tally() says so. A writer still under way when the wait ended
 * may not have reserved yet: each one is a record of slack.
 */
#define RING_OPEN  0
#define RING_GATED 1
#define RING_SHUT  2

/* Holds new writers back (they wait in ring_put until ring_put_tally) and
 * returns how many are under way, or RING_CLOSED_SEQ once ring_close() was
 * called (then there is no tally). One gate holder at a time (the worker's
 * main thread); it must not write with ring_put() until ring_put_tally(). */
uint32_t ring_gate(struct ring *r);

/* After ring_gate(): writes ev (as ring_put) with the tally in ev->index
 * and ev->index_max and RING_TALLY_FLAG in ev->flags (the caller's values
 * there are replaced), and lets the writers go on. Returns the sequence
 * number. */
uint32_t ring_put_tally(struct ring *r, struct event *ev);

/* What marks a record as a tally, in its flags. The host writes records of
 * the tally's kinds without one too (an `unloaded` that says the DLL was
 * kept or the worker retired): only the mark, which the MAC covers, says
 * which carry a count. */
#define RING_TALLY_FLAG 0x80000000u

/* Reader side: does ev (as ring_get() returned it) carry a tally? Only an
 * `end` or an `unloaded` record written by ring_put_tally does. */
int ring_is_tally(const struct event *ev);

/* Reader side: the tally ev carries (ring_is_tally), against its sequence
 * number, the count of records before it. Returns 0, or RING_DAMAGED with
 * what was found in why (cap bytes). */
int ring_check_tally(const struct event *ev, char *why, size_t cap);

/* Takes the next record: 1 with ev filled (its text in textbuf, textcap
 * bytes), 0 when the next one is not published yet, -1 when the next one
 * is published but its MAC or shape is wrong (something other than the
 * host wrote it; the reader stays where it was). The writers learn how far
 * the reader is every RING_TELL_SLOTS slots (or a quarter of the ring, if
 * less), and whenever it finds nothing new. Reader only. */
int ring_get(struct ring *r, struct event *ev, char *textbuf, size_t textcap);

/* After the writer died: the next record may have been reserved and never
 * published. Looks past it for the next published one with a right MAC;
 * returns how many records were skipped, 0 when there is nothing past, -1
 * when what is past cannot be read (or more than RING_RESYNC_TRIES records
 * there that look published fail their MAC), or RING_DAMAGED when the
 * header fails ring_check(). Looks at no more than
 * RING_AHEAD_MAX_RINGS times the ring's slots, whatever the header says.
 * Reader only. */
int ring_resync(struct ring *r);

/* Checks what the reader reads of the header against what it knows: the
 * magic and layout it attached to, `consumed` and the load figure as it
 * last wrote them, and a reservation that neither went back since the last
 * check nor runs further ahead of the reader than RING_AHEAD_MAX_RINGS
 * rings, with a record count that fits its slots (each record takes 1 to
 * RING_MAX_RECORD_SLOTS), and the record read last as it was read until
 * the writers come round to it again. Returns 0, or RING_DAMAGED with what was found
 * in why (cap bytes). Constant time. Reader only. */
int ring_check(struct ring *r, char *why, size_t cap);

/* Is the reader held up by damage: the next record is not published but
 * one after it is (reserved later, published first)? A writer between its
 * reservation and its commit shows the same for an instant, so the caller
 * asks only once a deadline has passed. Returns 1 and says so in why, or
 * 0. At most RING_AHEAD_MAX_RINGS rings of slots are looked at. Reader
 * only. */
int ring_stalled(struct ring *r, char *why, size_t cap);

/* A deadline counts only the time the host could run: it moves later by
 * the time the machine kept the worker from running, by at most this many
 * times its own length (supervisor/cpuwait.h, harness/worker/starve.h). */
#define RING_STARVED_MAX_FACTOR 3u
/* A deadline passed with its move at that limit is the machine's overload
 * (no verdict) only when the host was kept from running this long at
 * least: a short deadline's few milliseconds of load are judged. */
#define RING_STARVED_OVERLOAD_MS 1000u

/* Was a deadline of bound_ms, moved by starved_ms of load, passed only
 * because its move reached the limit, with the load heavy enough to say
 * the machine was overloaded? */
static inline int ring_starved_overloaded(uint64_t starved_ms, uint64_t bound_ms)
{
    return starved_ms >= bound_ms * RING_STARVED_MAX_FACTOR &&
           starved_ms >= RING_STARVED_OVERLOAD_MS;
}

/* A deadline of bound_ms moves later by the host's own delays since it
 * began (ring_header.host_delay_us), by at most this many times its bound:
 * a provider that keeps calling a slow callback and never ends still meets
 * its deadline, and a figure written by the provider moves it no further. */
#define RING_HOST_DELAY_MAX_FACTOR 3u

/* Adds us to the host's delays (ring_header.host_delay_us); the worker's
 * side, thread-safe. */
void ring_add_host_delay(struct ring *r, uint64_t us);
uint64_t ring_host_delay(const struct ring *r);
/* The milliseconds a deadline of bound_ms moves for host delays that grew
 * from then_us to now_us: bounded by RING_HOST_DELAY_MAX_FACTOR, and 0 for
 * a figure that went back (it was written by something else). */
static inline uint64_t ring_host_delay_move_ms(uint64_t then_us, uint64_t now_us, uint64_t bound_ms)
{
    uint64_t ms = now_us > then_us ? (now_us - then_us) / 1000u : 0;
    uint64_t most = bound_ms * RING_HOST_DELAY_MAX_FACTOR;

    return ms < most ? ms : most;
}

/* The reader's figure of how long the machine kept the worker from running
 * (ring_header.starved_us); the worker reads it. */
void ring_set_starved(struct ring *r, uint64_t us);
/* Its calling thread's part (ring_header.caller_starved_us): set before
 * ring_set_starved, which publishes both; read by the worker. */
void ring_set_caller_starved(struct ring *r, uint64_t us);
uint64_t ring_caller_starved(const struct ring *r);
/* The worker's Linux process id in a mapped ring (ring_header.worker_pid). */
void ring_set_worker_pid(void *mem, uint32_t pid);
uint32_t ring_worker_pid(const void *mem);
/* The figure, and in *takes how often the reader took it (a change says
 * the figure is newer than when it was read before). */
uint64_t ring_starved(const struct ring *r, uint64_t *takes);

#endif /* SYNCHOST_RING_H */
