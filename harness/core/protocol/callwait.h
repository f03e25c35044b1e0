/*
 * callwait.h: how long the machine kept the host's calling thread from
 * running during one call, from Linux's own count of it. The worker reads
 * its calling thread's /proc/PID/task/PID/schedstat (the second figure,
 * run_delay: nanoseconds runnable but waiting for a CPU) right before and
 * right after the call, so the difference is that thread's wait during the
 * call exactly, none of it before or after. Linux adds a wait to run_delay
 * once the thread gets a CPU; both reads are made by the thread itself,
 * running, so every wait of the window is counted by the second read.
 *
 * That raw wait is the machine's only in part: a wait behind the
 * provider's own spinning threads is the provider's. The supervisor's
 * figure for the same thread (cpuwait.h, caller_starved_us) is scaled by
 * the machine's share of the CPU time, but taken only every 50 ms, so it
 * covers more than the call. Each is no less than the call's true credit,
 * so the call is credited the smaller of the two. Pure functions: the
 * worker does the reading (harness/worker/callstat.h).
 */
#ifndef SYNCHOST_CALLWAIT_H
#define SYNCHOST_CALLWAIT_H

#include <stddef.h>
#include <stdint.h>

/* The run_delay of a schedstat line ("<on-cpu ns> <run_delay ns>
 * <timeslices>\n"), of len bytes (not necessarily NUL-terminated).
 * Returns 0, or -1 when the text is not such a line. */
int callwait_parse(const char *text, size_t len, uint64_t *run_delay_ns);

/* The milliseconds a call is credited with: the calling thread's run_delay
 * from before_ns to after_ns, never more than the call took (took_us) nor
 * than the supervisor's figure for the same span (supervisor_ms). A later
 * figure below an earlier one (a read of something else) credits nothing. */
uint32_t callwait_credit_ms(uint64_t before_ns, uint64_t after_ns, uint64_t took_us,
                            uint32_t supervisor_ms);

#endif /* SYNCHOST_CALLWAIT_H */
