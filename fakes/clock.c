/* clock.c: time stamps for the recorder (see clock.h). */
#include <windows.h>

#include <cpuid.h>
#include <x86intrin.h>

#include "clock.h"

static int clock_tsc; /* the time-stamp counter is used */
/* Microseconds per tick, as a 32.32 fixed-point number: a multiplication
 * and a shift per time stamp, where floating point takes two conversions. */
static uint64_t clock_us_per_tick_q32;
static uint64_t clock_origin; /* in the counter's own ticks */
static LARGE_INTEGER clock_qpc_freq;

/* CPUID 0x80000007, EDX bit 8: the counter runs at a constant rate in every
 * power state. */
static int invariant_tsc(void)
{
    unsigned a, b, c, d;

    if (__get_cpuid_max(0x80000000u, NULL) < 0x80000007u) {
        return 0;
    }
    __cpuid(0x80000007u, a, b, c, d);
    return (d >> 8) & 1;
}

static uint64_t qpc(void)
{
    LARGE_INTEGER now;

    QueryPerformanceCounter(&now);
    return (uint64_t)now.QuadPart;
}

static void measure_rate(void)
{
    uint64_t q0, q1, t0, t1;

    QueryPerformanceFrequency(&clock_qpc_freq);
    clock_tsc = invariant_tsc();
    if (!clock_tsc) {
        return;
    }
    q0 = qpc();
    t0 = __rdtsc();
    do {
        q1 = qpc();
    } while ((q1 - q0) * 1000u < (uint64_t)clock_qpc_freq.QuadPart * 2u);
    t1 = __rdtsc();
    if (t1 <= t0) {
        clock_tsc = 0;
        return;
    }
    clock_us_per_tick_q32 = (uint64_t)((double)(q1 - q0) * 1e6 / (double)clock_qpc_freq.QuadPart /
                                       (double)(t1 - t0) * 4294967296.0);
}

void clock_start(void)
{
    if (clock_qpc_freq.QuadPart == 0) {
        measure_rate();
    }
    clock_origin = clock_tsc ? __rdtsc() : qpc();
}

/* (a * q32) >> 32, the fixed-point product, in 64 bits: x86 has no 128-bit
 * integer. Exact while the product's high part fits (as on x64, the result
 * is the low 64 bits). */
static uint64_t mul_q32(uint64_t a, uint64_t q32)
{
    return (a >> 32) * q32 + (((a & 0xFFFFFFFFu) * (q32 & 0xFFFFFFFFu)) >> 32) +
           (a & 0xFFFFFFFFu) * (q32 >> 32);
}

uint64_t clock_us(void)
{
    if (clock_tsc) {
        uint64_t now = __rdtsc();
        return now > clock_origin ? mul_q32(now - clock_origin, clock_us_per_tick_q32) : 0;
    }
    if (clock_qpc_freq.QuadPart <= 0) {
        return 0;
    }
    {
        uint64_t t = qpc() - clock_origin, f = (uint64_t)clock_qpc_freq.QuadPart;
        return t / f * 1000000u + t % f * 1000000u / f;
    }
}
