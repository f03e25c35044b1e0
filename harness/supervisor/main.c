/*
 * main.c: the synchost commands (conform, run, probe, trace, list) and the
 * run's orchestration: inputs checked, scenarios selected, the runner
 * started, reports written, the exit status. The command line is cli.c,
 * loading and selection discover.c, the Wine environment winenv.c.
 *
 * Exit status: 0 every selected scenario passed; 1 at least one did not;
 * 2 bad input (usage, scenario file, provider file); 3 the harness itself
 * failed; 130 interrupted by SIGINT or SIGTERM (reports are still written).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "cli.h"
#include "console.h"
#include "console_run.h"
#include "discover.h"
#include "explore.h"
#include "text/hresult.h"
#include "pe/pe.h"
#include "probe.h"
#include "regress.h"
#include "report/result.h"
#include "rules/rules.h"
#include "runner.h"
#include "scenario/scenario.h"
#include "settings.h"
#include "winenv.h"

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
    int rc = c->path_count > 0 ? discover_load_paths(c->paths, c->path_count, &list)
                               : discover_load_builtin(&list);

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

/* Exit 1 is for provider verdicts only: a scenario the harness could not
 * run because Wine or the machine failed makes the run exit 3 (whatever the
 * others found, since the run is incomplete), one that could not run for
 * bad input exit 2. reason: a few words for the verdict line under 2 or 3. */
static int run_exit_status(const struct scenario_result *results, size_t count,
                           const size_t counts[STATUS_COUNT], char *reason, size_t reason_size)
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
        snprintf(reason, reason_size, "the harness failed on %zu of %zu scenarios",
                 harness_count, count);
        return EXIT_HARNESS;
    }
    if (counts[STATUS_ERRORED] > 0) {
        snprintf(reason, reason_size, "%zu of %zu scenarios could not run (bad input)",
                 counts[STATUS_ERRORED], count);
        return EXIT_BAD_INPUT;
    }
    return counts[STATUS_PASSED] + counts[STATUS_SKIPPED] == count ? 0 : 1;
}

/* Set once run_scenarios printed its verdict line: a run refused before it
 * started gets main's instead. */
static int verdict_printed;

/* How the scenarios are run: normally; `trace`, one scenario with every
 * event printed as it arrives. (`probe` is probe.c.) */
enum run_mode { MODE_RUN, MODE_TRACE };

/* A file the configuration names (provider, baseline, report to rerun)
 * must be there to read: said at the value's file:line:col, before anything
 * runs. Values from the command line are checked where they are read. */
static int check_file_value(const char *option, const char *path)
{
    const char *where = settings_where(path);
    struct stat st;
    int err = 0;

    if (where == NULL) {
        return 0;
    }
    if (stat(path, &st) != 0 || access(path, R_OK) != 0) {
        err = errno;
    } else if (!S_ISREG(st.st_mode)) {
        err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    }
    if (err == 0) {
        return 0;
    }
    fprintf(stderr, "synchost: %s: options.%s: ", where, option);
    console_text(stderr, path);
    fprintf(stderr, ": cannot read: %s\n", err == EINVAL ? "not a regular file" : strerror(err));
    return EXIT_BAD_INPUT;
}

/* Everything that can be bad input, checked before anything runs. */
static int check_inputs(const struct cli *c, const char *provider, const struct scenario_list *list,
                        struct pe_info *pe)
{
    int rc;

    /* Every output file first: a path that cannot be written is bad input
     * now, not a harness failure after the whole run. */
    if ((rc = cli_check_outputs(c, 5)) != 0 ||
        (rc = check_file_value("provider", c->provider)) != 0 ||
        (rc = check_file_value("baseline", c->baseline)) != 0 ||
        (rc = check_file_value("rerun-failed", c->rerun_failed)) != 0) {
        return rc;
    }
    if (provider != NULL && (rc = discover_check_provider(provider, pe)) != 0) {
        return rc;
    }
    if (provider == NULL && (rc = discover_check_scenario_providers(list, pe)) != 0) {
        return rc;
    }
    return discover_check_skip_rules(list);
}

/* The report's header fields; its results are filled in as they end. */
static void fill_report(struct run_report *report, const struct cli *c, const char *provider,
                        const struct pe_info *pe, struct scenario_result *results, size_t count)
{
    memset(report, 0, sizeof *report);
    report->version = SYNCHOST_VERSION;
    report->seed = c->has_seed ? c->seed : ((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16));
    report->provider = provider;
    report->machine = provider != NULL ? pe_machine_name(pe->machine) : NULL;
    report->level = c->level;
    report->results = results;
    report->count = count;
}

/* What the runner gets for this command; its callbacks go through regress (ctx). */
static void fill_runner_options(struct runner_options *ro, const struct cli *c,
                                const char *provider, const char *worker, const char *worker32,
                                enum run_mode mode, struct regress *rg)
{
    memset(ro, 0, sizeof *ro);
    ro->worker64 = worker;
    ro->worker32 = worker32[0] != '\0' ? worker32 : NULL;
    ro->wine = winenv_loader64();
    ro->wine32 = winenv_loader32();
    ro->provider = provider;
    ro->judge.level = c->level;
    ro->judge.skip = c->skip;
    ro->judge.skip_count = c->skip_count;
    ro->jobs = mode == MODE_RUN ? c->jobs : 1;
    ro->heap_check = c->heap_check > 0;
    ro->isolate_process = c->isolate_process;
    ro->on_event = mode == MODE_RUN ? NULL : regress_on_event;
    ro->timeout_ms = c->timeout_ms;
    ro->on_result = regress_on_result;
    ro->ctx = rg;
}

/* Writes every report asked for, each even when another failed. Returns 0,
 * or -1 when one could not be written (said on stderr). */
/* Writes the reports asked for, each one written named on the console.
 * Returns 0, or -1 when one could not be written (said on stderr); each is
 * tried whatever the others did. */
static int write_reports(const struct cli *c, struct console *con, const struct run_report *report)
{
    const struct {
        const char *path;
        int (*write)(const struct run_report *r, const char *path);
    } reports[] = {
        {c->report_json, report_json_write},
        {c->report_junit, report_junit_write},
        {c->report_tap, report_tap_write},
        {c->report_html, report_html_write},
        {c->report_chrome, report_chrome_trace_write},
    };
    int rc = 0;

    for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++) {
        if (reports[i].path == NULL) {
            continue;
        }
        if (reports[i].write(report, reports[i].path) != 0) {
            fprintf(stderr, "synchost: %s: cannot write the report: %s\n", reports[i].path,
                    strerror(errno));
            rc = -1;
        } else {
            console_report_file(con, reports[i].path);
        }
    }
    return rc;
}

/* trace runs exactly one scenario: 0, or EXIT_BAD_INPUT (said). */
static int trace_one(enum run_mode mode, size_t count)
{
    if (mode == MODE_TRACE && count != 1) {
        fprintf(stderr, "synchost: trace runs one scenario; %zu are selected (use --filter)\n",
                count);
        return EXIT_BAD_INPUT;
    }
    return 0;
}

/* The run's console, its header printed. A report on stdout keeps stdout
 * for itself. */
static void open_console(struct console *con, const struct cli *c, enum run_mode mode,
                         const struct run_report *report)
{
    console_init(con, cli_report_on_stdout(c) ? stderr : stdout, c->quiet,
                 c->verbose || mode != MODE_RUN);
    con->live = mode != MODE_RUN;
    con->only_failed = c->only_failed;
    con->detail_json = c->report_json;
    con->detail_html = c->report_html;
    console_header(con, report);
    console_config(con, settings_describe());
    console_rule_skips(con, report);
}

static int run_scenarios(const struct cli *c, const char *provider, struct scenario_list *list,
                         enum run_mode mode)
{
    struct runner_options ro;
    struct run_report report;
    struct scenario_result *results = NULL;
    struct console con;
    struct regress rg;
    struct pe_info pe = {0};
    char worker[PATH_MAX], worker32[PATH_MAX];
    size_t count = 0, to_run, counts[STATUS_COUNT];
    uint64_t t0;
    char reason[160] = "out of memory";
    int interrupted = 0, rc;

    settings_apply_scenarios(list);
    if ((rc = check_inputs(c, provider, list, &pe)) != 0) {
        return rc;
    }
    regress_init(&rg, c->baseline, c->rerun_failed, c->has_seed, c->seed, c->repeat);
    rg.baseline_strict = c->baseline_strict;
    if ((rc = regress_load(&rg, list)) != 0 ||
        (rc = discover_select(c, &rg, list, &results, &count, reason, sizeof reason)) != 0) {
        regress_free(&rg);
        return rc;
    }
    if ((rc = trace_one(mode, count)) != 0 ||
        (rc = discover_workers(provider, list, worker, worker32, sizeof worker)) != 0) {
        free(results);
        return rc;
    }

    fill_report(&report, c, provider, &pe, results, count);
    if (settings_rule_skips(c, &report.rule_skips, &report.rule_skip_count) != 0) {
        report.rule_skip_count = 0;
    }

    open_console(&con, c, mode, &report);
    if ((to_run = regress_start(&rg, &con, &report)) == (size_t)-1) {
        fprintf(stderr, "synchost: out of memory\n");
        to_run = 0;
        rc = EXIT_HARNESS;
    }

    fill_runner_options(&ro, c, provider, worker, worker32, mode, &rg);
    ro.seed = report.seed;
    winenv_defaults();
    winenv_warm_server();

    t0 = uv_hrtime();
    if (rc == 0 && mode == MODE_RUN) {
        console_progress_start(&con, to_run, ro.jobs);
    }
    if (rc == 0 && (rc = runner_run(&ro, results, to_run, &interrupted)) != 0) {
        fprintf(stderr, "synchost: could not run: %s\n", uv_strerror(rc));
        snprintf(reason, sizeof reason, "could not run: %s", uv_strerror(rc));
        rc = EXIT_HARNESS;
    }
    report.duration_ms = (uv_hrtime() - t0) / 1000000u;
    console_summary(&con, &report);
    console_failures(&con, &report);
    regress_finish(&rg, &report);
    if (write_reports(c, &con, &report) != 0) {
        snprintf(reason, sizeof reason, "a report could not be written");
        rc = EXIT_HARNESS;
    }
    run_report_summary(&report, counts);
    if (rc == 0) {
        rc = interrupted ? 130
                         : regress_exit_status(&rg, run_exit_status(results, count, counts, reason,
                                                                    sizeof reason));
    }
    /* The last line on the console: nothing is printed after it. */
    console_verdict(&con, &report, rc, reason);
    verdict_printed = 1;
    regress_free(&rg);
    scenario_results_free(results, count);
    return rc;
}

int main(int argc, char **argv)
{
    struct cli c;
    struct scenario_list list = {0};
    int rc;

    if (argc == 1) {
        fputs(cli_usage_text, stderr);
        return EXIT_BAD_INPUT;
    }
    rc = cli_parse(argc, argv, &c);
    if (rc != 0) {
        return rc;
    }
    if ((c.baseline != NULL || c.rerun_failed != NULL) && strcmp(c.command, "conform") != 0 &&
        strcmp(c.command, "run") != 0) {
        rc = cli_bad_usage("%s", "--baseline and --rerun-failed go with conform and run");
    } else if (c.baseline_strict && c.baseline == NULL) {
        rc = cli_bad_usage("%s", "--baseline-strict goes with --baseline");
    } else if (strcmp(c.command, "list") == 0) {
        if (c.path_count >= 1 && strcmp(c.paths[0], "rules") == 0 && c.path_count == 1) {
            rc = list_rules();
        } else if (c.path_count >= 1 && strcmp(c.paths[0], "scenarios") == 0) {
            c.paths++;
            c.path_count--;
            rc = list_scenarios(&c);
            c.paths--;
        } else {
            rc = cli_bad_usage("%s", "list takes 'rules' or 'scenarios [PATH...]'");
        }
    } else if (strcmp(c.command, "conform") == 0) {
        if (c.path_count != 1) {
            rc = cli_bad_usage("%s",
                               "conform takes one provider DLL: synchost conform PROVIDER.dll");
        } else if (c.provider != NULL && !settings_owns(c.provider)) {
            rc = cli_bad_usage("%s", "conform takes the DLL as its argument, not --provider");
        } else if ((rc = discover_load_builtin(&list)) == 0) {
            rc = run_scenarios(&c, c.paths[0], &list, MODE_RUN);
        }
    } else if (strcmp(c.command, "run") == 0) {
        if (c.path_count == 0) {
            rc = cli_bad_usage("%s", "run takes scenario files or folders");
        } else if ((rc = discover_load_paths(c.paths, c.path_count, &list)) == 0) {
            rc = run_scenarios(&c, c.provider, &list, MODE_RUN);
        }
    } else if (strcmp(c.command, "trace") == 0) {
        /* Without a file, one scenario of the built-in suite (--filter). */
        rc = c.path_count == 0 ? discover_load_builtin(&list)
                               : discover_load_paths(c.paths, c.path_count, &list);
        if (rc == 0) {
            rc = run_scenarios(&c, c.provider, &list, MODE_TRACE);
        }
    } else if (strcmp(c.command, "explore") == 0) {
        if (c.path_count != 1) {
            rc = cli_bad_usage("%s",
                               "explore takes one provider DLL: synchost explore PROVIDER.dll");
        } else {
            rc = explore_command(&c, c.paths[0], &verdict_printed);
        }
    } else if (strcmp(c.command, "probe") == 0) {
        if (c.path_count != 1) {
            rc = cli_bad_usage("%s", "probe takes one provider DLL: synchost probe PROVIDER.dll");
        } else {
            rc = probe_command(&c, c.paths[0], &verdict_printed);
        }
    } else {
        rc = cli_bad_usage("unknown command '%s'", c.command);
    }
    if ((rc == EXIT_BAD_INPUT || rc == EXIT_HARNESS) && !verdict_printed &&
        strcmp(c.command, "list") != 0) {
        /* Refused before anything ran: the reason is said above, on stderr. */
        fprintf(stderr, "synchost: ERROR, %s (said above)\n",
                rc == EXIT_BAD_INPUT ? "bad input" : "the harness failed");
    }
    scenario_list_free(&list);
    settings_free();
    free(c.skip);
    free(c.paths);
    return rc;
}
