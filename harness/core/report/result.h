/*
 * result.h: what a run produced, as the report writers read it.
 */
#ifndef SYNCHOST_RESULT_H
#define SYNCHOST_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "regress/baseline.h"
#include "rules/rules.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

/* The debugger line's name (console label, JSON report key): winedbg's on
 * Linux, Visual Studio's on Windows (harness/supervisor/win/rerun.c). */
#ifdef _WIN32
#define RERUN_DEBUGGER_LABEL "in Visual Studio"
#define RERUN_DEBUGGER_KEY "devenv"
#else
#define RERUN_DEBUGGER_LABEL "under winedbg"
#define RERUN_DEBUGGER_KEY "winedbg"
#endif

struct scenario_result {
    const struct scenario *sc;
    char *provider; /* the DLL this scenario ran against (owned), or NULL */
    enum scenario_status status;
    /* Its verdict's state: violations, what the call returned, the first
     * Done (judge_returned, judge_done), kept by the judge alone. */
    struct judge judge;
    struct trace trace; /* its events */
    uint64_t duration_ms;
    char note[512];      /* why it errored, or how the worker ended */
    int harness_failure; /* errored because the harness or the machine failed (exit 3) */
    /* ... because a deadline passed only after the host's own scripted
     * delays took all the time they may (docs/deadlines.md) */
    int host_delays_spent;
    unsigned worker_ordinal; /* it was the n-th scenario its worker ran (1: a fresh process) */
    int ran_alone;           /* it failed after others and was run again alone ... */
    enum scenario_status alone_status; /* ... with this status */
    /* The worker's standard error while the scenario ran (owned; NULs kept,
     * so worker_stderr_len bytes), or NULL: whole up to TEXTKEEP_STDERR_MAX
     * bytes, else its first and last halves with the marker of textkeep.h
     * between, and the count left out in worker_stderr_dropped. */
    char *worker_stderr;
    size_t worker_stderr_len;
    uint64_t worker_stderr_dropped;
    /* The commands that rerun this scenario alone (supervisor/rerun.h; owned), or NULL. */
    char *rerun_synchost, *rerun_winedbg;
    /* The architecture its provider ran as ("x64", "x86": pe_machine_name),
     * set as it starts, or NULL when it never started. */
    const char *machine;
    /* On Windows the debugger line is Visual Studio's, and WinDbg's is this. */
    char *rerun_windbg;
};

/* A rule the run does not apply, and why (docs/configuration.md). */
struct rule_skip {
    const char *rule;
    const char *reason;
    const char *source; /* where the skip was asked: "synchost.yaml:8:5", "--skip-rule" */
};

struct run_report {
    const char *version;
    uint64_t seed;
    const char *provider; /* --provider / conform's DLL, or NULL */
    const char *machine;  /* "x64", "x86", ... of that DLL */
    enum rule_level level;
    uint64_t duration_ms;
    struct scenario_result *results;
    size_t count;
    /* The regression workflow (docs/regression.md). */
    int shuffled;                            /* the order is --seed's shuffle, not the files' */
    const struct baseline *baseline;         /* --baseline, or NULL */
    const struct baseline_judgement *judged; /* with baseline: one per result */
    const struct rule_skip *rule_skips;      /* rules skipped for the whole run */
    size_t rule_skip_count;
};

/* Counts of each status. */
void run_report_summary(const struct run_report *r, size_t counts[STATUS_COUNT]);

/* Frees what a run put into each of count results (the judge, the trace,
 * the strings), then the array. */
void scenario_results_free(struct scenario_result *results, size_t count);

/* Writes the JSON report (docs/reports.md) to path, atomically:
 * a temporary file beside it, then rename. path "-" writes to stdout.
 * Returns 0, or -1 with errno set. */
int report_json_write(const struct run_report *r, const char *path);

/* Writes the JUnit XML report (docs/reports.md): a testsuite per provider
 * DLL, a testcase per scenario run. Atomically, "-" for stdout, as above. */
int report_junit_write(const struct run_report *r, const char *path);

/* Writes the TAP version 13 report (docs/reports.md): a test point per
 * scenario run, with YAML diagnostics. Atomically, "-" for stdout, as above. */
int report_tap_write(const struct run_report *r, const char *path);

/* Writes the HTML report (docs/reports.md): one self-contained page, the
 * summary table, then each scenario's timeline, violations and events.
 * Atomically, "-" for stdout, as above. */
int report_html_write(const struct run_report *r, const char *path);

/* Writes the traces as Chrome trace-event JSON (docs/reports.md): a
 * process per scenario run, a track per thread. Atomically, "-" for stdout. */
int report_chrome_trace_write(const struct run_report *r, const char *path);

#endif /* SYNCHOST_RESULT_H */
