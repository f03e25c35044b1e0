/*
 * starve.h: the worker's deadlines, counted in the time the host could run.
 * On a loaded machine a correct provider can miss a deadline only because
 * neither it nor the wineserver got a CPU. The supervisor measures how long
 * the machine kept the worker from running (supervisor/cpuwait.h) and
 * tells it through the ring; a deadline here moves later by as much, by at
 * most RING_STARVED_MAX_FACTOR times its bound. One that passes only
 * because that limit was reached is said to be overloaded: the machine, not
 * the provider, is what it measured. Without a supervisor (a worker run by
 * hand, on Windows) the figure is 0 and a deadline is wall-clock time.
 */
#ifndef SYNCHOST_STARVE_H
#define SYNCHOST_STARVE_H

#include <stdint.h>

#include <windows.h>

#include <synchost/mapisync.h>

struct starve_mark {
    ULONGLONG t0;        /* GetTickCount64() when the wait began */
    uint64_t starved_us; /* the supervisor's figure then */
    uint64_t caller_us;  /* its calling thread's part then */
    uint64_t delay_us;   /* the host's own delays then (recorder_host_delay) */
    /* The call whose deadline this is (starve_mark_call): its own delays
     * count, not those of the calls beside it; NULL: the whole worker's. */
    IMAPISyncProgressCallback *cb;
};

/* Starts the load's witness: a thread of the host's that wakes every
 * STARVE_WITNESS_MS for the worker's whole life and does nothing else. A
 * thread asleep is not kept from running, and the host's own may sleep in a
 * provider's call (a Logoff that waits for the sync's thread) while the
 * provider's threads that the load keeps waiting start and end between two
 * of the supervisor's looks, leaving no figure: the witness is always due
 * to run again within the period, so a load that takes every CPU the
 * worker may use makes it queue, and the supervisor sees its wait. Call once,
 * before the provider loads. */
#define STARVE_WITNESS_MS 20u
void starve_witness_start(void);

/* Marks now as a wait's start. */
void starve_mark(struct starve_mark *m);
/* The same for a sync call's deadline, whose host delays are those of its
 * callback alone (cb may be NULL: none to count). */
void starve_mark_call(struct starve_mark *m, IMAPISyncProgressCallback *cb);

/* Milliseconds the machine kept the host from running since the mark. */
uint32_t starve_ms(const struct starve_mark *m);

/* Milliseconds the machine kept the host's calling thread alone from
 * running since the mark: what a call's duration is credited with (the
 * provider's threads waiting meanwhile do not make its call any slower). */
uint32_t starve_caller_ms(const struct starve_mark *m);

/* Milliseconds the host's own scripted answers held the provider's calls
 * since the mark (at most RING_HOST_DELAY_MAX_FACTOR * bound_ms). */
uint64_t starve_host_delay_ms(const struct starve_mark *m, DWORD bound_ms);

/* When a wait of bound_ms from the mark ends: t0 + bound_ms, moved later by
 * starve_ms() (at most RING_STARVED_MAX_FACTOR * bound_ms) and by
 * starve_host_delay_ms(): neither the machine's load nor the host's own
 * delays are the provider's time. */
ULONGLONG starve_deadline(const struct starve_mark *m, DWORD bound_ms);

/* The supervisor takes its figure every 50 ms or so, later when the
 * machine keeps it from running too: before a deadline is said to have
 * passed, the figure is taken afresh. Waits until the supervisor took it
 * twice more (at most STARVE_REFRESH_MAX_MS); at once without a supervisor. */
#define STARVE_REFRESH_MAX_MS  2000u
#define STARVE_REFRESH_POLL_MS 2u
void starve_refresh(void);

/* The same in steps, for a caller that watches something meanwhile:
 * starve_refresh_begin(), then starve_refresh_done() after each look (wait
 * STARVE_REFRESH_POLL_MS between) until it says 1. */
struct starve_refresh {
    uint64_t takes;
    ULONGLONG end;
    int none; /* no supervisor: nothing to wait for */
};
void starve_refresh_begin(struct starve_refresh *r);
int starve_refresh_done(const struct starve_refresh *r);

/* At or past starve_deadline(): did it pass only because its move reached
 * the limit (so that the host may have had less than bound_ms of time it
 * could run since the mark), under a load heavy enough to say so
 * (ring_starved_overloaded)? */
int starve_overloaded(const struct starve_mark *m, DWORD bound_ms);

#endif /* SYNCHOST_STARVE_H */
