/*
 * console_run.h: the console's progress line and the end of a run (docs/console.md).
 *
 * On a terminal (struct console's tty), a line under the scenarios' lines is
 * rewritten in place ("\r" and erase to the end of the line): scenarios
 * ended of those to run, the ones that did not pass, the time since the
 * start, and an estimate of the time left (the mean duration so far, times
 * the scenarios left, over the workers at once). It is erased before any
 * other line is printed (console_progress_clear) and at the end. Not on a
 * terminal it is never drawn: no "\r", no escape codes.
 *
 * The end, in this order: console_failures (with verbose, every violation
 * of every scenario that did not pass, one line each; else a rerun command
 * and where the rest is), what else the caller prints
 * (the baseline's summary), console_report_file for each report written,
 * then console_verdict: the last line, one a CI log search keys on:
 *
 *     synchost: PASS, 57 scenarios
 *     synchost: FAIL, 3 of 57 failed
 *     synchost: ERROR, REASON
 *     synchost: INTERRUPTED, 12 of 57 ran
 *
 * Nothing may be printed on the console after it. Single-threaded.
 */
#ifndef SYNCHOST_CONSOLE_RUN_H
#define SYNCHOST_CONSOLE_RUN_H

#include <stddef.h>

#include "console.h"
#include "report/result.h"

/* Starts the progress line: total scenarios to run, jobs workers at once.
 * Draws it on a terminal (unless quiet). */
void console_progress_start(struct console *con, size_t total, unsigned jobs);
/* Draws the progress line again (after a result and what follows it). */
void console_progress(struct console *con);
/* Erases the progress line if it is on the screen. */
void console_progress_clear(struct console *con);

/* The end of a run that did not pass. Verbose: each violation of each
 * scenario that did not pass, one line each ("  SCENARIO: RULE: MESSAGE"),
 * or its status and note when it has none; at most 50 lines, then how many
 * more. By default (the lines above already hold the violations): one
 * command that reruns the first failure alone ("rerun one alone: ..."), and
 * one line saying where the context left out is (the JSON and HTML reports
 * of detail_json and detail_html, or --verbose). Nothing when every scenario
 * passed. */
void console_failures(struct console *con, const struct run_report *r);

/* "report: PATH" ("-": the standard output) for a report written. */
void console_report_file(struct console *con, const char *path);

/* Under the header: "config: PATH", the configuration file applied, or
 * "config: none" (describe: settings_describe()), unless quiet. */
void console_config(struct console *con, const char *describe);

/* Under the header: each rule the run skips, with its reason and where the
 * skip was asked (unless quiet). */
void console_rule_skips(struct console *con, const struct run_report *r);

/* The verdict line, from the run's exit status rc: 0 PASS, 1 FAIL (under a
 * baseline the counts of new failures and fixed ones follow), 130
 * INTERRUPTED, anything else ERROR with reason (a few words). A PASS of no
 * scenario says why in parentheses, from reason ("shard 5 of 40 is
 * empty"). Printed even when quiet. */
void console_verdict(struct console *con, const struct run_report *r, int rc, const char *reason);

#endif /* SYNCHOST_CONSOLE_RUN_H */
