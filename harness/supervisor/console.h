/*
 * console.h: what a person sees while synchost runs: a header, one line per
 * scenario as it ends (with its violations under it), and a summary.
 * Single-threaded (called from the loop thread).
 */
#ifndef SYNCHOST_CONSOLE_H
#define SYNCHOST_CONSOLE_H

#include <stddef.h>
#include <stdio.h>

#include "result.h"

struct console {
    FILE *out; /* stdout, or stderr when a report goes to stdout */
    int quiet, verbose, color;
};

void console_init(struct console *con, FILE *out, int quiet, int verbose);
void console_header(struct console *con, const struct run_report *r);
/* A runner on_result callback: ctx is the struct console. */
void console_result(const struct scenario_result *res, void *ctx);
void console_summary(struct console *con, const struct run_report *r);
/* A runner on_event callback: one line per event, as it arrives (trace and
 * probe). ctx is the struct console. */
void console_event(const struct scenario_result *res, const struct event *ev, void *ctx);

#endif /* SYNCHOST_CONSOLE_H */
