/*
 * passrate.c: each scenario's pass rate over a run (see passrate.h).
 */
#include "report/passrate.h"

#include <stdlib.h>
#include <string.h>

static const char *file_of(const struct scenario *sc)
{
    return sc->file != NULL ? sc->file : "";
}

static int cmp_rate(const void *pa, const void *pb)
{
    const struct pass_rate *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    return c != 0 ? c : strcmp(a->file, b->file);
}

size_t pass_rates_compute(const struct scenario_result *results, size_t count,
                          struct pass_rate *out)
{
    size_t n = 0;

    for (size_t i = 0; i < count; i++) {
        const struct scenario *sc = results[i].sc;
        enum scenario_status st = results[i].status;
        size_t k = 0;
        if (st == STATUS_SKIPPED || st == STATUS_INTERRUPTED) {
            continue;
        }
        /* Results of one scenario share its struct; names compared for
         * results built from copies. */
        while (k < n &&
               !(strcmp(out[k].name, sc->name) == 0 && strcmp(out[k].file, file_of(sc)) == 0)) {
            k++;
        }
        if (k == n) {
            out[n].name = sc->name;
            out[n].file = file_of(sc);
            out[n].runs = out[n].passed = 0;
            n++;
        }
        out[k].runs++;
        out[k].passed += st == STATUS_PASSED;
    }
    qsort(out, n, sizeof *out, cmp_rate);
    return n;
}
