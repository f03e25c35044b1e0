/*
 * rerun.h: the commands that run one scenario again, alone, in the
 * foreground: with synchost (`synchost trace`, every event printed live)
 * and under winedbg (the worker by hand, as the runner started it). Kept in
 * the JSON report ("rerun"); printed under a failing scenario with
 * --verbose, and by default the first failure's synchost command once at
 * the end of the run.
 *
 * Each command is one line for a POSIX shell, of any length: every word that
 * is not plain is single-quoted, as $'...' (with \xNN escapes) when it has a
 * character the console would escape (a control character, ill-formed
 * UTF-8), so that the command the console shows is the one to paste; the
 * environment it depends on (WINEPREFIX, and SYNCHOST_WINE /
 * SYNCHOST_WORKER64 when set) is written in front.
 */
#ifndef SYNCHOST_RERUN_H
#define SYNCHOST_RERUN_H

#include <stddef.h>

#include "report/result.h"
#include "runner.h"

/* The folder, in the current one, where the winedbg command links a
 * provider whose path Windows cannot take (winname.h): the run's own link
 * is gone once the run ends, so the command makes its own. */
#define RERUN_LINK_DIR "synchost-rerun"

/* Fills res->rerun_synchost and res->rerun_winedbg (owned by res, replacing
 * what was there). provider is the DLL's path as given; worker_argv the
 * worker's arguments as the runner passes them, from the program (no
 * "wine" in front), NULL-terminated: "--key-stdin" is left out (by hand,
 * the stream is sealed with the all-zero key); script the scenario's script
 * line (script.h), which the winedbg command writes to a file the worker
 * reads. link_name: NULL, or the name Windows can take that the provider
 * is loaded under (winname.h); then script names it as
 * RERUN_LINK_DIR\link_name, and the winedbg command first links it there,
 * beside links to the provider's sibling files (its imports). winedbg is
 * started by o->wine, the program that starts the worker, unless that is
 * the "wine" launcher. Leaves them NULL when out of memory. */
void rerun_fill(struct scenario_result *res, const struct runner_options *o, const char *provider,
                char *const *worker_argv, const char *script, const char *link_name);

/* Appends s to out quoted for a POSIX shell ('...' with ' as '\'', or
 * $'...' as above), or as it is when it has only characters no shell treats
 * specially. Returns 0,
 * or -1 when out (cap bytes) is too small (out is then cut, NUL-terminated). */
int rerun_shell_quote(const char *s, char *out, size_t cap);

#endif /* SYNCHOST_RERUN_H */
