/*
 * passrate.h: how often each scenario passed over the runs of one synchost
 * invocation (--repeat N runs each N times), for the console's end and the
 * JSON report's "pass_rates".
 *
 * Runs are grouped by scenario name and file. A run counts when it ran to a
 * verdict on the provider or errored: skipped and interrupted runs do not.
 * Pure computation; the caller owns every array.
 */
#ifndef SYNCHOST_PASSRATE_H
#define SYNCHOST_PASSRATE_H

#include <stddef.h>

#include "report/result.h"

struct pass_rate {
    const char *name; /* points into the results' scenarios */
    const char *file;
    size_t runs, passed;
};

/* Fills out (room for count entries) with one entry per scenario, sorted by
 * name then file, and returns how many. */
size_t pass_rates_compute(const struct scenario_result *results, size_t count,
                          struct pass_rate *out);

#endif /* SYNCHOST_PASSRATE_H */
