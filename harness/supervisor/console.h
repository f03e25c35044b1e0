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
    int live; /* every event is printed as it arrives (console_event): not again */
};

void console_init(struct console *con, FILE *out, int quiet, int verbose);
void console_header(struct console *con, const struct run_report *r);
/* A runner on_result callback: ctx is the struct console. */
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
