/* result.c: what a run produced, counted and freed (see result.h). */
#include "report/result.h"

#include <stdlib.h>
#include <string.h>

void run_report_summary(const struct run_report *r, size_t counts[STATUS_COUNT])
{
    memset(counts, 0, sizeof(size_t) * STATUS_COUNT);
    for (size_t i = 0; i < r->count; i++) {
        counts[r->results[i].status]++;
    }
}

void scenario_results_free(struct scenario_result *results, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        judge_free(&results[i].judge);
        trace_free(&results[i].trace);
        free(results[i].provider);
        free(results[i].worker_stderr);
        free(results[i].rerun_synchost);
        free(results[i].rerun_winedbg);
        free(results[i].rerun_windbg);
    }
    free(results);
}
