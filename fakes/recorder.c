/*
 * recorder.c: stamps, encodes and streams events (see recorder.h).
 *
 * With a ring, each event is one ring_put() by the calling thread. Without
 * one, a CRITICAL_SECTION orders everything: the sequence number, the time stamp
 * and the sink call happen under it, so the stream's order is the sequence
 * order, time stamps never go backwards along it, and a sink never sees two
 * lines at once. The line buffer is static (it is only used under the lock)
 * so that a provider thread with a small stack does not pay WIRE_LINE_MAX
 * bytes of it per call, and the hot path allocates nothing.
 */
#include <windows.h>

#include <string.h>

#include "clock.h"
#include "recorder.h"
#include "protocol/ring.h"
#include "protocol/seal.h"
#include "protocol/wire.h"

static INIT_ONCE recorder_once = INIT_ONCE_STATIC_INIT;
/* The supervisor's shared ring (recorder_use_ring), when there is one: then
 * an event is written into it by the calling thread, lock-free. */
static struct ring recorder_ring;
static volatile LONG recorder_ring_on;
static CRITICAL_SECTION recorder_lock;
static recorder_sink_fn recorder_sink;
static void *recorder_ctx;
static volatile LONG recorder_next_seq;
static char recorder_line[WIRE_LINE_MAX];
static uint8_t recorder_key[SEAL_KEY_BYTES]; /* all zeros until recorder_set_key */
/* What the reader has been sent in full: the sequence number of the next
 * line. Updated right after the sink returns, with no call in between (see
 * recorder_take_for_crash). */
static volatile LONG recorder_sent_seq;
/* The crash reporter's own line and sequence (recorder_take_for_crash). */
static char recorder_final_line[WIRE_LINE_MAX];
static uint32_t recorder_final_seq;

static BOOL CALLBACK recorder_init_once(INIT_ONCE *once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    /* A spin count keeps short contention (many provider threads calling
     * Progress at once) out of the kernel. */
    InitializeCriticalSectionAndSpinCount(&recorder_lock, 4000);
    clock_start();
    return TRUE;
}

/* The lock must exist even when a fake is called before recorder_init (a
 * worker bug, but the fakes must not crash on it): such events are numbered
 * and dropped for want of a sink. */
static void recorder_ensure(void)
{
    InitOnceExecuteOnce(&recorder_once, recorder_init_once, NULL, NULL);
}

void recorder_init(recorder_sink_fn sink, void *ctx)
{
    recorder_ensure();
    EnterCriticalSection(&recorder_lock);
    recorder_sink = sink;
    recorder_ctx = ctx;
    recorder_next_seq = 0;
    recorder_sent_seq = 0;
    clock_start();
    LeaveCriticalSection(&recorder_lock);
}

void recorder_set_key(const uint8_t key[16])
{
    recorder_ensure();
    EnterCriticalSection(&recorder_lock);
    memcpy(recorder_key, key, sizeof recorder_key);
    LeaveCriticalSection(&recorder_lock);
}

uint64_t recorder_now_us(void)
{
    recorder_ensure();
    return clock_us();
}

static void recorder_yield(void)
{
    SwitchToThread();
}

int recorder_use_ring(void *mem, size_t len)
{
    recorder_ensure();
    if (ring_attach(&recorder_ring, mem, len, recorder_key, recorder_yield) != 0) {
        return -1;
    }
    InterlockedExchange(&recorder_ring_on, 1);
    return 0;
}

void recorder_close_ring(unsigned wait_ms)
{
    ULONGLONG until = GetTickCount64() + wait_ms;

    if (!recorder_ring_on) {
        return;
    }
    if (ring_close(&recorder_ring) == 0) {
        return;
    }
    while (ring_writing(&recorder_ring) != 0 && GetTickCount64() < until) {
        SwitchToThread();
    }
}

/* Sets ev's time, and its thread unless the caller named one. */
static void stamp(struct event *ev)
{
    ev->t_us = clock_us();
    if (ev->thread == 0) {
        ev->thread = (uint32_t)GetCurrentThreadId();
    }
}

/* Writes ev as a line into line (cap bytes) and hands it to the sink, if
 * there is one. The caller owns line for the time. */
static void sink_line(const struct event *ev, char *line, size_t cap)
{
    if (recorder_sink != NULL) {
        recorder_sink(recorder_ctx, line, wire_format(ev, line, cap));
    }
}

uint32_t recorder_emit_tally(struct event *ev, unsigned wait_ms)
{
    ULONGLONG until;

    if (!recorder_ring_on) {
        return recorder_emit(ev);
    }
    if (ring_gate(&recorder_ring) == RING_CLOSED_SEQ) {
        ev->seq = RING_CLOSED_SEQ;
        return RING_CLOSED_SEQ;
    }
    until = GetTickCount64() + wait_ms;
    while (ring_writing(&recorder_ring) != 0 && GetTickCount64() < until) {
        SwitchToThread();
    }
    stamp(ev);
    return ring_put_tally(&recorder_ring, ev);
}

int recorder_starved(uint64_t *us, uint64_t *takes)
{
    if (!recorder_ring_on) {
        *us = *takes = 0;
        return -1;
    }
    *us = ring_starved(&recorder_ring, takes);
    return 0;
}

uint64_t recorder_caller_starved(void)
{
    return recorder_ring_on ? ring_caller_starved(&recorder_ring) : 0;
}

static struct host_delay_span recorder_host_delay_all;
static _Atomic uint64_t recorder_host_delay_thread_us;
static volatile LONG recorder_host_delay_tid;

void recorder_host_delay_thread(uint32_t thread_id)
{
    InterlockedExchange(&recorder_host_delay_tid, (LONG)thread_id);
}

uint64_t recorder_host_delay_on_thread(void)
{
    return atomic_load(&recorder_host_delay_thread_us);
}

/* Adds [from_us, to_us) to the union: only the part past its end so far.
 * Returns the microseconds it grew by. The loop ends: each turn that does
 * not, another thread moved until_us on. */
static uint64_t span_add(struct host_delay_span *s, uint64_t from_us, uint64_t to_us)
{
    uint64_t until = atomic_load(&s->until_us), start;

    for (;;) {
        if (to_us <= until) {
            return 0;
        }
        if (atomic_compare_exchange_weak(&s->until_us, &until, to_us)) {
            break;
        }
    }
    start = from_us > until ? from_us : until;
    atomic_fetch_add(&s->total_us, to_us - start);
    return to_us - start;
}

void recorder_host_delay_add(struct host_delay_span *span, uint64_t from_us, uint64_t to_us)
{
    uint64_t grew;

    if (to_us <= from_us) {
        return;
    }
    if (span != NULL) {
        span_add(span, from_us, to_us);
    }
    if ((DWORD)recorder_host_delay_tid == GetCurrentThreadId()) {
        atomic_fetch_add(&recorder_host_delay_thread_us, to_us - from_us);
    }
    grew = span_add(&recorder_host_delay_all, from_us, to_us);
    if (grew > 0 && recorder_ring_on) {
        ring_add_host_delay(&recorder_ring, grew);
    }
}

uint64_t recorder_host_delay(void)
{
    return recorder_ring_on ? ring_host_delay(&recorder_ring)
                            : atomic_load(&recorder_host_delay_all.total_us);
}

/* The hot path with a ring: no lock, no system call. */
static uint32_t ring_emit(struct event *ev)
{
    stamp(ev);
    return ring_put(&recorder_ring, ev);
}

uint32_t recorder_emit(struct event *ev)
{
    uint32_t seq;

    if (recorder_ring_on) {
        return ring_emit(ev);
    }
    recorder_ensure();
    EnterCriticalSection(&recorder_lock);
    seq = (uint32_t)recorder_next_seq;
    recorder_next_seq = (LONG)(seq + 1);
    ev->seq = seq;
    stamp(ev);
    sink_line(ev, recorder_line, sizeof recorder_line);
    recorder_sent_seq = (LONG)(seq + 1);
    LeaveCriticalSection(&recorder_lock);
    return seq;
}

/* Who holds the lock: a CRITICAL_SECTION keeps its owner's thread id in
 * OwningThread (Windows and Wine alike). Read without the lock, on purpose. */
static DWORD recorder_owner(void)
{
    return (DWORD)(ULONG_PTR)*(HANDLE volatile *)&recorder_lock.OwningThread;
}

int recorder_take_for_crash(uint32_t crashed_tid, unsigned wait_ms)
{
    ULONGLONG start = GetTickCount64();
    int locked = 0;

    if (recorder_ring_on) {
        /* The ring takes no lock: a writer that died inside ring_put left at
         * most a torn record, which the reader skips (ring_resync). */
        return 0;
    }
    recorder_ensure();
    for (;;) {
        if (TryEnterCriticalSection(&recorder_lock)) {
            locked = 1;
            break;
        }
        if (recorder_owner() == crashed_tid || GetTickCount64() - start >= wait_ms) {
            break;
        }
        Sleep(1);
    }
    /* Either way, continue from the last line the reader got in full: with
     * the lock that is the current state; without it, the frozen owner may
     * have taken a number for a line it never sent. */
    recorder_final_seq = (uint32_t)recorder_sent_seq;
    return locked;
}

uint32_t recorder_emit_final(struct event *ev)
{
    if (recorder_ring_on) {
        return ring_emit(ev); /* lock-free anyway */
    }
    ev->seq = recorder_final_seq++;
    stamp(ev);
    sink_line(ev, recorder_final_line, sizeof recorder_final_line);
    return ev->seq;
}

uint32_t recorder_count(void)
{
    /* An aligned LONG read is atomic; the barrier makes it current. */
    MemoryBarrier();
    return (uint32_t)recorder_next_seq;
}
