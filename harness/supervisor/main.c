/*
 * main.c: the synchost command line (README and --help).
 *
 * Exit status: 0 every selected scenario passed; 1 at least one did not;
 * 2 bad input (usage, scenario file, provider file); 3 the harness itself
 * failed; 130 interrupted by SIGINT or SIGTERM (reports are still written).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "console.h"
#include "hresult.h"
#include "outfile.h"
#include "pe.h"
#include "regress.h"
#include "result.h"
#include "rules.h"
#include "runner.h"
#include "scenario.h"
#include "suite.h"
#include "yamldoc.h"

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
    const char *baseline, *rerun_failed; /* regress.h */
    int quiet, verbose;
    int isolate_process; /* --isolate process */
    int heap_check; /* --heap-check 1, --no-heap-check 0, neither -1 (the command's default) */
};

static const char usage_text[] =
    "usage:\n"
    "  synchost conform PROVIDER.dll [options]           the built-in conformance suite\n"
    "  synchost run --provider PROVIDER.dll PATH... [options]\n"
    "                                                    scenario files or folders\n"
    "  synchost probe PROVIDER.dll                       load chain only: each step's HRESULT\n"
    "  synchost trace --provider PROVIDER.dll [SCENARIO.yaml] [--filter REGEX]\n"
    "                                                    one scenario (of the file, else of the\n"
    "                                                    built-in suite), every event printed live\n"
    "  synchost list rules | scenarios [PATH...]\n"
    "  synchost --help | --version\n"
    "\n"
    "options:\n"
    "  --level required|recommended|pedantic   rules applied (default recommended)\n"
    "  --filter REGEX / --exclude REGEX        select scenarios by name (POSIX ERE)\n"
    "  --skip-rule ID                          do not apply a rule (repeatable)\n"
    "  -j N                                    workers in parallel (default: CPUs)\n"
    "  --isolate pool|process                  pool (default): a worker runs scenario after\n"
    "                                          scenario, the DLL loaded, as in Outlook; a\n"
    "                                          failure is rerun alone; process: a fresh\n"
    "                                          worker per scenario\n"
    "  --timeout-ms N                          default per-scenario deadline (5000)\n"
    "  --repeat N                              run each selected scenario N times; the end\n"
    "                                          lists pass rates below 100%\n"
    "  --seed N                                shuffle the order of the selected runs with N\n"
    "                                          (after --shard), so that N replays it; without\n"
    "                                          it: the files' order. No host timing is\n"
    "                                          randomised yet\n"
    "  --shard K/N                             run the K-th of N slices (1-based)\n"
    "  --baseline FILE                         compare with known failures, flakes and skips\n"
    "                                          (YAML) or a previous JSON report: only new\n"
    "                                          failures and fixed ones fail the run\n"
    "  --rerun-failed REPORT.json              run only the scenarios that did not pass there\n"
    "  --report-json FILE                      JSON report ('-' for stdout)\n"
    "  --heap-check / --no-heap-check          check the provider's heap use: a double free,\n"
    "                                          a write past a block, a damaged heap becomes a\n"
    "                                          no-crash violation (0xC0000374); default off\n"
    "  --quiet / --verbose                     console detail\n"
    "\n"
    "deadlines: every deadline, --timeout-ms and the scenario keys timeout_ms,\n"
    "return_within_ms, load_timeout_ms and shutdown_timeout_ms, is a whole number\n"
    "of milliseconds from 1 to 3600000 (1 hour); settle_ms is from 0 to 60000.\n"
    "0 or a value out of range is an error, never a default.\n"
    "\n"
    "exit status: 0 all passed, 1 some did not (with --baseline: a new failure or\n"
    "a fixed one), 2 bad input (usage, a scenario file, a provider file this build\n"
    "cannot host, an output path that cannot be written, a baseline or report that\n"
    "cannot be read), 3 harness failure, 130 interrupted.\n"
    "Rules: synchost list rules; contract: CONTRACT.md.\n";

static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "synchost: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun 'synchost --help' for usage.\n");
    return EXIT_BAD_INPUT;
}

static int parse_uint(const char *s, unsigned min, unsigned *out)
{
    char *end;
    unsigned long v;

    if (s == NULL || *s == '\0' || *s == '-') {
        return -1;
    }
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > UINT_MAX || v < min) {
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
    OPT_QUIET,
    OPT_VERBOSE,
    OPT_PROVIDER,
    OPT_HEAP_CHECK,
    OPT_NO_HEAP_CHECK,
    OPT_BASELINE,
    OPT_RERUN_FAILED,
    OPT_HELP,
    OPT_VERSION
};

static int parse_cli(int argc, char **argv, struct cli *c)
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
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"verbose", no_argument, NULL, OPT_VERBOSE},
        {"provider", required_argument, NULL, OPT_PROVIDER},
        {"heap-check", no_argument, NULL, OPT_HEAP_CHECK},
        {"no-heap-check", no_argument, NULL, OPT_NO_HEAP_CHECK},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"rerun-failed", required_argument, NULL, OPT_RERUN_FAILED},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int opt;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

    memset(c, 0, sizeof *c);
    c->level = RULE_RECOMMENDED;
    c->jobs = ncpu > 0 ? (unsigned)ncpu : 1;
    c->repeat = 1;
    c->heap_check = -1;
    c->skip = calloc((size_t)argc, sizeof *c->skip);
    c->paths = calloc((size_t)argc, sizeof *c->paths);
    if (c->skip == NULL || c->paths == NULL) {
        return EXIT_HARNESS;
    }
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":j:", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_LEVEL:
            if (rule_level_parse(optarg, &c->level) != 0) {
                return bad_usage("--level takes required, recommended or pedantic, not '%s'",
                                 optarg);
            }
            break;
        case OPT_FILTER:
            c->filter = optarg;
            break;
        case OPT_EXCLUDE:
            c->exclude = optarg;
            break;
        case OPT_SKIP_RULE:
            if (rules_find(optarg) == NULL) {
                return bad_usage("--skip-rule: no rule '%s' (synchost list rules)", optarg);
            }
            c->skip[c->skip_count++] = optarg;
            break;
        case OPT_ISOLATE:
            if (strcmp(optarg, "process") != 0 && strcmp(optarg, "pool") != 0) {
                return bad_usage("--isolate takes pool or process, not '%s'", optarg);
            }
            c->isolate_process = strcmp(optarg, "process") == 0;
            break;
        case 'j':
            if (parse_uint(optarg, 1, &c->jobs) != 0 || c->jobs > 256) {
                return bad_usage("-j takes a number from 1 to 256, not '%s'", optarg);
            }
            break;
        case OPT_TIMEOUT:
            /* The same rule as the scenario keys (scenario.h, "Deadlines"). */
            if (parse_uint(optarg, SCENARIO_DEADLINE_MIN_MS, &c->timeout_ms) != 0 ||
                c->timeout_ms > SCENARIO_DEADLINE_MAX_MS) {
                return bad_usage("--timeout-ms takes a deadline from 1 to 3600000 ms (1 hour at "
                                 "most), not '%s'",
                                 optarg);
            }
            break;
        case OPT_REPEAT:
            if (parse_uint(optarg, 1, &c->repeat) != 0 || c->repeat > 100000) {
                return bad_usage("--repeat takes a number from 1 to 100000, not '%s'", optarg);
            }
            break;
        case OPT_SEED: {
            char *end;
            errno = 0;
            c->seed = strtoull(optarg, &end, 0);
            if (errno != 0 || *end != '\0' || *optarg == '-' || *optarg == '\0') {
                return bad_usage("--seed takes a non-negative number, not '%s'", optarg);
            }
            c->has_seed = 1;
            break;
        }
        case OPT_SHARD:
            if (parse_shard(optarg, &c->shard_index, &c->shard_total) != 0) {
                return bad_usage("--shard takes K/N with 1 <= K <= N, not '%s'", optarg);
            }
            break;
        case OPT_JSON:
            c->report_json = optarg;
            break;
        case OPT_JUNIT:
        case OPT_TAP:
        case OPT_HTML:
            return bad_usage("%s reports are not supported by this version; use --report-json",
                             opt == OPT_JUNIT ? "JUnit"
                             : opt == OPT_TAP ? "TAP"
                                              : "HTML");
        case OPT_QUIET:
            c->quiet = 1;
            break;
        case OPT_VERBOSE:
            c->verbose = 1;
            break;
        case OPT_PROVIDER:
            c->provider = optarg;
            break;
        case OPT_BASELINE:
            c->baseline = optarg;
            break;
        case OPT_RERUN_FAILED:
            c->rerun_failed = optarg;
            break;
        case OPT_HEAP_CHECK:
        case OPT_NO_HEAP_CHECK:
            c->heap_check = opt == OPT_HEAP_CHECK;
            break;
        case OPT_HELP:
            fputs(usage_text, stdout);
            exit(0);
        case OPT_VERSION:
            printf("synchost %s\n", SYNCHOST_VERSION);
            exit(0);
        case ':':
            return bad_usage("option '%s' needs a value", argv[optind - 1]);
        default:
            return bad_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        return bad_usage("%s", "no command given");
    }
    c->command = argv[optind++];
    for (; optind < argc; optind++) {
        c->paths[c->path_count++] = argv[optind];
    }
    if (c->shard_total == 0) {
        shard_from_env(c);
    }
    return 0;
}

/* Loading scenarios -------------------------------------------------- */

static int has_yaml_suffix(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A PE file where a scenario was expected: the commonest slip is
 * `synchost run X.dll` without --provider. Says so and returns 1. */
static int refuse_pe(const char *path)
{
    struct pe_info pe;
    char why[256];
    FILE *fp = fopen(path, "rb");
    char mz[2] = {0, 0};

    if (fp == NULL) {
        return 0; /* scenario_load_file() says why */
    }
    if (fread(mz, 1, 2, fp) != 2 || mz[0] != 'M' || mz[1] != 'Z') {
        fclose(fp);
        return 0;
    }
    fclose(fp);
    (void)pe_read(path, &pe, why, sizeof why); /* is_dll, as far as it reads */
    if (pe.is_dll) {
        fprintf(stderr,
                "synchost: %s is a DLL, given where a scenario file was expected; did you mean "
                "`synchost run --provider %s SCENARIOS...` or `synchost conform %s`?\n",
                path, path, path);
    } else {
        fprintf(stderr,
                "synchost: %s is a Windows program (an MZ file), given where a scenario file "
                "(YAML) was expected\n",
                path);
    }
    return 1;
}

static int load_one(const char *path, struct scenario_list *list)
{
    struct scenario_error err;
    char msg[1200];

    if (refuse_pe(path)) {
        return EXIT_BAD_INPUT;
    }
    if (scenario_load_file(path, list, &err) != 0) {
        fprintf(stderr, "synchost: %s\n", scenario_error_format(&err, msg, sizeof msg));
        return EXIT_BAD_INPUT;
    }
    return 0;
}

/* A folder's *.yaml and *.yml files, in name order, recursively. */
static int load_dir(const char *dir, struct scenario_list *list)
{
    uv_fs_t req;
    uv_dirent_t ent;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (uv_fs_scandir(NULL, &req, dir, 0, NULL) < 0) {
        fprintf(stderr, "synchost: %s: cannot read the folder: %s\n", dir,
                uv_strerror((int)req.result));
        uv_fs_req_cleanup(&req);
        return EXIT_BAD_INPUT;
    }
    while (uv_fs_scandir_next(&req, &ent) != UV_EOF) {
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, ent.name) >= sizeof path) {
            continue;
        }
        if (ent.type != UV_DIRENT_DIR && !has_yaml_suffix(ent.name)) {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
            if (names == NULL) {
                uv_fs_req_cleanup(&req);
                return EXIT_HARNESS;
            }
        }
        names[n++] = strdup(path);
    }
    uv_fs_req_cleanup(&req);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (rc == 0) {
            if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
                rc = load_dir(names[i], list);
            } else {
                rc = load_one(names[i], list);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static int load_paths(char **paths, int count, struct scenario_list *list)
{
    for (int i = 0; i < count; i++) {
        struct stat st;
        int rc;
        if (stat(paths[i], &st) != 0) {
            fprintf(stderr, "synchost: %s: %s\n", paths[i], strerror(errno));
            return EXIT_BAD_INPUT;
        }
        rc = S_ISDIR(st.st_mode) ? load_dir(paths[i], list) : load_one(paths[i], list);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int load_builtin(struct scenario_list *list)
{
    for (size_t i = 0; i < suite_file_count; i++) {
        struct scenario_error err;
        char name[256], msg[1200];
        snprintf(name, sizeof name, "<builtin>/%s", suite_files[i].name);
        if (scenario_load_buffer(name, NULL, suite_files[i].text, suite_files[i].len, list, &err) !=
            0) {
            fprintf(stderr, "synchost: built-in suite: %s\n",
                    scenario_error_format(&err, msg, sizeof msg));
            return EXIT_HARNESS;
        }
    }
    return 0;
}

/* Rule ids named in scenarios must exist: a typo must not silently skip
 * nothing. Reported where the id is written. */
static int check_skip_rules(const struct scenario_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        const struct scenario *sc = &list->items[i];
        for (size_t k = 0; k < sc->skip_rule_count; k++) {
            if (rules_find(sc->skip_rules[k]) == NULL) {
                char q[YAMLDOC_QUOTE_BUF];
                const char *id = sc->skip_rules[k];
                fprintf(stderr,
                        "synchost: %s:%u:%u: rules.skip names no rule '%s' "
                        "(synchost list rules)\n",
                        sc->file, sc->skip_rule_marks[k].line, sc->skip_rule_marks[k].col,
                        yamldoc_quote((const unsigned char *)id, strlen(id), q, sizeof q));
                return EXIT_BAD_INPUT;
            }
        }
    }
    return 0;
}

/* Selection ---------------------------------------------------------- */

static int compile_regex(const char *what, const char *pattern, regex_t *re)
{
    char msg[256];
    int rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);

    if (rc != 0) {
        regerror(rc, re, msg, sizeof msg);
        fprintf(stderr, "synchost: %s '%s': %s\n", what, pattern, msg);
        return EXIT_BAD_INPUT;
    }
    return 0;
}

/* Filters, shards and repeats the loaded scenarios into results. */
static int select_scenarios(const struct cli *c, const struct regress *rg,
                            const struct scenario_list *list, struct scenario_result **out,
                            size_t *out_count)
{
    regex_t inc, exc;
    size_t n = 0, picked = 0;
    struct scenario_result *res;

    if (c->filter != NULL && compile_regex("--filter", c->filter, &inc) != 0) {
        return EXIT_BAD_INPUT;
    }
    if (c->exclude != NULL && compile_regex("--exclude", c->exclude, &exc) != 0) {
        return EXIT_BAD_INPUT;
    }
    res = calloc(list->count * c->repeat + 1, sizeof *res);
    if (res == NULL) {
        return EXIT_HARNESS;
    }
    for (size_t i = 0; i < list->count; i++) {
        const struct scenario *sc = &list->items[i];
        if (c->filter != NULL && regexec(&inc, sc->name, 0, NULL, 0) != 0) {
            continue;
        }
        if (c->exclude != NULL && regexec(&exc, sc->name, 0, NULL, 0) == 0) {
            continue;
        }
        if (!regress_selects(rg, sc)) {
            continue;
        }
        if (c->shard_total > 0 && picked++ % c->shard_total != c->shard_index) {
            continue;
        }
        for (unsigned r = 0; r < c->repeat; r++) {
            res[n].sc = sc;
            res[n].status = STATUS_INTERRUPTED;
            snprintf(res[n].note, sizeof res[n].note, "not run: interrupted");
            n++;
        }
    }
    if (c->filter != NULL) {
        regfree(&inc);
    }
    if (c->exclude != NULL) {
        regfree(&exc);
    }
    *out = res;
    *out_count = n;
    return 0;
}

/* Finding our parts -------------------------------------------------- */

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* synchost-worker64.exe: $SYNCHOST_WORKER64, else beside this program, else
 * where the build tree puts it. */
static int find_worker(char *out, size_t cap)
{
    const char *env = getenv("SYNCHOST_WORKER64");
    char self[PATH_MAX];
    size_t len = sizeof self;
    char *slash;
    static const char *const rel[] = {
        "synchost-worker64.exe",
        "../worker/synchost-worker64.exe",
        "../libexec/synchost/synchost-worker64.exe",
    };

    if (env != NULL && *env != '\0') {
        snprintf(out, cap, "%s", env);
        return file_exists(out) ? 0 : -1;
    }
    if (uv_exepath(self, &len) != 0 || (slash = strrchr(self, '/')) == NULL) {
        return -1;
    }
    *slash = '\0';
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        if ((size_t)snprintf(out, cap, "%s/%s", self, rel[i]) < cap && file_exists(out)) {
            return 0;
        }
    }
    return -1;
}

/* Workers run in synchost's own Wine prefix (the one scripts/bootstrap
 * prepares, with Wine's crash debugger off) unless WINEPREFIX says otherwise,
 * and with Wine's own diagnostics off unless WINEDEBUG asks for them. */
static void wine_environment(void)
{
    const char *home = getenv("HOME");
    const char *data = getenv("XDG_DATA_HOME");
    char prefix[PATH_MAX];

    if (getenv("WINEPREFIX") == NULL) {
        if (data != NULL && *data != '\0') {
            snprintf(prefix, sizeof prefix, "%s/synchost/wine", data);
        } else {
            snprintf(prefix, sizeof prefix, "%s/.local/share/synchost/wine",
                     home != NULL ? home : "");
        }
        setenv("WINEPREFIX", prefix, 1);
    }
    setenv("WINEDEBUG", "-all", 0);
    setenv("WINEDLLOVERRIDES", "mscoree,mshtml=", 0);
}

/* Keeps one wineserver alive for the run so that each worker start costs
 * about 0.1 s instead of a server start (it ends itself 5 s after the last
 * worker). */
static void warm_wineserver(void)
{
    uv_process_t proc;
    uv_process_options_t po;
    uv_stdio_container_t stdio[3];
    char *args[] = {"wineserver", "-p5", NULL};

    memset(&po, 0, sizeof po);
    for (int i = 0; i < 3; i++) {
        stdio[i].flags = UV_IGNORE;
    }
    po.file = args[0];
    po.args = args;
    po.stdio = stdio;
    po.stdio_count = 3;
    if (uv_spawn(uv_default_loop(), &proc, &po) == 0) {
        uv_close((uv_handle_t *)&proc, NULL);
    }
}

/* Commands ----------------------------------------------------------- */

static int list_rules(void)
{
    size_t n;
    const struct rule_info *r = rules_catalogue(&n);

    for (size_t i = 0; i < n; i++) {
        printf("%-24s %-11s %-9s %s\n", r[i].id, rule_level_name(r[i].level),
               r[i].enforced ? "enforced" : "planned", r[i].summary);
    }
    return 0;
}

static int list_scenarios(const struct cli *c)
{
    struct scenario_list list = {0};
    int rc = c->path_count > 0 ? load_paths(c->paths, c->path_count, &list) : load_builtin(&list);

    for (size_t i = 0; rc == 0 && i < list.count; i++) {
        char flags[256];
        /* Names and paths escaped: a scenario must not write the console. */
        size_t w = console_text(stdout, list.items[i].name);
        printf("%*s %-40s ", w < 28 ? (int)(28 - w) : 0, "",
               sync_flags_format(list.items[i].flags, flags, sizeof flags));
        console_text(stdout, list.items[i].file);
        putchar('\n');
    }
    scenario_list_free(&list);
    return rc;
}

/* probe's one scenario: the load chain, no sync, no settling. */
static int probe_scenario(struct scenario_list *list)
{
    static const char probe_yaml[] = "name: probe\n"
                                     "description: The load chain only.\n"
                                     "settle_ms: 1\n";
    struct scenario_error err;
    char msg[1200];

    if (scenario_load_buffer("<probe>", NULL, probe_yaml, sizeof probe_yaml - 1, list, &err) != 0) {
        fprintf(stderr, "synchost: %s\n", scenario_error_format(&err, msg, sizeof msg));
        return EXIT_HARNESS;
    }
    return 0;
}

/* The provider named on the command line must be a DLL we can host. */
static int check_provider(const char *path, struct pe_info *pe)
{
    char why[256];

    if (pe_read(path, pe, why, sizeof why) != 0) {
        fprintf(stderr, "synchost: %s: %s\n", path, why);
        return EXIT_BAD_INPUT;
    }
    if (!pe->is_dll) {
        fprintf(stderr,
                "synchost: %s: a PE file but not a DLL (an .exe?); "
                "give the provider DLL\n",
                path);
        return EXIT_BAD_INPUT;
    }
    /* Input this build cannot host is bad input (exit 2), like any other
     * provider file it cannot use; the message says what would host it. */
    switch (pe->machine) {
    case PE_MACHINE_X64:
        return 0;
    case PE_MACHINE_X86:
        fprintf(stderr,
                "synchost: %s: a 32-bit (x86) DLL; this build hosts x64 providers only. A "
                "32-bit provider needs a 32-bit worker (synchost-worker32.exe), which runs "
                "under 32-bit Wine (not installable on the Debian 12 machines this is built "
                "on) or on Windows: use synchost on Windows with synchost-worker32.exe\n",
                path);
        return EXIT_BAD_INPUT;
    case PE_MACHINE_ARM64:
        fprintf(stderr,
                "synchost: %s: an ARM64 DLL; no worker of this version hosts ARM64 providers "
                "(x64 only): build the provider for x64 to test it\n",
                path);
        return EXIT_BAD_INPUT;
    case PE_MACHINE_UNKNOWN:
        break;
    }
    fprintf(stderr,
            "synchost: %s: a DLL for machine type 0x%04X, which no worker of this version "
            "hosts (x64 only)\n",
            path, pe->machine_code);
    return EXIT_BAD_INPUT;
}

/* An output option's path (NULL: not given) can be written, or exit 2. Every
 * report option goes through here before anything runs. */
static int check_output(const char *option, const char *path)
{
    char why[256];

    if (path != NULL && outfile_check(path, why, sizeof why) != 0) {
        fprintf(stderr, "synchost: %s %s: cannot write there: %s\n", option, path, why);
        return EXIT_BAD_INPUT;
    }
    return 0;
}

/* Exit 1 is for provider verdicts only: a scenario the harness could not
 * run because Wine or the machine failed makes the run exit 3 (whatever the
 * others found, since the run is incomplete), one that could not run for
 * bad input exit 2. */
static int run_exit_status(const struct scenario_result *results, size_t count,
                           const size_t counts[STATUS_COUNT])
{
    const struct scenario_result *harness = NULL;
    size_t harness_count = 0;

    for (size_t i = 0; i < count; i++) {
        if (results[i].status == STATUS_ERRORED && results[i].harness_failure) {
            harness = harness != NULL ? harness : &results[i];
            harness_count++;
        }
    }
    if (harness != NULL) {
        fprintf(stderr,
                "synchost: the harness failed on %zu of %zu scenarios; no verdict on the "
                "provider. First: %s: %s\n",
                harness_count, count, harness->sc->name, harness->note);
        return EXIT_HARNESS;
    }
    if (counts[STATUS_ERRORED] > 0) {
        return EXIT_BAD_INPUT;
    }
    return counts[STATUS_PASSED] + counts[STATUS_SKIPPED] == count ? 0 : 1;
}

/* How the scenarios are run: normally; `trace`, one scenario with every
 * event printed as it arrives; `probe`, the load chain only, printed. */
enum run_mode { MODE_RUN, MODE_TRACE, MODE_PROBE };

static int run_scenarios(const struct cli *c, const char *provider, struct scenario_list *list,
                         enum run_mode mode)
{
    struct runner_options ro;
    struct run_report report;
    struct scenario_result *results = NULL;
    struct console con;
    struct regress rg;
    struct pe_info pe = {0};
    char worker[PATH_MAX];
    size_t count = 0, to_run, counts[STATUS_COUNT];
    uint64_t t0;
    int interrupted = 0, rc;

    /* Every output file first: a path that cannot be written is bad input
     * now, not a harness failure after the whole run. */
    if ((rc = check_output("--report-json", c->report_json)) != 0) {
        return rc;
    }
    if (provider != NULL && (rc = check_provider(provider, &pe)) != 0) {
        return rc;
    }
    /* Without --provider, each scenario names its own: check them all before
     * anything runs, so a typo is bad input (exit 2), not a load-dll verdict. */
    for (size_t i = 0; provider == NULL && i < list->count; i++) {
        const struct scenario *sc = &list->items[i];
        char name[YAMLDOC_QUOTE_BUF]; /* escaped: names come from files */
        yamldoc_quote((const unsigned char *)sc->name, strlen(sc->name), name, sizeof name);
        if (sc->provider_path == NULL) {
            fprintf(stderr,
                    "synchost: %s:%u: scenario '%s' names no provider; give --provider "
                    "DLL or provider.path\n",
                    sc->file, sc->line, name);
            return EXIT_BAD_INPUT;
        }
        if (i > 0 && list->items[i - 1].provider_path != NULL &&
            strcmp(list->items[i - 1].provider_path, sc->provider_path) == 0) {
            continue;
        }
        if ((rc = check_provider(sc->provider_path, &pe)) != 0) {
            fprintf(stderr, "synchost: (provider.path of scenario '%s' in %s)\n", name, sc->file);
            return rc;
        }
    }
    if ((rc = check_skip_rules(list)) != 0) {
        return rc;
    }
    regress_init(&rg, c->baseline, c->rerun_failed, c->has_seed, c->seed, c->repeat);
    if ((rc = regress_load(&rg, list)) != 0 ||
        (rc = select_scenarios(c, &rg, list, &results, &count)) != 0) {
        regress_free(&rg);
        return rc;
    }
    if (mode == MODE_TRACE && count != 1) {
        fprintf(stderr, "synchost: trace runs one scenario; %zu are selected (use --filter)\n",
                count);
        free(results);
        return EXIT_BAD_INPUT;
    }
    if (find_worker(worker, sizeof worker) != 0) {
        fprintf(stderr, "synchost: synchost-worker64.exe not found beside the program or in "
                        "the build tree; set SYNCHOST_WORKER64 to its path\n");
        free(results);
        return EXIT_HARNESS;
    }

    memset(&report, 0, sizeof report);
    report.version = SYNCHOST_VERSION;
    report.seed = c->has_seed ? c->seed : ((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16));
    report.provider = provider;
    report.machine = provider != NULL ? pe_machine_name(pe.machine) : NULL;
    report.level = c->level;
    report.results = results;
    report.count = count;

    /* A JSON report on stdout keeps stdout for itself. */
    console_init(&con, c->report_json != NULL && strcmp(c->report_json, "-") == 0 ? stderr : stdout,
                 c->quiet, c->verbose || mode != MODE_RUN);
    con.live = mode != MODE_RUN;
    console_header(&con, &report);
    if ((to_run = regress_start(&rg, &con, &report)) == (size_t)-1) {
        fprintf(stderr, "synchost: out of memory\n");
        to_run = 0;
        rc = EXIT_HARNESS;
    }

    memset(&ro, 0, sizeof ro);
    ro.worker64 = worker;
#ifdef _WIN32
    ro.wine = NULL;
#else
    ro.wine = getenv("SYNCHOST_WINE") != NULL ? getenv("SYNCHOST_WINE") : "wine";
    wine_environment();
    warm_wineserver();
#endif
    ro.provider = provider;
    ro.judge.level = c->level;
    ro.judge.skip = c->skip;
    ro.judge.skip_count = c->skip_count;
    ro.jobs = mode == MODE_RUN ? c->jobs : 1;
    ro.probe = mode == MODE_PROBE;
    ro.heap_check = c->heap_check > 0;
    ro.isolate_process = c->isolate_process;
    ro.on_event = mode == MODE_RUN ? NULL : regress_on_event;
    ro.timeout_ms = c->timeout_ms;
    ro.on_result = regress_on_result;
    ro.ctx = &rg;

    t0 = uv_hrtime();
    if (rc == 0 && (rc = runner_run(&ro, results, to_run, &interrupted)) != 0) {
        fprintf(stderr, "synchost: could not run: %s\n", uv_strerror(rc));
        rc = EXIT_HARNESS;
    }
    report.duration_ms = (uv_hrtime() - t0) / 1000000u;
    console_summary(&con, &report);
    regress_finish(&rg, &report);
    if (c->report_json != NULL && report_json_write(&report, c->report_json) != 0) {
        fprintf(stderr, "synchost: %s: cannot write the report: %s\n", c->report_json,
                strerror(errno));
        rc = EXIT_HARNESS;
    }
    run_report_summary(&report, counts);
    if (rc == 0) {
        rc = interrupted ? 130 : regress_exit_status(&rg, run_exit_status(results, count, counts));
    }
    regress_free(&rg);
    for (size_t i = 0; i < count; i++) {
        judge_free(&results[i].judge);
        trace_free(&results[i].trace);
        free(results[i].provider);
        free(results[i].worker_stderr);
        free(results[i].rerun_synchost);
        free(results[i].rerun_winedbg);
    }
    free(results);
    return rc;
}

int main(int argc, char **argv)
{
    struct cli c;
    struct scenario_list list = {0};
    int rc;

    if (argc == 1) {
        fputs(usage_text, stderr);
        return EXIT_BAD_INPUT;
    }
    rc = parse_cli(argc, argv, &c);
    if (rc != 0) {
        return rc;
    }
    if ((c.baseline != NULL || c.rerun_failed != NULL) && strcmp(c.command, "conform") != 0 &&
        strcmp(c.command, "run") != 0) {
        rc = bad_usage("%s", "--baseline and --rerun-failed go with conform and run");
    } else if (strcmp(c.command, "list") == 0) {
        if (c.path_count >= 1 && strcmp(c.paths[0], "rules") == 0 && c.path_count == 1) {
            rc = list_rules();
        } else if (c.path_count >= 1 && strcmp(c.paths[0], "scenarios") == 0) {
            c.paths++;
            c.path_count--;
            rc = list_scenarios(&c);
            c.paths--;
        } else {
            rc = bad_usage("%s", "list takes 'rules' or 'scenarios [PATH...]'");
        }
    } else if (strcmp(c.command, "conform") == 0) {
        if (c.path_count != 1) {
            rc = bad_usage("%s", "conform takes one provider DLL: synchost conform PROVIDER.dll");
        } else if (c.provider != NULL) {
            rc = bad_usage("%s", "conform takes the DLL as its argument, not --provider");
        } else if ((rc = load_builtin(&list)) == 0) {
            rc = run_scenarios(&c, c.paths[0], &list, MODE_RUN);
        }
    } else if (strcmp(c.command, "run") == 0) {
        if (c.path_count == 0) {
            rc = bad_usage("%s", "run takes scenario files or folders");
        } else if ((rc = load_paths(c.paths, c.path_count, &list)) == 0) {
            rc = run_scenarios(&c, c.provider, &list, MODE_RUN);
        }
    } else if (strcmp(c.command, "trace") == 0) {
        /* Without a file, one scenario of the built-in suite (--filter). */
        rc = c.path_count == 0 ? load_builtin(&list) : load_paths(c.paths, c.path_count, &list);
        if (rc == 0) {
            rc = run_scenarios(&c, c.provider, &list, MODE_TRACE);
        }
    } else if (strcmp(c.command, "probe") == 0) {
        if (c.path_count != 1) {
            rc = bad_usage("%s", "probe takes one provider DLL: synchost probe PROVIDER.dll");
        } else if ((rc = probe_scenario(&list)) == 0) {
            rc = run_scenarios(&c, c.paths[0], &list, MODE_PROBE);
        }
    } else {
        rc = bad_usage("unknown command '%s'", c.command);
    }
    scenario_list_free(&list);
    free(c.skip);
    free(c.paths);
    return rc;
}
