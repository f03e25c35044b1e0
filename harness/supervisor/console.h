/*
 * console.h: what a person sees while synchost runs: a header, one line per
 * scenario that did not pass (a skip with its reason) as it ends, and a
 * summary. By default that line
 * carries the scenario's first violation (the others follow, one line each),
 * a crash or a hang adds its faulting frame, a note is shown only where no
 * violation explains the status; the end gives one rerun command and says
 * where the rest is (console_run.h). Verbose: a line for every scenario, each
 * violation and the note under it, and under a crash or a hang the last host
 * call, the last events, every thread's stack and the commands that rerun it
 * alone (plain and under winedbg). On a
 * terminal, a live progress line under them and colours (unless NO_COLOR is
 * set and not empty); elsewhere (a CI log) plain lines only. The run's end
 * (the failures, the reports, the verdict line) is console_run.h.
 * Single-threaded (called from the loop thread).
 */
#ifndef SYNCHOST_CONSOLE_H
#define SYNCHOST_CONSOLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/result.h"

struct console {
    FILE *out; /* stdout, or stderr when a report goes to stdout */
    int quiet, verbose;
    int color;       /* colours: out is a terminal and NO_COLOR is unset or empty */
    int tty;         /* out is a terminal (not TERM=dumb): the progress line is drawn */
    int only_failed; /* --only-failed: no line for a passed or skipped scenario */
    int live; /* every event is printed as it arrives (console_event): not again */
    /* The JSON and HTML reports asked for ("-": the standard output), or
     * NULL: the end of a failing run says that the context the console left
     * out (without verbose) is there. */
    const char *detail_json, *detail_html;
    /* The progress line (console_run.h): scenarios to run, ended, not passed,
     * workers at once, the start and the sum of the durations, in ms. */
    size_t total, done, failed;
    unsigned jobs;
    uint64_t start_ms, busy_ms;
    int progress;      /* console_progress_start was called */
    int progress_shown; /* the line is on the screen now */
};

/* color and tty from out (isatty) and the environment (NO_COLOR, TERM). */
void console_init(struct console *con, FILE *out, int quiet, int verbose);
void console_header(struct console *con, const struct run_report *r);
/* Does console_result print a line for res? Not for a pass unless verbose,
 * nor for a skip under --only-failed. */
int console_shows(const struct console *con, const struct scenario_result *res);
/* A runner on_result callback: ctx is the struct console. Erases the
 * progress line and counts res in it; console_progress draws it again. */
void console_result(const struct scenario_result *res, void *ctx);
void console_summary(struct console *con, const struct run_report *r);
/* A runner on_event callback: one line per event, as it arrives (trace and
 * probe). ctx is the struct console. */
void console_event(const struct scenario_result *res, const struct event *ev, void *ctx);

/* Writes s to out with every control character and invalid byte escaped
 * (\n, \t, \x1b, \u009b, ...; see console.c), so that text from a scenario
 * file or a provider cannot forge a line or drive the terminal. Returns the
 * number of characters written. Every such string on the console goes
 * through here. */
size_t console_text(FILE *out, const char *s);

#endif /* SYNCHOST_CONSOLE_H */
