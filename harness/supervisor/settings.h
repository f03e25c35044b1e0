/*
 * settings.h: the project configuration file (core/config.h) found and put
 * to use: its options become the command line's defaults, its skips (with
 * their reasons) join --skip-rule's, its deadlines go to the scenarios of
 * those names (docs/configuration.md).
 *
 * Which file: --config FILE, else $SYNCHOST_CONFIG, else the first
 * synchost.yaml in the working directory or one of its parents, up to the
 * repository root (the first folder holding .git) or $HOME, whichever comes
 * first (only the working directory when neither is above it); none with
 * --no-config. A found file that someone else owns or may write is refused
 * (exit 2); a named one is used with a warning. Precedence: built-in defaults < the file < the environment
 * (the CI's shard variables) < the command line.
 *
 * One configuration per process, kept here until settings_free. Errors are
 * said on stderr with the file, line and column; functions return 0 or an
 * exit status (cli.h). Single-threaded.
 */
#ifndef SYNCHOST_SETTINGS_H
#define SYNCHOST_SETTINGS_H

#include <stddef.h>

#include "cli.h"
#include "report/result.h"
#include "scenario/scenario.h"

/* Called by cli_parse with c's built-in defaults set, before argv's options
 * are parsed: finds the file (argv is scanned for --config and
 * --no-config; --help and --version read none), reads it and applies its
 * options and skips to c (c->skip is grown to hold them). */
int settings_load(int argc, char **argv, struct cli *c);

/* The file's deadlines into the loaded scenarios of those names; a name no
 * scenario has draws a warning (it may belong to another suite). */
void settings_apply_scenarios(struct scenario_list *list);

/* Every rule skipped for the run, the file's with their reasons, then the
 * command line's (c->skip past the file's): for the reports and the
 * console. Valid until settings_free. Returns 0, or -1 out of memory. */
int settings_rule_skips(const struct cli *c, const struct rule_skip **out, size_t *count);

/* Is s a value of the file's (a pointer into it)? conform and probe take
 * their DLL as an argument and ignore the file's provider. */
int settings_owns(const char *s);

/* For the console's header: the file read, "none" or "none (--no-config)". */
const char *settings_describe(void);

/* Where the file gives the value s ("FILE:LINE:COL", of the value), or NULL
 * when s is not one of its values (settings_owns). Valid until the next
 * call. */
const char *settings_where(const char *s);

void settings_free(void);

#endif /* SYNCHOST_SETTINGS_H */
