/*
 * clock.h: the recorder's time stamps, in microseconds since clock_start().
 *
 * Under Wine, QueryPerformanceCounter costs about 160 ns a call (a trip to
 * the Unix side), as much as the rest of recording an event: where the
 * processor's time-stamp counter runs at a constant rate (CPUID says so),
 * the clock reads it directly (a few ns), scaled by a rate measured against
 * QueryPerformanceCounter over 2 ms at start-up; elsewhere it uses
 * QueryPerformanceCounter. Monotonic on one processor; across processors
 * an invariant counter is synchronised by the hardware. Win32 only.
 */
#ifndef SYNCHOST_CLOCK_H
#define SYNCHOST_CLOCK_H

#include <stdint.h>

/* Sets the origin (and measures the counter's rate the first time). */
void clock_start(void);

/* Microseconds since clock_start(). Thread-safe, no lock. */
uint64_t clock_us(void);

#endif /* SYNCHOST_CLOCK_H */
