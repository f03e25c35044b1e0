/*
 * cmdline.h: a command line being written, for the rerun commands
 * (rerun.h) of either platform: a buffer that grows as needed, words
 * appended through the platform's quoting, and synchost's own arguments
 * for rerunning one scenario, which both platforms write alike.
 */
#ifndef SYNCHOST_CMDLINE_H
#define SYNCHOST_CMDLINE_H

#include <stddef.h>

#include "report/result.h"
#include "runner.h"

struct cmd;

/* Appends s as one word of the platform's shell (the POSIX shell's rules in
 * rerun.c, cmd.exe's and CommandLineToArgvW's in win/rerun.c). */
typedef int (*cmd_quote_fn)(struct cmd *c, const char *s);
/* path made absolute the platform's way, into buf (PATH_MAX bytes); path
 * itself when it cannot be. */
typedef const char *(*cmd_path_fn)(const char *path, char *buf);

/* err is set once memory runs out; every later append then does nothing
 * and returns -1. Start from {0} with quote set; free p (or cmd_take). */
struct cmd {
    char *p;
    size_t len, cap;
    int err;
    cmd_quote_fn quote;
};

/* Each returns 0, or -1 once memory has run out. */
int cmd_put(struct cmd *c, const char *s, size_t n);
int cmd_put_str(struct cmd *c, const char *s);
/* " " and s quoted. */
int cmd_word(struct cmd *c, const char *s);
/* s quoted, appended to out (cap bytes, NUL-terminated): -1 when it does
 * not fit or memory runs out. */
int cmd_quote_into(cmd_quote_fn quote, const char *s, char *out, size_t cap);
/* The command's string (the caller's to free) when rc is 0, else NULL and
 * the buffer freed. */
char *cmd_take(struct cmd *c, int rc);

/* What follows the program's path in the command that reruns res's
 * scenario alone: " probe PROVIDER" for a probe, else " trace --provider
 * PROVIDER", the run's --level, --skip-rule and --timeout-ms, the scenario
 * file unless it is built in, and " --filter ^NAME$" with every ERE
 * special character of the name escaped. */
int cmd_synchost_args(struct cmd *c, const struct scenario_result *res,
                      const struct runner_options *o, const char *provider, cmd_path_fn path);

/* The worker's command line argv (NULL-terminated) as words, the program's
 * path made absolute by path and --key-stdin left out, then
 * " synchost-rerun.script": the worker started by hand on the script file
 * the rerun command writes. */
int cmd_worker_args(struct cmd *c, char *const *argv, cmd_path_fn path);

#endif /* SYNCHOST_CMDLINE_H */
