/*
 * recorder.c: stamps, encodes and streams events (see recorder.h).
 *
 * One CRITICAL_SECTION orders everything: the sequence number, the time stamp
 * and the sink call happen under it, so the stream's order is the sequence
 * order, time stamps never go backwards along it, and a sink never sees two
 * lines at once. The line buffer is static (it is only used under the lock)
 * so that a provider thread with a small stack does not pay WIRE_LINE_MAX
 * bytes of it per call, and the hot path allocates nothing.
 */
#include <windows.h>

#include "recorder.h"
#include "seal.h"
#include "wire.h"

static INIT_ONCE recorder_once = INIT_ONCE_STATIC_INIT;
static CRITICAL_SECTION recorder_lock;
static recorder_sink_fn recorder_sink;
static void *recorder_ctx;
static LARGE_INTEGER recorder_origin;
static LARGE_INTEGER recorder_freq;
static volatile LONG recorder_next_seq;
static char recorder_line[WIRE_LINE_MAX + SEAL_SUFFIX_LEN + 1];
static struct seal recorder_seal; /* all-zero key until recorder_set_key */
/* What the reader has been sent in full: the sequence number of the next
 * line and the seal chain after the last one. Updated right after the sink
 * returns, with no call in between (see recorder_take_for_crash). */
static volatile LONG recorder_sent_seq;
static volatile uint64_t recorder_sent_chain;
/* The crash reporter's own line, seal and sequence (recorder_take_for_crash). */
static char recorder_final_line[WIRE_LINE_MAX + SEAL_SUFFIX_LEN + 1];
static struct seal recorder_final_seal;
static uint32_t recorder_final_seq;

static BOOL CALLBACK recorder_init_once(INIT_ONCE *once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    /* A spin count keeps short contention (many provider threads calling
     * Progress at once) out of the kernel. */
    InitializeCriticalSectionAndSpinCount(&recorder_lock, 4000);
    QueryPerformanceFrequency(&recorder_freq);
    QueryPerformanceCounter(&recorder_origin);
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
    recorder_seal.chain = 0;
    recorder_sent_seq = 0;
    recorder_sent_chain = 0;
    QueryPerformanceCounter(&recorder_origin);
    LeaveCriticalSection(&recorder_lock);
}

void recorder_set_key(const uint8_t key[16])
{
    recorder_ensure();
    EnterCriticalSection(&recorder_lock);
    seal_init(&recorder_seal, key);
    recorder_sent_chain = 0;
    LeaveCriticalSection(&recorder_lock);
}

/* Converts without overflow for any uptime: whole seconds and the remainder
 * are scaled separately. */
static uint64_t recorder_ticks_to_us(LONGLONG ticks)
{
    uint64_t t = ticks < 0 ? 0 : (uint64_t)ticks;
    uint64_t f = recorder_freq.QuadPart > 0 ? (uint64_t)recorder_freq.QuadPart : 1;

    return t / f * 1000000u + t % f * 1000000u / f;
}

uint64_t recorder_now_us(void)
{
    LARGE_INTEGER now;

    recorder_ensure();
    QueryPerformanceCounter(&now);
    return recorder_ticks_to_us(now.QuadPart - recorder_origin.QuadPart);
}

uint32_t recorder_emit(struct event *ev)
{
    LARGE_INTEGER now;
    uint32_t seq;
    size_t len;

    recorder_ensure();
    EnterCriticalSection(&recorder_lock);
    seq = (uint32_t)recorder_next_seq;
    recorder_next_seq = (LONG)(seq + 1);
    QueryPerformanceCounter(&now);
    ev->seq = seq;
    ev->t_us = recorder_ticks_to_us(now.QuadPart - recorder_origin.QuadPart);
    if (ev->thread == 0) {
        ev->thread = (uint32_t)GetCurrentThreadId();
    }
    if (recorder_sink != NULL) {
        len = wire_format(ev, recorder_line, WIRE_LINE_MAX);
        len = seal_line(&recorder_seal, recorder_line, len, sizeof recorder_line);
        recorder_sink(recorder_ctx, recorder_line, len);
        recorder_sent_chain = recorder_seal.chain;
    }
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
     * have taken a number or advanced the chain for a line it never sent. */
    recorder_final_seal = recorder_seal;
    recorder_final_seal.chain = recorder_sent_chain;
    recorder_final_seq = (uint32_t)recorder_sent_seq;
    return locked;
}

uint32_t recorder_emit_final(struct event *ev)
{
    LARGE_INTEGER now;
    size_t len;

    QueryPerformanceCounter(&now);
    ev->seq = recorder_final_seq++;
    ev->t_us = recorder_ticks_to_us(now.QuadPart - recorder_origin.QuadPart);
    if (ev->thread == 0) {
        ev->thread = (uint32_t)GetCurrentThreadId();
    }
    if (recorder_sink != NULL) {
        len = wire_format(ev, recorder_final_line, WIRE_LINE_MAX);
        len = seal_line(&recorder_final_seal, recorder_final_line, len,
                        sizeof recorder_final_line);
        recorder_sink(recorder_ctx, recorder_final_line, len);
    }
    return ev->seq;
}

uint32_t recorder_count(void)
{
    /* An aligned LONG read is atomic; the barrier makes it current. */
    MemoryBarrier();
    return (uint32_t)recorder_next_seq;
}
