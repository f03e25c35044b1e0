/* starve.c: the worker's deadlines in the time the host could run (starve.h). */
#include "starve.h"

#include "fake_callback.h"
#include "recorder.h"
#include "threads.h"
#include "protocol/ring.h"

static uint64_t starved_us(void)
{
    uint64_t us, takes;

    recorder_starved(&us, &takes);
    return us;
}

static DWORD WINAPI witness(void *arg)
{
    (void)arg;
    for (;;) {
        Sleep(STARVE_WITNESS_MS);
    }
    return 0;
}

void starve_witness_start(void)
{
    HANDLE t = threads_start_host(witness, NULL);

    if (t != NULL) {
        CloseHandle(t); /* it ends with the process */
    }
}

void starve_mark(struct starve_mark *m)
{
    m->t0 = GetTickCount64();
    m->starved_us = starved_us();
    m->caller_us = recorder_caller_starved();
    m->delay_us = recorder_host_delay();
    m->cb = NULL;
}

void starve_mark_call(struct starve_mark *m, IMAPISyncProgressCallback *cb)
{
    starve_mark(m);
    m->cb = cb;
    m->delay_us = fake_callback_host_delay_us(cb);
}

/* The figure is in memory the provider can write too: whatever it reads,
 * the machine cannot have kept the worker from running for longer than the
 * time that passed (cpuwait.h), give or take the reader's look at it. The
 * reader notices such a write itself (ring_check). */
#define STARVE_SLACK_MS 1000u

uint32_t starve_ms(const struct starve_mark *m)
{
    uint64_t now = starved_us(), most = GetTickCount64() - m->t0 + STARVE_SLACK_MS;
    uint64_t ms = now > m->starved_us ? (now - m->starved_us) / 1000u : 0;

    if (ms > most) {
        ms = most;
    }

    return ms < UINT32_MAX ? (uint32_t)ms : UINT32_MAX;
}

uint32_t starve_caller_ms(const struct starve_mark *m)
{
    uint64_t now = recorder_caller_starved(), most = GetTickCount64() - m->t0 + STARVE_SLACK_MS;
    uint64_t ms = now > m->caller_us ? (now - m->caller_us) / 1000u : 0;

    ms = ms < most ? ms : most;
    return ms < UINT32_MAX ? (uint32_t)ms : UINT32_MAX;
}

uint64_t starve_host_delay_ms(const struct starve_mark *m, DWORD bound_ms)
{
    uint64_t now = m->cb != NULL ? fake_callback_host_delay_us(m->cb) : recorder_host_delay();

    return ring_host_delay_move_ms(m->delay_us, now, bound_ms);
}

ULONGLONG starve_deadline(const struct starve_mark *m, DWORD bound_ms)
{
    uint64_t moved = starve_ms(m), most = (uint64_t)bound_ms * RING_STARVED_MAX_FACTOR;

    return m->t0 + bound_ms + (moved < most ? moved : most) + starve_host_delay_ms(m, bound_ms);
}

int starve_overloaded(const struct starve_mark *m, DWORD bound_ms)
{
    /* Below the limit the deadline moved by all of it, so the host had its
     * bound of time to run: the figure read again here may only have grown
     * since the deadline was reckoned, which must not make it overloaded. */
    return ring_starved_overloaded(starve_ms(m), bound_ms);
}

void starve_refresh_begin(struct starve_refresh *r)
{
    uint64_t us;

    r->none = recorder_starved(&us, &r->takes) != 0;
    r->end = GetTickCount64() + STARVE_REFRESH_MAX_MS;
}

int starve_refresh_done(const struct starve_refresh *r)
{
    uint64_t us, takes;

    if (r->none || GetTickCount64() >= r->end) {
        return 1;
    }
    /* Two takes: the first may have read the threads' figures before now. */
    recorder_starved(&us, &takes);
    return takes - r->takes >= 2;
}

void starve_refresh(void)
{
    struct starve_refresh r;

    starve_refresh_begin(&r);
    while (!starve_refresh_done(&r)) {
        Sleep(STARVE_REFRESH_POLL_MS);
    }
}
