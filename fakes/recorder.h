/*
 * recorder.h: the one place where host objects report what the provider did.
 *
 * Every fake calls recorder_emit() for each call it receives, from whatever
 * thread the provider calls on. The recorder stamps the event (sequence
 * number, microseconds since recorder_init, calling thread id), encodes it
 * with wire_format() and hands the line to the sink under one lock, so the
 * stream's order is the sequence order and a line is never interleaved.
 *
 * The worker's sink writes to the supervisor's pipe at once (a crash loses
 * nothing already recorded); unit tests use a sink that keeps lines in
 * memory. Win32 only.
 */
#ifndef SYNCHOST_RECORDER_H
#define SYNCHOST_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

typedef void (*recorder_sink_fn)(void *ctx, const char *line, size_t len);

/* Sets the sink and the time origin. Call once, before any fake exists. */
void recorder_init(recorder_sink_fn sink, void *ctx);

/* Seals every line from now on with this per-run key (harness/core/seal.h),
 * chained from the next line. Until it is called the key is all zeros: the
 * stream is still sealed, but anyone can forge it. Call before the provider
 * is loaded. */
void recorder_set_key(const uint8_t key[16]);

/* Fills ev->seq, ev->t_us and, when the caller left it 0, ev->thread (0 is
 * never a thread id: a crash reporter sets the faulting thread's), then
 * streams ev. Thread-safe.
 * Returns the sequence number given to the event. */
uint32_t recorder_emit(struct event *ev);

/* Microseconds since recorder_init (monotonic). */
uint64_t recorder_now_us(void);

/* How many events were emitted so far. */
uint32_t recorder_count(void);

#endif /* SYNCHOST_RECORDER_H */
