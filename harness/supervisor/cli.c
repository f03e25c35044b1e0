/*
 * cli.c: the synchost command line: options, their checks, the usage text
 * (cli.h).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "console.h"
#include "text/nearest.h"
#include "text/number.h"
#include "yaml/yamldoc.h"
#include "outfile.h"
#include "rules/rules.h"
#include "scenario/scenario.h"
#include "settings.h"

const char cli_usage_text[] =
    "usage:\n"
    "  synchost conform PROVIDER.dll [options]           the built-in conformance suite\n"
    "  synchost run --provider PROVIDER.dll PATH... [options]\n"
    "                                                    scenario files or folders\n"
    "  synchost probe PROVIDER.dll                       the file, its imports found or not,\n"
    "                                                    each load step's HRESULT\n"
    "  synchost trace --provider PROVIDER.dll [SCENARIO.yaml] [--filter REGEX]\n"
    "                                                    one scenario (of the file, else of the\n"
    "                                                    built-in suite), events shown live\n"
    "  synchost explore PROVIDER.dll [--budget 60s|N] [--seed N] [--out DIR]\n"
    "                                                    generated scenarios for a budget;\n"
    "                                                    each distinct failure shrunk to a\n"
    "                                                    scenario file in DIR (explore-out)\n"
    "  synchost list rules | scenarios [PATH...]\n"
    "  synchost --help | --version\n"
    "\n"
    "options:\n"
    "  --config FILE / --no-config             the project configuration (default: the\n"
    "                                          first synchost.yaml here or in a parent\n"
    "                                          folder up to the repository root or $HOME;\n"
    "                                          one others own or may write is refused):\n"
    "                                          option defaults, rule skips with reasons,\n"
    "                                          scenario deadlines\n"
    "  --provider DLL                          the provider for run and trace\n"
    "  --level required|recommended|pedantic   rules applied (default recommended)\n"
    "  --filter REGEX / --exclude REGEX        select scenarios by name (POSIX ERE)\n"
    "  --skip-rule ID                          do not apply a rule (repeatable)\n"
    "  -j N                                    workers in parallel (default: 4 per CPU;\n"
    "                                          at most 16 per CPU, what Wine sustains)\n"
    "  --isolate pool|process                  pool (default): a worker runs scenario after\n"
    "                                          scenario, the DLL loaded, as in Outlook; a\n"
    "                                          failure is rerun alone; process: a fresh\n"
    "                                          worker per scenario\n"
    "  --timeout-ms N                          default per-scenario deadline (5000)\n"
    "  --repeat N                              run each selected scenario N times; the end\n"
    "                                          lists pass rates below 100%\n"
    "  --seed N                                shuffle the order of the selected runs with N\n"
    "                                          (after --shard), so that N replays it; without\n"
    "                                          it: the files' order. host.jitter_ms's\n"
    "                                          delays are drawn from it; explore: which\n"
    "                                          scenarios it makes, so that N replays them\n"
    "  --budget 60s|2m|N                       explore: for how long (ms, s, m, h), or how\n"
    "                                          many scenarios (default 60s)\n"
    "  --out DIR                               explore: where the shrunk scenario files go\n"
    "                                          (default explore-out; only files explore\n"
    "                                          wrote are replaced)\n"
    "  --shard K/N                             run the K-th of N slices (1-based)\n"
    "  --baseline FILE                         compare with known failures, flakes and skips\n"
    "                                          (YAML) or a previous JSON report: only new\n"
    "                                          failures and fixed ones fail the run\n"
    "  --baseline-strict                       a known failure must break exactly the rules\n"
    "                                          the baseline names (default: its status)\n"
    "  --rerun-failed REPORT.json              run only the scenarios that did not pass there\n"
    "  --report-json FILE                      JSON report ('-' for stdout)\n"
    "  --junit FILE                            JUnit XML report, a testsuite per provider\n"
    "                                          ('-' for stdout)\n"
    "  --tap FILE                              TAP version 13 report with YAML diagnostics\n"
    "                                          ('-' for stdout); one report at most on\n"
    "                                          stdout, the console then on stderr\n"
    "  --html FILE                             HTML report: one page, a timeline per scenario\n"
    "  --chrome-trace FILE                     the traces as Chrome trace-event JSON (Perfetto\n"
    "                                          UI, chrome://tracing)\n"
    "  --heap-check / --no-heap-check          check the provider's heap use: a double free,\n"
    "                                          a write past a block, a damaged heap becomes a\n"
    "                                          no-crash violation (0xC0000374); default off\n"
    "  --quiet / -v, --verbose                 console detail (--quiet: the verdict only;\n"
    "                                          --verbose: every scenario, stacks, last\n"
    "                                          events, debugger commands)\n"
    "  --only-failed                           --verbose: only the scenarios that did not\n"
    "                                          pass (and the header and the end)\n"
    "\n"
    "console: on a terminal a live progress line (done/total, failed, elapsed, ETA)\n"
    "and colours (none when NO_COLOR is set); elsewhere plain lines. By default one\n"
    "line per scenario that did not pass, with its violations, a crash's or hang's\n"
    "faulting frame; the end gives one rerun command, where the rest is, the reports\n"
    "written; the last line is the verdict:\n"
    "'synchost: PASS, N scenarios', 'synchost: FAIL, F of N failed',\n"
    "'synchost: ERROR, REASON' (exit 2 or 3) or 'synchost: INTERRUPTED, R of N ran'.\n"
    "A filter or exclude that selects no scenario is bad input (exit 2); an empty\n"
    "shard or a rerun with nothing to rerun passes and says why.\n"
    "\n"
    "report paths: a regular or new file is replaced atomically (a temporary file\n"
    "beside it, renamed); anything else (a FIFO, /dev/null, a terminal) is written\n"
    "in place; a symbolic link is followed and stays a link. Two reports to one\n"
    "file are refused (exit 2).\n"
    "\n"
    "reports keep each debug output to its first 1,024 characters and the worker's\n"
    "stderr per scenario whole up to 1 MiB (past it the first and last 512 KiB),\n"
    "saying too_long and the whole length. A provider path Windows cannot take\n"
    "(< > : \" \\ | ? * or a control character) is loaded through a link under a\n"
    "name it can take, in a private folder removed at the end of the run.\n"
    "\n"
    "deadlines: every deadline, --timeout-ms and the scenario keys timeout_ms,\n"
    "return_within_ms, load_timeout_ms and shutdown_timeout_ms, is a whole number\n"
    "of milliseconds from 1 to 3600000 (1 hour); settle_ms is from 0 to 60000.\n"
    "0 or a value out of range is an error, never a default. A deadline counts\n"
    "only the time the host could run: time the worker and the wineserver waited\n"
    "for a CPU moves it later, up to 3 times its length (docs/deadlines.md).\n"
    "\n"
    "exit status: 0 all passed, 1 some did not (with --baseline: a new failure or\n"
    "a fixed one), 2 bad input (usage, a scenario file, a provider file this build\n"
    "cannot host, an output path that cannot be written, a baseline or report that\n"
    "cannot be read), 3 harness failure, 130 interrupted.\n"
    "\n"
    "environment: WINEPREFIX (default ~/.local/share/synchost/wine), WINEDEBUG,\n"
    "SYNCHOST_CONFIG (as --config), SYNCHOST_WORKER64 (the worker's path),\n"
    "SYNCHOST_WINE (the program that runs it), SYNCHOST_WORKER32 and\n"
    "SYNCHOST_WINE32 (the same for x86 DLLs), NO_COLOR, and the CI's shard\n"
    "variables TEST_SHARD_INDEX/TEST_TOTAL_SHARDS, CI_NODE_INDEX/CI_NODE_TOTAL.\n"
    "Rules: synchost list rules; contract: CONTRACT.md; manual: man synchost.\n";

/* Where a value being checked was written, when not on the command line
 * (cli_apply_option). */
static const char *usage_where;
/* cli_parse's option table, for cli_apply_option. */
static const struct option *cli_options;

int cli_bad_usage(const char *fmt, const char *arg)
{
    char q[YAMLDOC_QUOTE_BUF];

    fprintf(stderr, "synchost: %s%s", usage_where != NULL ? usage_where : "",
            usage_where != NULL ? ": " : "");
    /* A value from a configuration file is the file's text: escaped and
     * cut, as every file's text in a message is. */
    if (usage_where != NULL && arg != NULL) {
        arg = yamldoc_quote((const unsigned char *)arg, strlen(arg), q, sizeof q);
    }
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun 'synchost --help' for usage.\n");
    return EXIT_BAD_INPUT;
}

static int parse_uint(const char *s, unsigned min, unsigned *out)
{
    uint64_t v;

    if (text_parse_u64z(s, 0, UINT_MAX, &v) != 0 || v < min) {
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static int parse_shard(const char *s, unsigned *index, unsigned *total)
{
    unsigned k, n;
    const char *slash = strchr(s, '/');
    char kbuf[16];

    if (slash == NULL || (size_t)(slash - s) >= sizeof kbuf) {
        return -1;
    }
    memcpy(kbuf, s, (size_t)(slash - s));
    kbuf[slash - s] = '\0';
    if (parse_uint(kbuf, 1, &k) != 0 || parse_uint(slash + 1, 1, &n) != 0 || k > n) {
        return -1;
    }
    *index = k - 1;
    *total = n;
    return 0;
}

/* Sharding from the CI's environment when --shard is not given: Bazel's
 * TEST_SHARD_INDEX/TEST_TOTAL_SHARDS (0-based; the status file announces
 * support), then GitLab's CI_NODE_INDEX/CI_NODE_TOTAL (1-based). */
static void shard_from_env(struct cli *c)
{
    const char *bi = getenv("TEST_SHARD_INDEX"), *bt = getenv("TEST_TOTAL_SHARDS");
    const char *gi = getenv("CI_NODE_INDEX"), *gt = getenv("CI_NODE_TOTAL");
    unsigned i, t;

    if (bi != NULL && bt != NULL && parse_uint(bt, 1, &t) == 0 && sscanf(bi, "%u", &i) == 1 &&
        i < t) {
        const char *status = getenv("TEST_SHARD_STATUS_FILE");
        c->shard_index = i;
        c->shard_total = t;
        if (status != NULL) {
            FILE *f = fopen(status, "a");
            if (f != NULL) {
                fclose(f);
            }
        }
    } else if (gi != NULL && gt != NULL && parse_uint(gt, 1, &t) == 0 &&
               parse_uint(gi, 1, &i) == 0 && i <= t) {
        c->shard_index = i - 1;
        c->shard_total = t;
    }
}

enum {
    OPT_LEVEL = 256,
    OPT_FILTER,
    OPT_EXCLUDE,
    OPT_SKIP_RULE,
    OPT_ISOLATE,
    OPT_TIMEOUT,
    OPT_REPEAT,
    OPT_SEED,
    OPT_SHARD,
    OPT_JSON,
    OPT_JUNIT,
    OPT_TAP,
    OPT_HTML,
    OPT_CHROME_TRACE,
    OPT_QUIET,
    OPT_VERBOSE,
    OPT_ONLY_FAILED,
    OPT_PROVIDER,
    OPT_HEAP_CHECK,
    OPT_NO_HEAP_CHECK,
    OPT_BASELINE,
    OPT_BASELINE_STRICT,
    OPT_RERUN_FAILED,
    OPT_CONFIG,
    OPT_NO_CONFIG,
    OPT_BUDGET,
    OPT_OUT,
    OPT_HELP,
    OPT_VERSION
};

/* An option whose value is checked: 0, or EXIT_BAD_INPUT (said on stderr). */
static int value_option(struct cli *c, int opt)
{
    switch (opt) {
    case OPT_LEVEL:
        if (rule_level_parse(optarg, &c->level) != 0) {
            return cli_bad_usage("--level takes required, recommended or pedantic, not '%s'",
                                 optarg);
        }
        break;
    case OPT_SKIP_RULE:
        if (rules_find(optarg) == NULL) {
            return cli_bad_usage("--skip-rule: no rule '%s' (synchost list rules)", optarg);
        }
        c->skip[c->skip_count++] = optarg;
        break;
    case OPT_ISOLATE:
        if (strcmp(optarg, "process") != 0 && strcmp(optarg, "pool") != 0) {
            return cli_bad_usage("--isolate takes pool or process, not '%s'", optarg);
        }
        c->isolate_process = strcmp(optarg, "process") == 0;
        break;
    case 'j':
        if (parse_uint(optarg, 1, &c->jobs) != 0 || c->jobs > 256) {
            return cli_bad_usage("-j takes a number from 1 to 256, not '%s'", optarg);
        }
        break;
    case OPT_TIMEOUT:
        /* The same rule as the scenario keys (scenario.h, "Deadlines"). */
        if (parse_uint(optarg, SCENARIO_DEADLINE_MIN_MS, &c->timeout_ms) != 0 ||
            c->timeout_ms > SCENARIO_DEADLINE_MAX_MS) {
            return cli_bad_usage("--timeout-ms takes a deadline from 1 to 3600000 ms (1 hour at "
                                 "most), not '%s'",
                                 optarg);
        }
        break;
    case OPT_REPEAT:
        if (parse_uint(optarg, 1, &c->repeat) != 0 || c->repeat > 100000) {
            return cli_bad_usage("--repeat takes a number from 1 to 100000, not '%s'", optarg);
        }
        break;
    case OPT_SEED: {
        uint64_t seed;
        if (text_parse_u64z(optarg, TEXT_NUMBER_HEX, UINT64_MAX, &seed) != 0) {
            return cli_bad_usage("--seed takes a non-negative number (decimal or 0x-hex), not "
                                 "'%s'",
                                 optarg);
        }
        c->seed = seed;
        c->has_seed = 1;
        break;
    }
    case OPT_SHARD:
        if (parse_shard(optarg, &c->shard_index, &c->shard_total) != 0) {
            return cli_bad_usage("--shard takes K/N with 1 <= K <= N, not '%s'", optarg);
        }
        break;
    }
    return 0;
}

/* One option getopt_long() returned: 0, or an exit status (said on stderr). */
/* The options whose value is a string kept as given (a path, a pattern, a
 * budget checked by explore.c), and where it goes. */
static const struct {
    int opt;
    size_t offset;
} string_options[] = {
    {OPT_FILTER, offsetof(struct cli, filter)},
    {OPT_EXCLUDE, offsetof(struct cli, exclude)},
    {OPT_JSON, offsetof(struct cli, report_json)},
    {OPT_JUNIT, offsetof(struct cli, report_junit)},
    {OPT_TAP, offsetof(struct cli, report_tap)},
    {OPT_HTML, offsetof(struct cli, report_html)},
    {OPT_CHROME_TRACE, offsetof(struct cli, report_chrome)},
    {OPT_PROVIDER, offsetof(struct cli, provider)},
    {OPT_BASELINE, offsetof(struct cli, baseline)},
    {OPT_RERUN_FAILED, offsetof(struct cli, rerun_failed)},
    {OPT_BUDGET, offsetof(struct cli, budget)},
    {OPT_OUT, offsetof(struct cli, explore_out)},
};

static int one_option(struct cli *c, int opt, char **argv)
{
    for (size_t i = 0; i < sizeof string_options / sizeof string_options[0]; i++) {
        if (string_options[i].opt == opt) {
            *(const char **)(void *)((char *)c + string_options[i].offset) = optarg;
            return 0;
        }
    }
    switch (opt) {
    case OPT_LEVEL:
    case OPT_SKIP_RULE:
    case OPT_ISOLATE:
    case 'j':
    case OPT_TIMEOUT:
    case OPT_REPEAT:
    case OPT_SEED:
    case OPT_SHARD:
        return value_option(c, opt);
    case OPT_QUIET:
        c->quiet = 1;
        break;
    case OPT_VERBOSE:
    case 'v':
        c->verbose = 1;
        break;
    case OPT_ONLY_FAILED:
        c->only_failed = 1;
        break;
    case OPT_BASELINE_STRICT:
        c->baseline_strict = 1;
        break;
    case OPT_HEAP_CHECK:
    case OPT_NO_HEAP_CHECK:
        c->heap_check = opt == OPT_HEAP_CHECK;
        break;
    case OPT_CONFIG:
    case OPT_NO_CONFIG:
        break; /* read before the other options (settings.h) */
    case OPT_HELP:
        fputs(cli_usage_text, stdout);
        exit(0);
    case OPT_VERSION:
        printf("synchost %s\n", SYNCHOST_VERSION);
        exit(0);
    case ':':
        return cli_bad_usage("option '%s' needs a value", argv[optind - 1]);
    default:
        return cli_bad_usage("unknown option '%s'", argv[optind - 1]);
    }
    return 0;
}

static void cap_jobs(struct cli *c, unsigned ncpu);

static int stdout_reports(const struct cli *c)
{
    const char *reports[] = {c->report_json, c->report_junit, c->report_tap, c->report_html,
                             c->report_chrome};
    int n = 0;

    for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++) {
        n += reports[i] != NULL && strcmp(reports[i], "-") == 0;
    }
    return n;
}

int cli_report_on_stdout(const struct cli *c)
{
    return stdout_reports(c) > 0;
}

int cli_parse(int argc, char **argv, struct cli *c)
{
    static const struct option longopts[] = {
        {"level", required_argument, NULL, OPT_LEVEL},
        {"filter", required_argument, NULL, OPT_FILTER},
        {"exclude", required_argument, NULL, OPT_EXCLUDE},
        {"skip-rule", required_argument, NULL, OPT_SKIP_RULE},
        {"isolate", required_argument, NULL, OPT_ISOLATE},
        {"timeout-ms", required_argument, NULL, OPT_TIMEOUT},
        {"repeat", required_argument, NULL, OPT_REPEAT},
        {"seed", required_argument, NULL, OPT_SEED},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"report-json", required_argument, NULL, OPT_JSON},
        {"junit", required_argument, NULL, OPT_JUNIT},
        {"tap", required_argument, NULL, OPT_TAP},
        {"html", required_argument, NULL, OPT_HTML},
        {"chrome-trace", required_argument, NULL, OPT_CHROME_TRACE},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"verbose", no_argument, NULL, OPT_VERBOSE},
        {"only-failed", no_argument, NULL, OPT_ONLY_FAILED},
        {"provider", required_argument, NULL, OPT_PROVIDER},
        {"heap-check", no_argument, NULL, OPT_HEAP_CHECK},
        {"no-heap-check", no_argument, NULL, OPT_NO_HEAP_CHECK},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"baseline-strict", no_argument, NULL, OPT_BASELINE_STRICT},
        {"rerun-failed", required_argument, NULL, OPT_RERUN_FAILED},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"no-config", no_argument, NULL, OPT_NO_CONFIG},
        {"budget", required_argument, NULL, OPT_BUDGET},
        {"out", required_argument, NULL, OPT_OUT},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int opt, rc;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

    cli_options = longopts;

    memset(c, 0, sizeof *c);
    c->level = RULE_RECOMMENDED;
    c->jobs = (ncpu > 0 ? (unsigned)ncpu : 1) * CLI_JOBS_PER_CPU;
    c->repeat = 1;
    c->heap_check = -1;
    c->skip = calloc((size_t)argc, sizeof *c->skip);
    c->paths = calloc((size_t)argc, sizeof *c->paths);
    if (c->skip == NULL || c->paths == NULL) {
        return EXIT_HARNESS;
    }
    /* synchost.yaml's options first: the command line's win. */
    if ((rc = settings_load(argc, argv, c)) != 0) {
        return rc;
    }
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":j:v", longopts, NULL)) != -1) {
        if ((rc = one_option(c, opt, argv)) != 0) {
            return rc;
        }
    }
    if (optind >= argc) {
        return cli_bad_usage("%s", "no command given");
    }
    if (stdout_reports(c) > 1) {
        return cli_bad_usage("%s", "only one report can go to stdout ('-')");
    }
    c->command = argv[optind++];
    for (; optind < argc; optind++) {
        c->paths[c->path_count++] = argv[optind];
    }
    if (c->shard_total == 0) {
        shard_from_env(c);
    }
    cap_jobs(c, ncpu > 0 ? (unsigned)ncpu : 1);
    return 0;
}

/* More workers than Wine sustains on this machine would turn the machine's
 * overload into deadlines missed and workers that never start: the run
 * takes what the machine sustains, and says so. */
static void cap_jobs(struct cli *c, unsigned ncpu)
{
    unsigned cap = ncpu * CLI_JOBS_MAX_PER_CPU;

    if (c->jobs > cap) {
        fprintf(stderr,
                "synchost: -j %u lowered to %u: Wine sustains about %u workers per CPU "
                "(docs/parallel.md)\n",
                c->jobs, cap, CLI_JOBS_MAX_PER_CPU);
        c->jobs = cap;
    }
}

/* The configuration file's options (settings.h) --------------------- */

static const struct option *find_option(const char *name)
{
    for (const struct option *o = cli_options; o != NULL && o->name != NULL; o++) {
        if (strcmp(o->name, name) == 0) {
            return o;
        }
    }
    return NULL;
}

const char *cli_option_nearest(const char *name)
{
    const char *names[128];
    size_t n = 0;

    for (const struct option *o = cli_options; o != NULL && o->name != NULL && n < 128; o++) {
        names[n++] = o->name;
    }
    return nearest_name(name, strlen(name), names, n);
}

int cli_option_takes_value(const char *name)
{
    const struct option *o = find_option(name);

    if (strcmp(name, "jobs") == 0) {
        return 1;
    }
    return o == NULL ? -1 : o->has_arg != no_argument;
}

int cli_apply_option(struct cli *c, const char *name, const char *value, int on,
                     const char *where)
{
    char no[64];
    const struct option *o;
    int rc;

    if (!on) {
        snprintf(no, sizeof no, "no-%s", name);
        name = no;
        if (find_option(name) == NULL) {
            return 0;
        }
    }
    o = find_option(name);
    if (o == NULL && strcmp(name, "jobs") != 0) {
        return cli_bad_usage("unknown option '%s'", name);
    }
    optarg = (char *)value;
    usage_where = where;
    rc = one_option(c, strcmp(name, "jobs") == 0 ? 'j' : o != NULL ? o->val : '?', NULL);
    usage_where = NULL;
    return rc;
}
