/*
 * runner.h: runs scenarios on a pool of worker processes (started under
 * Wine on Linux), several at once, on one libuv loop. Each DLL is hosted by
 * the worker of its own architecture (its PE machine): synchost-worker32.exe
 * for an x86 DLL, synchost-worker64.exe for any other. A worker runs
 * scenario after scenario with the provider loaded (or one, with
 * isolate_process); each scenario gets a deadline per phase and a judge fed
 * as the worker's events arrive; a worker that crashes, hangs or exits early
 * ends its scenario with a verdict and the trace recorded up to then, is
 * replaced, and never stops the run.
 */
#ifndef SYNCHOST_RUNNER_H
#define SYNCHOST_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "report/result.h"
#include "rules/rules.h"

struct runner_options {
    const char *worker64; /* path of synchost-worker64.exe */
    const char *worker32; /* path of synchost-worker32.exe, or NULL (no x86 DLL in the run) */
    const char *wine;     /* the 64-bit worker's loader, or NULL to start the worker directly */
    const char *wine32;   /* the 32-bit worker's loader, or NULL to start it directly */
    const char *provider; /* --provider: wins over the scenario's own, or NULL */
    struct judge_options judge;
    unsigned jobs;       /* workers at once, at least 1 */
    unsigned timeout_ms; /* --timeout-ms: a scenario's own timeout_ms wins; 0 = default */
    uint64_t seed;       /* the run's --seed: host.jitter_ms's delays are drawn from it */
    int probe;           /* the load chain only (the script's probe) */
    int isolate_process; /* --isolate process: a fresh worker for every scenario */
    int heap_check;      /* the worker's --heap-check, with WINEDEBUG=warn+heap (heapenv.h) */
    void (*on_result)(const struct scenario_result *res, void *ctx); /* as each one ends */
    /* As each event arrives (may be NULL): for printing a trace live. */
    void (*on_event)(const struct scenario_result *res, const struct event *ev, void *ctx);
    void *ctx;
};

/* Runs results[0..count) (each with ->sc set) and fills in the rest of each
 * result it runs. Returns 0, or a negative libuv error if the run could not
 * start. *interrupted is set when SIGINT or SIGTERM stopped it: running workers are
 * killed and their scenarios marked STATUS_INTERRUPTED; scenarios never
 * started keep the status the caller gave them (set STATUS_INTERRUPTED). */
int runner_run(const struct runner_options *opts, struct scenario_result *results, size_t count,
               int *interrupted);

#endif /* SYNCHOST_RUNNER_H */
