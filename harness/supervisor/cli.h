/*
 * cli.h: the synchost command line (docs/synchost.1 and --help): the options parsed
 * into a struct cli and checked, the sharding taken from the CI's
 * environment when --shard is not given, the usage text, and the exit
 * statuses every part of main's run shares.
 *
 * Errors are said on stderr, where the option is, before anything runs; the
 * functions return 0 or an exit status. Single-threaded; getopt's state.
 */
#ifndef SYNCHOST_CLI_H
#define SYNCHOST_CLI_H

#include <stddef.h>

#include "rules/rules.h"

/* Workers per CPU: the default, and the most a run gets. Measured on 2
 * cores under Wine 8 (docs/parallel.md): throughput grows to
 * about 8 workers per CPU and falls past 16; at 64 per CPU worker starts
 * and deadlines fail for the machine's reasons, not the provider's. */
#define CLI_JOBS_PER_CPU 4u
#define CLI_JOBS_MAX_PER_CPU 16u

#define EXIT_BAD_INPUT 2
#define EXIT_HARNESS   3

#ifndef SYNCHOST_VERSION
#define SYNCHOST_VERSION "0.0.0"
#endif

struct cli {
    const char *command;
    const char *provider;
    char **paths;
    int path_count;
    enum rule_level level;
    const char *filter, *exclude;
    const char **skip;
    size_t skip_count;
    unsigned jobs;
    unsigned timeout_ms;
    unsigned repeat;
    int has_seed;
    unsigned long long seed;
    unsigned shard_index, shard_total; /* 0-based index; total 0 = no sharding */
    const char *report_json;
    const char *report_junit, *report_tap; /* --junit, --tap */
    const char *report_html, *report_chrome; /* --html, --chrome-trace */
    const char *baseline, *rerun_failed; /* regress.h */
    int baseline_strict;                 /* --baseline-strict (baseline.h) */
    int quiet, verbose;
    int only_failed; /* --only-failed: the console hides passed and skipped scenarios */
    int isolate_process; /* --isolate process */
    int heap_check; /* --heap-check 1, --no-heap-check 0, neither -1 (the command's default) */
    const char *budget;      /* explore's --budget, unchecked (explore.h), or NULL */
    const char *explore_out; /* explore's --out, or NULL */
};

/* `synchost --help`'s text. */
extern const char cli_usage_text[];

/* Says "synchost: " fmt (with arg) and where the usage is, on stderr.
 * Returns EXIT_BAD_INPUT. */
int cli_bad_usage(const char *fmt, const char *arg);

/* Parses argv into c, with the defaults (-j: the CPUs online). c's strings
 * point into argv; c->skip and c->paths are allocated (the caller frees
 * them, even on an error). --help and --version print and exit(0). Returns
 * 0, EXIT_BAD_INPUT (said on stderr) or EXIT_HARNESS (out of memory). */
int cli_parse(int argc, char **argv, struct cli *c);

/* For the configuration file (settings.h): does the long option name take
 * a value? 1, 0 (a flag) or -1 (no such option); "jobs" names -j. */
int cli_option_takes_value(const char *name);

/* The option name most likely means when it is misspelt, or NULL. */
const char *cli_option_nearest(const char *name);

/* Applies one option as if given on the command line: value for one that
 * takes a value; a flag with on = 0 applies its "no-" form where there is
 * one (--no-heap-check), else nothing. where (or NULL) prefixes the message
 * of a refused value ("synchost.yaml:3:10: options.level"). Returns 0 or
 * EXIT_BAD_INPUT (said on stderr). */
int cli_apply_option(struct cli *c, const char *name, const char *value, int on,
                     const char *where);

/* Does a report go to stdout ("-")? Then the console goes to stderr. At
 * most one does: cli_parse refuses two. */
int cli_report_on_stdout(const struct cli *c);

/* The first count report options, in the order --report-json, --junit,
 * --tap, --html, --chrome-trace, each can be written (outfile.h) and no two
 * name one file (links followed), or exit 2, said on stderr with where the
 * configuration file gives the value when it does. Every report option goes
 * through here before anything runs. */
int cli_check_outputs(const struct cli *c, size_t count);

#endif /* SYNCHOST_CLI_H */
