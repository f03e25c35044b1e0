/*
 * recorder.h: the one place where host objects report what the provider did.
 *
 * Every fake calls recorder_emit() for each call it receives, from whatever
 * thread the provider calls on. The recorder stamps the event (sequence
 * number, microseconds since recorder_init, calling thread id) and either
 * writes it into the supervisor's shared ring (recorder_use_ring: lock-free,
 * no system call, nothing lost when the process dies, since the memory
 * outlives it) or, for a worker run by hand and for unit tests, encodes it
 * with wire_format() and hands the line to the sink under one lock, so the
 * lines' order is the sequence order and a line is never interleaved.
 * Win32 only.
 */
#ifndef SYNCHOST_RECORDER_H
#define SYNCHOST_RECORDER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/event.h"

typedef void (*recorder_sink_fn)(void *ctx, const char *line, size_t len);

/* Sets the sink and the time origin. Call once, before any fake exists. */
void recorder_init(recorder_sink_fn sink, void *ctx);

/* The per-run key the ring's records are sealed with (harness/core/protocol/seal.h,
 * ring.h). Call before recorder_use_ring and before the provider is loaded. */
void recorder_set_key(const uint8_t key[16]);

/* From now on every event goes into the shared ring at mem (len bytes;
 * harness/core/protocol/ring.h), sealed with the key of recorder_set_key (call that
 * first), by the calling thread and without a lock; the sink is no longer
 * used. Returns 0, or -1 when mem holds no ring. */
int recorder_use_ring(void *mem, size_t len);

/* The process is ending by itself: the ring takes no more records, and
 * this waits up to wait_ms for the records being written to be published,
 * so that the reader finds none half written. No-op without a ring. */
void recorder_close_ring(unsigned wait_ms);

/* Like recorder_emit, for the record that ends a scenario or the unload:
 * with a ring, it carries the count of records the host began before it
 * (ring_put_tally, in ev->index and ev->index_max), so that the reader
 * sees any record rolled back or removed from the ring. New records wait
 * while it is written, and it waits up to wait_ms for those under way.
 * Without a ring, recorder_emit. From one thread at a time. */
uint32_t recorder_emit_tally(struct event *ev, unsigned wait_ms);

/* The wait of recorder_emit_tally at the end of a scenario and of the
 * unload: a record takes microseconds to write; one that waits for room
 * in a full ring, up to a millisecond of the reader's. */
#define RECORDER_TALLY_WAIT_MS 100u

/* Microseconds the machine kept this process from running, as the
 * supervisor last told it through the ring (ring_header.starved_us), and in
 * *takes how often it told it. Returns -1 without a ring. */
int recorder_starved(uint64_t *us, uint64_t *takes);
/* The part of it the host's calling thread waited (ring_header.
 * caller_starved_us); 0 without a ring. */
uint64_t recorder_caller_starved(void);

/* The time the host's own scripted answers hold the provider's calls, as
 * the union of their spans (in clock_us() time): two answers at once on
 * two of the provider's threads hold it once, not twice. Lock-free (a
 * provider that overwrites it cannot make the host wait on it). */
struct host_delay_span {
    _Atomic uint64_t until_us; /* the end of the latest span so far */
    _Atomic uint64_t total_us; /* the union's length */
};

/* An answer holds a call from from_us to to_us: added to span (the call's
 * own, or NULL), to the whole worker's (ring_header.host_delay_us, so that
 * the supervisor's bounds move by it too; without a ring, kept in this
 * process) and to the named thread's. Spans are added as they begin, so
 * from_us never goes back by much. Thread-safe. */
void recorder_host_delay_add(struct host_delay_span *span, uint64_t from_us, uint64_t to_us);
/* The whole worker's union so far, in us. */
uint64_t recorder_host_delay(void);
/* The part of it made on the thread last named here: the host's calling
 * thread names itself before it calls into the provider, so that the
 * call's own duration leaves out the host's answers to callbacks the
 * provider made from inside the call. */
void recorder_host_delay_thread(uint32_t thread_id);
uint64_t recorder_host_delay_on_thread(void);

/* Fills ev->seq, ev->t_us and, when the caller left it 0, ev->thread (0 is
 * never a thread id: a crash reporter sets the faulting thread's), then
 * streams ev. Thread-safe.
 * Returns the sequence number given to the event. */
uint32_t recorder_emit(struct event *ev);

/* For the crash reporter only, once, on a thread that is not the crashed
 * one: takes the recorder for the rest of the process's life (the process
 * ends after the report; nothing else is recorded after it).
 *
 * The crashed thread may hold the recorder's lock (it crashed inside
 * recorder_emit: a stack overflow in a fake, a provider thread that died
 * while formatting); waiting for it would hang the report. So the lock is
 * tried for at most wait_ms, and not waited for at all when its owner is
 * crashed_tid. Without the lock, the state the frozen owner may have half
 * updated is not used: the report goes on from the last line the sink
 * returned from (its sequence number is saved right after each sink call,
 * with no call in between that could fault), in a buffer of its own. So
 * the reader sees the lines before, then the report, with the numbering
 * unbroken, whatever line the owner was building. With a ring none of this
 * is needed: the recorder takes no lock, and a record the crashed thread
 * left half written is skipped by the reader (ring_resync).
 * Threads that call recorder_emit meanwhile block on the lock (held by the
 * reporter or by the frozen owner) until the process ends, so nothing
 * interleaves with the report, unless an owner that is not crashed_tid
 * outlives wait_ms and writes again.
 * Returns 1 when the lock was taken, 0 when the report goes on without it.
 * Then emit with recorder_emit_final only. */
int recorder_take_for_crash(uint32_t crashed_tid, unsigned wait_ms);

/* Like recorder_emit, after recorder_take_for_crash, from the thread that
 * called it. Allocates nothing and takes no lock. */
uint32_t recorder_emit_final(struct event *ev);

/* Microseconds since recorder_init (monotonic). */
uint64_t recorder_now_us(void);

/* How many events were emitted so far. */
uint32_t recorder_count(void);

#endif /* SYNCHOST_RECORDER_H */
