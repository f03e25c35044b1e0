/* callwait.c: a call's credit from its calling thread's own wait (callwait.h). */
#include "protocol/callwait.h"

/* One decimal number at text[*at], then the spaces after it. */
static int number(const char *text, size_t len, size_t *at, uint64_t *out)
{
    size_t i = *at;
    uint64_t v = 0;

    if (i >= len || text[i] < '0' || text[i] > '9') {
        return -1;
    }
    for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
        if (v > (UINT64_MAX - 9u) / 10u) {
            return -1;
        }
        v = v * 10u + (uint64_t)(text[i] - '0');
    }
    while (i < len && text[i] == ' ') {
        i++;
    }
    *at = i;
    *out = v;
    return 0;
}

int callwait_parse(const char *text, size_t len, uint64_t *run_delay_ns)
{
    size_t at = 0;
    uint64_t on_cpu, delay, slices;

    if (number(text, len, &at, &on_cpu) != 0 || number(text, len, &at, &delay) != 0 ||
        number(text, len, &at, &slices) != 0) {
        return -1;
    }
    if (at < len && text[at] != '\n') {
        return -1;
    }
    *run_delay_ns = delay;
    return 0;
}

uint32_t callwait_credit_ms(uint64_t before_ns, uint64_t after_ns, uint64_t took_us,
                            uint32_t supervisor_ms)
{
    uint64_t ms = after_ns > before_ns ? (after_ns - before_ns) / 1000000u : 0;

    if (ms > took_us / 1000u) {
        ms = took_us / 1000u;
    }
    return ms < supervisor_ms ? (uint32_t)ms : supervisor_ms;
}
