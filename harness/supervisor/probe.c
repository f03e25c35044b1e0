/*
 * probe.c: `synchost probe` (probe.h): the file, its dependencies, the load
 * chain step by step.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "cli.h"
#include "console.h"
#include "discover.h"
#include "dllsearch.h"
#include "text/hresult.h"
#include "pe/pe.h"
#include "pe/pe_dir.h"
#include "platform.h"
#include "probe.h"
#include "report/result.h"
#include "runner.h"
#include "settings.h"
#include "winenv.h"

/* Dependencies of dependencies are followed this deep, when they are the
 * provider's own (found beside it or on WINEPATH, not Wine's). */
#define DEPTH_MAX 4
#define SEEN_MAX  64

struct deps {
    FILE *out;
    struct dllsearch search;
    char *seen[SEEN_MAX];
    size_t seen_count;
    size_t missing, missing_delayed;
    char first_missing[PE_DIR_NAME_MAX]; /* the first import not found */
};

/* The file ---------------------------------------------------------- */

/* s escaped, then spaces to width. */
static void put_padded(FILE *out, const char *s, size_t width)
{
    size_t w = console_text(out, s);
    fprintf(out, "%*s", w < width ? (int)(width - w) : 1, "");
}

static int seen_before(struct deps *d, const char *path)
{
    for (size_t i = 0; i < d->seen_count; i++) {
        if (strcmp(d->seen[i], path) == 0) {
            return 1;
        }
    }
    if (d->seen_count < SEEN_MAX && (d->seen[d->seen_count] = strdup(path)) != NULL) {
        d->seen_count++;
    }
    return 0;
}

static void walk(struct deps *d, const char *path, int depth);

/* One imported DLL: where it is, and (the provider's own) what it needs. */
static void one_import(struct deps *d, const char *name, int delayed, int depth)
{
    char where[PATH_MAX], shown[PATH_MAX];
    enum dll_place place = dllsearch_find(&d->search, name, where, sizeof where);

    fprintf(d->out, "%*s  ", depth * 2, "");
    put_padded(d->out, name, 30 - (size_t)depth * 2);
    fprintf(d->out, "%-20s ", dllsearch_place_name(place));
    if (place == DLL_NOT_FOUND) {
        fprintf(d->out, "searched: %s%s\n", dllsearch_searched(),
                delayed ? " (delay-loaded: fails at its first call)" : "");
        if (delayed) {
            d->missing_delayed++;
        } else if (d->missing++ == 0) {
            snprintf(d->first_missing, sizeof d->first_missing, "%s", name);
        }
        return;
    }
    snprintf(shown, sizeof shown, "%s", where);
    platform_path_for_display(shown);
    console_text(d->out, shown);
    fprintf(d->out, "%s\n", delayed ? " (delay-loaded)" : "");
    if ((place == DLL_BESIDE || place == DLL_PATH) && depth < DEPTH_MAX && !seen_before(d, where)) {
        walk(d, where, depth + 1);
    }
}

/* The imports of the DLL at path, each found or not. */
static void walk(struct deps *d, const char *path, int depth)
{
    struct pe_dirs dirs;
    char why[256];

    if (pe_dirs_read(path, &dirs, why, sizeof why) != 0) {
        fprintf(d->out, "%*s  (its imports cannot be read: %s)\n", depth * 2, "", why);
        pe_dirs_free(&dirs);
        return;
    }
    for (size_t i = 0; i < dirs.imports.count; i++) {
        one_import(d, dirs.imports.names[i], 0, depth);
    }
    for (size_t i = 0; i < dirs.delay_imports.count; i++) {
        one_import(d, dirs.delay_imports.names[i], 1, depth);
    }
    if (dirs.damaged[0] != '\0') {
        fprintf(d->out, "%*s  (damaged %s)\n", depth * 2, "", dirs.damaged);
    }
    pe_dirs_free(&dirs);
}

/* The kinds of MAPI service provider, by the entry point each exports
 * (Outlook MAPI reference: "MSProviderInit", "XPProviderInit",
 * "ABProviderInit"). synchost hosts the first. */
static const struct {
    const char *entry;
    const char *kind;
} provider_kinds[] = {
    {"MSProviderInit", "a message store provider"},
    {"XPProviderInit", "a transport provider"},
    {"ABProviderInit", "an address book provider"},
};

static int exports_name(const struct pe_dirs *dirs, const char *name)
{
    for (size_t i = 0; i < dirs->exports.count; i++) {
        if (strcmp(dirs->exports.names[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The "kind" line: what the entry points say the DLL is. */
static void print_kind(FILE *out, const struct pe_dirs *dirs)
{
    size_t found = 0;

    fputs("kind       ", out);
    for (size_t k = 0; k < sizeof provider_kinds / sizeof provider_kinds[0]; k++) {
        if (exports_name(dirs, provider_kinds[k].entry)) {
            fprintf(out, "%s%s (%s)", found++ > 0 ? ", " : "", provider_kinds[k].kind,
                    provider_kinds[k].entry);
        }
    }
    fputs(found == 0 ? "no MAPI provider entry point\n" : "\n", out);
    if (!exports_name(dirs, "MSProviderInit")) {
        fputs("           no MSProviderInit: not a store provider; synchost hosts message "
              "store providers\n", out);
    }
}

static void print_exports(FILE *out, const struct pe_dirs *dirs)
{
    fprintf(out, "exports    %zu named", dirs->exports.count);
    if (dirs->export_functions > dirs->exports.count) {
        fprintf(out, ", %zu by ordinal only", dirs->export_functions - dirs->exports.count);
    }
    fputs(dirs->exports.count > 0 ? ": " : "", out);
    for (size_t i = 0; i < dirs->exports.count; i++) {
        if (i == 16) {
            fprintf(out, ", ... (%zu more)", dirs->exports.count - i);
            break;
        }
        fputs(i > 0 ? ", " : "", out);
        console_text(out, dirs->exports.names[i]);
    }
    fputc('\n', out);
    print_kind(out, dirs);
}

/* Prints what the file is and what it imports. Returns 0, or EXIT_BAD_INPUT
 * when it is not a PE DLL (said on stderr). *missing: imports not found. */
static int probe_file(FILE *out, const char *dll, struct pe_info *pe, size_t *missing)
{
    struct pe_dirs dirs;
    struct deps d;
    char why[256];

    memset(&d, 0, sizeof d);
    d.out = out;
    fputs("provider   ", out);
    console_text(out, dll);
    fputc('\n', out);
    if (pe_read(dll, pe, why, sizeof why) != 0 || pe_dirs_read(dll, &dirs, why, sizeof why) != 0) {
        fprintf(stderr, "synchost: %s: %s\n", dll, why);
        return EXIT_BAD_INPUT;
    }
    fprintf(out, "machine    %s (0x%04X)\n", pe_machine_name(pe->machine), pe->machine_code);
    fprintf(out, "type       %s, subsystem %s (%u)\n", pe->is_dll ? "DLL" : "not a DLL",
            pe_subsystem_name(dirs.subsystem), dirs.subsystem);
    print_exports(out, &dirs);
    fprintf(out, "imports    %zu DLLs", dirs.imports.count);
    if (dirs.delay_imports.count > 0) {
        fprintf(out, ", %zu delay-loaded", dirs.delay_imports.count);
    }
    /* Wine's prefix where there is one (on Windows there is none). */
    if (getenv("WINEPREFIX") != NULL) {
        fprintf(out, " (WINEPREFIX %s)", getenv("WINEPREFIX"));
    }
    fputc('\n', out);
    pe_dirs_free(&dirs);
    if (dllsearch_init(&d.search, dll) != 0) {
        return EXIT_HARNESS;
    }
    (void)seen_before(&d, dll);
    walk(&d, dll, 0);
    if (d.missing > 0) {
        fprintf(out, "missing    %zu DLL%s, first ", d.missing, d.missing == 1 ? "" : "s");
        console_text(out, d.first_missing);
        fputs(": LoadLibrary fails (module not found) until it is found\n", out);
    }
    if (d.missing_delayed > 0) {
        fprintf(out,
                "missing    %zu delay-loaded DLL%s: the provider fails when it first calls "
                "into one\n",
                d.missing_delayed, d.missing_delayed == 1 ? "" : "s");
    }
    *missing = d.missing;
    dllsearch_free(&d.search);
    for (size_t i = 0; i < d.seen_count; i++) {
        free(d.seen[i]);
    }
    return 0;
}

/* The load chain ---------------------------------------------------- */

/* What the person reads for each step, in the order the host takes them. */
static const char *const step_label[LOAD_STEP_COUNT] = {
    "LoadLibrary",                   /* load-dll */
    "MSProviderInit",                /* load-entry-point */
    "IMSProvider::Logon",            /* load-logon */
    "QueryInterface(IID_IMAPISync)", /* load-qi-imapisync */
    "IUnknown identity",             /* load-identity */
};

struct chain_seen {
    int step_seen[LOAD_STEP_COUNT];
    uint32_t step_hr[LOAD_STEP_COUNT];
    char *step_detail[LOAD_STEP_COUNT]; /* owned */
    int logoff_seen;
    uint32_t logoff_hr;
};

static void collect(void *ctx, const struct event *ev)
{
    struct chain_seen *cs = ctx;

    if (ev->kind == EVENT_LOAD && ev->step < LOAD_STEP_COUNT) {
        cs->step_seen[ev->step] = 1;
        cs->step_hr[ev->step] = ev->hr;
        free(cs->step_detail[ev->step]);
        cs->step_detail[ev->step] = ev->text != NULL ? strdup(ev->text) : NULL;
    } else if (ev->kind == EVENT_LOGOFF) {
        cs->logoff_seen = 1;
        cs->logoff_hr = ev->hr;
    }
}

/* Prints each step; returns the first that failed or was not reached
 * (LOAD_STEP_COUNT: none). */
static unsigned print_chain(FILE *out, const struct scenario_result *res, struct chain_seen *cs)
{
    unsigned failed = LOAD_STEP_COUNT;
    char hr[HRESULT_DESCRIBE_MAX];

    trace_visit(&res->trace, collect, cs);
    fputs("load chain\n", out);
    for (unsigned i = 0; i < LOAD_STEP_COUNT; i++) {
        int ok = cs->step_seen[i] && !HR_FAILED(cs->step_hr[i]);
        fprintf(out, "  %-6s %-30s ", ok ? "ok" : cs->step_seen[i] ? "FAILED" : "-", step_label[i]);
        if (!cs->step_seen[i]) {
            fputs(failed < i ? "not reached\n" : "no answer: see below\n", out);
        } else {
            fputs(hresult_describe(cs->step_hr[i], hr, sizeof hr), out);
            if (cs->step_detail[i] != NULL && cs->step_detail[i][0] != '\0') {
                fputs(": ", out);
                console_text(out, cs->step_detail[i]);
            }
            fputc('\n', out);
        }
        if (!ok && failed == LOAD_STEP_COUNT) {
            failed = i;
        }
    }
    if (cs->logoff_seen) {
        fprintf(out, "  %-6s %-30s %s\n", HR_FAILED(cs->logoff_hr) ? "FAILED" : "ok",
                "IMSLogon::Logoff", hresult_describe(cs->logoff_hr, hr, sizeof hr));
    }
    /* How a crash, a hang or another rule ended it. */
    for (size_t i = 0; i < res->judge.violation_count; i++) {
        const struct violation *v = &res->judge.violations[i];
        if (strncmp(v->rule, "load-", 5) != 0) {
            fprintf(out, "  %s: ", v->rule);
            console_text(out, v->message);
            fputc('\n', out);
        }
    }
    if (res->status != STATUS_PASSED && res->status != STATUS_FAILED && res->note[0] != '\0') {
        fprintf(out, "  %s: ", scenario_status_name(res->status));
        console_text(out, res->note);
        fputc('\n', out);
    }
    return failed;
}

static void free_chain(struct chain_seen *cs)
{
    for (unsigned i = 0; i < LOAD_STEP_COUNT; i++) {
        free(cs->step_detail[i]);
    }
}

/* Runs the probe scenario in one worker. Returns 0, or an exit status (said
 * on stderr). */
static int run_chain(const struct cli *c, const char *dll, struct scenario_result *res,
                     struct console *con, int *interrupted)
{
    struct runner_options ro;
    static char worker[PATH_MAX], worker32[PATH_MAX];
    int rc;

    if ((rc = discover_workers(dll, NULL, worker, worker32, sizeof worker)) != 0) {
        return rc;
    }
    memset(&ro, 0, sizeof ro);
    ro.worker64 = worker;
    ro.worker32 = worker32[0] != '\0' ? worker32 : NULL;
    ro.wine = winenv_loader64();
    ro.wine32 = winenv_loader32();
    winenv_warm_server();
    ro.provider = dll;
    ro.judge.level = c->level;
    ro.judge.skip = c->skip;
    ro.judge.skip_count = c->skip_count;
    ro.jobs = 1;
    ro.probe = 1;
    ro.heap_check = c->heap_check > 0;
    ro.timeout_ms = c->timeout_ms;
    ro.on_event = c->verbose ? console_event : NULL;
    ro.ctx = con;
    if ((rc = runner_run(&ro, res, 1, interrupted)) != 0) {
        fprintf(stderr, "synchost: could not run: %s\n", uv_strerror(rc));
        return EXIT_HARNESS;
    }
    return 0;
}

static int write_reports(const struct cli *c, struct scenario_result *res, const char *dll,
                         const struct pe_info *pe, uint64_t duration_ms)
{
    const char *paths[] = {c->report_json, c->report_junit, c->report_tap};
    typedef int (*writer_fn)(const struct run_report *, const char *);
    const writer_fn writers[] = {report_json_write, report_junit_write, report_tap_write};
    struct run_report r;
    int rc = 0;

    memset(&r, 0, sizeof r);
    r.version = SYNCHOST_VERSION;
    r.seed = c->has_seed ? c->seed : ((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16));
    r.provider = dll;
    r.machine = pe_machine_name(pe->machine);
    r.level = c->level;
    r.duration_ms = duration_ms;
    r.results = res;
    r.count = 1;
    if (settings_rule_skips(c, &r.rule_skips, &r.rule_skip_count) != 0) {
        r.rule_skip_count = 0;
    }
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        if (paths[i] != NULL && writers[i](&r, paths[i]) != 0) {
            fprintf(stderr, "synchost: %s: cannot write the report: %s\n", paths[i],
                    strerror(errno));
            rc = EXIT_HARNESS;
        }
    }
    return rc;
}

/* The exit status and the verdict line, from the steps and the status. */
static int verdict(FILE *out, const struct scenario_result *res, const struct chain_seen *cs,
                   unsigned failed, int interrupted)
{
    char hr[HRESULT_DESCRIBE_MAX];

    if (interrupted) {
        fputs("synchost: INTERRUPTED, 0 of 1 ran\n", out);
        return 130;
    }
    if (res->status == STATUS_ERRORED) {
        fprintf(out, "synchost: ERROR, %s\n",
                res->harness_failure ? "the harness failed (said above)" : "bad input");
        return res->harness_failure ? EXIT_HARNESS : EXIT_BAD_INPUT;
    }
    if (failed == LOAD_STEP_COUNT && res->status == STATUS_PASSED) {
        fputs("synchost: PASS, every step of the load chain succeeded\n", out);
        return 0;
    }
    if (failed < LOAD_STEP_COUNT && cs->step_seen[failed]) {
        fprintf(out, "synchost: FAIL, %s: %s\n", step_label[failed],
                hresult_describe(cs->step_hr[failed], hr, sizeof hr));
    } else if (failed < LOAD_STEP_COUNT) {
        fprintf(out, "synchost: FAIL, %s: %s\n", step_label[failed],
                scenario_status_name(res->status));
    } else {
        fprintf(out, "synchost: FAIL, %s after the load chain\n",
                scenario_status_name(res->status));
    }
    return 1;
}

int probe_command(const struct cli *c, const char *dll, int *verdict_printed)
{
    FILE *out = cli_report_on_stdout(c) ? stderr : stdout;
    struct scenario_list list = {0};
    struct scenario_result res;
    struct chain_seen cs;
    struct console con;
    struct pe_info pe;
    size_t missing = 0;
    uint64_t t0;
    int rc, interrupted = 0;

    *verdict_printed = 0;
    /* probe writes JSON, JUnit and TAP only. */
    if ((rc = cli_check_outputs(c, 3)) != 0) {
        return rc;
    }
    winenv_defaults();
    fprintf(out, "synchost %s: probe\n", SYNCHOST_VERSION);
    if ((rc = probe_file(out, dll, &pe, &missing)) != 0 ||
        (rc = discover_check_provider(dll, &pe)) != 0 || (rc = discover_load_probe(&list)) != 0) {
        scenario_list_free(&list);
        return rc;
    }
    fflush(out);
    memset(&res, 0, sizeof res);
    memset(&cs, 0, sizeof cs);
    res.sc = &list.items[0];
    res.status = STATUS_INTERRUPTED;
    snprintf(res.note, sizeof res.note, "not run: interrupted");
    console_init(&con, out, 0, 1);
    con.live = 1;
    t0 = uv_hrtime();
    if ((rc = run_chain(c, dll, &res, &con, &interrupted)) == 0) {
        unsigned failed = print_chain(out, &res, &cs);
        if (write_reports(c, &res, dll, &pe, (uv_hrtime() - t0) / 1000000u) != 0) {
            fputs("synchost: ERROR, a report could not be written\n", out);
            rc = EXIT_HARNESS;
        } else {
            rc = verdict(out, &res, &cs, failed, interrupted);
        }
        *verdict_printed = 1;
    }
    free_chain(&cs);
    judge_free(&res.judge);
    trace_free(&res.trace);
    free(res.provider);
    free(res.worker_stderr);
    free(res.rerun_synchost);
    free(res.rerun_winedbg);
    free(res.rerun_windbg);
    scenario_list_free(&list);
    return rc;
}
