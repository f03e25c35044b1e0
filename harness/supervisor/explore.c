/*
 * explore.c: `synchost explore` (explore.h): the budget, the loop that
 * generates and runs scenarios in batches, the distinct failures, the
 * console.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "discover.h"
#include "explore.h"
#include "pe/pe.h"
#include "report/result.h"
#include "scenario/scenario.h"
#include "scenario/scenario_shrink.h"
#include "text/number.h"
#include "protocol/script.h"
#include "winenv.h"

/* Generated scenarios per batch, for each worker: enough to keep the pool
 * busy between batches, few enough that a time budget is kept closely. */
#define BATCH_PER_JOB 4u
#define BATCH_MAX     256u

/* The budget: "60s", "2m", "500ms" (a time) or "200" (scenarios). */
static int parse_budget(const char *s, struct explore *ex)
{
    const char *end;
    uint64_t v;

    if (s == NULL) {
        ex->budget_ms = EXPLORE_DEFAULT_BUDGET_MS;
        return 0;
    }
    end = s + strspn(s, "0123456789");
    if (text_parse_u64(s, (size_t)(end - s), 0, 1000000000u, &v) != 0 || v == 0) {
        return cli_bad_usage("--budget takes a duration (60s, 2m, 500ms) or a number of "
                             "scenarios (200), not '%s'",
                             s);
    }
    if (*end == '\0') {
        ex->budget_count = v;
    } else if (strcmp(end, "ms") == 0) {
        ex->budget_ms = v;
    } else if (strcmp(end, "s") == 0) {
        ex->budget_ms = v * 1000u;
    } else if (strcmp(end, "m") == 0) {
        ex->budget_ms = v * 60000u;
    } else if (strcmp(end, "h") == 0) {
        ex->budget_ms = v * 3600000u;
    } else {
        return cli_bad_usage("--budget: unknown unit in '%s' (ms, s, m or h; none: scenarios)", s);
    }
    return 0;
}

static uint64_t elapsed_ms(const struct explore *ex)
{
    return (uv_hrtime() - ex->t0_ns) / 1000000u;
}

static int budget_left(const struct explore *ex)
{
    return ex->budget_count != 0 ? ex->tried < ex->budget_count : elapsed_ms(ex) < ex->budget_ms;
}

void explore_shape(const char *message, char *out, size_t cap)
{
    size_t n = 0;
    unsigned a, b;
    int skip = 0;

    /* "call 1 of 2: " says which call of an overlap or a repeat broke it:
     * not a failure of another kind. */
    if (sscanf(message, "call %u of %u: %n", &a, &b, &skip) == 2 && skip > 0) {
        message += skip;
    }
    for (const char *p = message; *p != '\0' && n + 2 < cap; p++) {
        if (isdigit((unsigned char)*p)) {
            /* A number, hexadecimal ones with their letters, is one N. */
            while (isalnum((unsigned char)p[1])) {
                p++;
            }
            out[n++] = 'N';
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

int explore_outcome_has(const struct explore_outcome *o, const char *rule)
{
    for (size_t i = 0; i < o->rule_count; i++) {
        if (strcmp(o->rules[i], rule) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The outcome of one finished run. A crash or a hang without a violation
 * (which the judge gives them) is named by its status. A deadline the
 * host's own delays took all the time of is no verdict (unjudged: the
 * deadlines move by those delays, by at most RING_HOST_DELAY_MAX_FACTOR
 * times, docs/deadlines.md). */
static void outcome_from(const struct scenario_result *res, struct explore_outcome *o)
{
    memset(o, 0, sizeof *o);
    o->status = res->status;
    o->harness_failure = res->harness_failure;
    for (size_t i = 0; i < res->judge.violation_count && o->rule_count < EXPLORE_RULES_MAX; i++) {
        snprintf(o->rules[o->rule_count++], sizeof o->rules[0], "%s",
                 res->judge.violations[i].rule);
    }
    if (res->judge.violation_count > 0) {
        snprintf(o->message, sizeof o->message, "%s", res->judge.violations[0].message);
    } else {
        snprintf(o->message, sizeof o->message, "%s", res->note);
    }
    if (o->rule_count == 0 && (o->status == STATUS_CRASHED || o->status == STATUS_TIMED_OUT ||
                               o->status == STATUS_FAILED)) {
        snprintf(o->rules[0], sizeof o->rules[0], "%s", scenario_status_name(o->status));
        o->rule_count = 1;
    }
    if (res->host_delays_spent) {
        o->unjudged = 1;
        o->rule_count = 0;
    }
}

/* FNV-1a over the text, into the exploration's digest. */
static void digest_add(uint64_t *d, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        *d = (*d ^ (unsigned char)s[i]) * 0x100000001B3ull;
    }
}

/* The cases, loaded through the scenario loader as files are. */
static int load_cases(const struct gen_case *cases, size_t n, struct scenario_list *list)
{
    char text[4096], name[64], why[512];
    struct scenario_error err;

    for (size_t i = 0; i < n; i++) {
        int len;
        snprintf(name, sizeof name, "explore-%zu", i + 1);
        len = gen_case_format(&cases[i], name, NULL, text, sizeof text);
        if (len < 0 ||
            scenario_load_buffer("<explore>", NULL, text, (size_t)len, list, &err) != 0) {
            /* The generator's own test says this never happens. */
            fprintf(stderr, "synchost: explore made a scenario the loader refuses: %s\n%s",
                    len < 0 ? "too long" : scenario_error_format(&err, why, sizeof why), text);
            return EXIT_HARNESS;
        }
    }
    return 0;
}

int explore_run_cases(struct explore *ex, const struct gen_case *cases, size_t n, unsigned times,
                      struct explore_outcome *out)
{
    struct scenario_list list = {0};
    struct scenario_result *results = calloc(n * times, sizeof *results);
    int rc, interrupted = 0;

    if (results == NULL) {
        return EXIT_HARNESS;
    }
    if ((rc = load_cases(cases, n, &list)) != 0) {
        free(results);
        scenario_list_free(&list);
        return rc;
    }
    for (size_t i = 0; i < n * times; i++) {
        results[i].sc = &list.items[i / times];
        results[i].status = STATUS_INTERRUPTED;
        snprintf(results[i].note, sizeof results[i].note, "not run: interrupted");
    }
    if ((rc = runner_run(&ex->ro, results, n * times, &interrupted)) != 0) {
        fprintf(stderr, "synchost: could not run: %s\n", uv_strerror(rc));
        rc = EXIT_HARNESS;
    }
    ex->interrupted |= interrupted;
    for (size_t i = 0; rc == 0 && i < n * times; i++) {
        outcome_from(&results[i], &out[i]);
    }
    scenario_results_free(results, n * times);
    scenario_list_free(&list);
    return rc;
}

/* A failed run, recorded under its rule and shape; a new one is said. */
static void note_failure(struct explore *ex, const struct explore_outcome *o, uint64_t index,
                         const struct gen_case *gc)
{
    char shape[256];
    struct explore_failure *f;

    explore_shape(o->message, shape, sizeof shape);
    for (size_t i = 0; i < ex->failure_count; i++) {
        if (strcmp(ex->failures[i].rule, o->rules[0]) == 0 &&
            strcmp(ex->failures[i].shape, shape) == 0) {
            ex->failures[i].hits++;
            return;
        }
    }
    if (ex->failure_count == EXPLORE_FAILURES_MAX) {
        ex->dropped++;
        return;
    }
    f = &ex->failures[ex->failure_count++];
    memset(f, 0, sizeof *f);
    snprintf(f->rule, sizeof f->rule, "%s", o->rules[0]);
    snprintf(f->shape, sizeof f->shape, "%s", shape);
    snprintf(f->message, sizeof f->message, "%s", o->message);
    f->status = o->status;
    f->found_index = index;
    f->hits = 1;
    f->found = *gc;
    f->minimal = *gc;
    fprintf(ex->con, "found   %-24s scenario %llu: %s\n", f->rule, (unsigned long long)index + 1,
            shape);
}

static void progress_line(const struct explore *ex)
{
    uint64_t ms = elapsed_ms(ex);

    if (ex->budget_count != 0) {
        fprintf(ex->con, "explored %llu of %llu scenarios, %zu distinct failures, %.1f s\n",
                (unsigned long long)ex->tried, (unsigned long long)ex->budget_count,
                ex->failure_count, ms / 1000.0);
    } else {
        fprintf(ex->con, "explored %llu scenarios, %zu distinct failures, %.0f s left\n",
                (unsigned long long)ex->tried, ex->failure_count,
                ms < ex->budget_ms ? (ex->budget_ms - ms) / 1000.0 : 0.0);
    }
    fflush(ex->con);
}

/* Generates, runs and sorts batch after batch until the budget is spent. */
static int explore_loop(struct explore *ex)
{
    size_t batch = ex->ro.jobs * BATCH_PER_JOB;
    struct gen_case *cases;
    struct explore_outcome *out;
    int rc = 0;

    batch = batch > BATCH_MAX ? BATCH_MAX : batch;
    cases = calloc(batch, sizeof *cases);
    out = calloc(batch, sizeof *out);
    while (cases != NULL && out != NULL && rc == 0 && budget_left(ex) && !ex->interrupted) {
        size_t n = batch;
        char text[4096];
        if (ex->budget_count != 0 && ex->budget_count - ex->tried < n) {
            n = (size_t)(ex->budget_count - ex->tried);
        }
        for (size_t i = 0; i < n; i++) {
            gen_case_random(ex->seed, ex->tried + i, &cases[i]);
            int len = gen_case_format(&cases[i], "explored", NULL, text, sizeof text);
            digest_add(&ex->digest, text, len > 0 ? (size_t)len : 0);
        }
        if ((rc = explore_run_cases(ex, cases, n, 1, out)) != 0) {
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (out[i].unjudged) {
                ex->unjudged++;
            } else if (out[i].status == STATUS_ERRORED || out[i].status == STATUS_INTERRUPTED) {
                ex->errored += out[i].status == STATUS_ERRORED;
            } else if (out[i].rule_count > 0) {
                note_failure(ex, &out[i], ex->tried + i, &cases[i]);
            }
        }
        ex->tried += n;
        progress_line(ex);
    }
    if (cases == NULL || out == NULL) {
        rc = EXIT_HARNESS;
    }
    free(cases);
    free(out);
    return rc;
}

/* Failures that the confirming reruns reproduced at least once; one that
 * no rerun of its minimal case nor of the scenario that found it repeats
 * is a flake of the machine (a deadline on a loaded runner), said but not
 * a verdict. */
static size_t reproduced(const struct explore *ex)
{
    size_t n = 0;

    for (size_t i = 0; i < ex->failure_count; i++) {
        n += ex->failures[i].confirmed > 0;
    }
    return n;
}

/* The end: each distinct failure, its file, the verdict line. */
static int explore_end(struct explore *ex, int rc, int *verdict_printed)
{
    uint64_t ms = elapsed_ms(ex);
    size_t real = reproduced(ex);

    fprintf(ex->con,
            "%llu scenarios explored in %.1f s (%.1f a second), seed %llu, %zu distinct "
            "failures, %u shrink runs\n",
            (unsigned long long)ex->tried, ms / 1000.0, ms > 0 ? ex->tried * 1000.0 / ms : 0.0,
            (unsigned long long)ex->seed, ex->failure_count, ex->shrink_runs);
    for (size_t i = 0; i < ex->failure_count; i++) {
        const struct explore_failure *f = &ex->failures[i];
        if (f->confirmed == 0 && !ex->interrupted) {
            fprintf(ex->con, "FLAKY   %-24s %s\n        not reproduced in %u reruns: no verdict\n",
                    f->rule, f->shape, EXPLORE_CONFIRM_RUNS);
            continue;
        }
        fprintf(ex->con, "FAIL    %-24s %s\n        minimal: %u keys, %u of %u reruns fail; %s\n",
                f->rule, f->shape, gen_case_keys(&f->minimal), f->confirmed, EXPLORE_CONFIRM_RUNS,
                f->file[0] != '\0' ? f->file : "(not written)");
    }
    if (ex->unjudged > 0) {
        fprintf(ex->con,
                "%llu scenarios missed a deadline their host's own delays had taken all the "
                "time of (no verdict)\n",
                (unsigned long long)ex->unjudged);
    }
    if (ex->errored > 0) {
        fprintf(ex->con, "%llu scenarios errored (no verdict on the provider)\n",
                (unsigned long long)ex->errored);
    }
    if (rc == 0 && ex->interrupted) {
        rc = 130;
    } else if (rc == 0 && real > 0) {
        rc = 1;
    }
    if (rc == 0 || rc == 1 || rc == 130) {
        if (rc == 130) {
            fprintf(ex->con, "synchost: INTERRUPTED, %llu scenarios explored\n",
                    (unsigned long long)ex->tried);
        } else if (rc == 1) {
            fprintf(ex->con, "synchost: FAIL, %zu distinct failures in %llu scenarios\n", real,
                    (unsigned long long)ex->tried);
        } else {
            fprintf(ex->con, "synchost: PASS, %llu scenarios explored\n",
                    (unsigned long long)ex->tried);
        }
        *verdict_printed = 1;
    }
    return rc;
}

static void fill_runner(struct explore *ex)
{
    const struct cli *c = ex->c;

    memset(&ex->ro, 0, sizeof ex->ro);
    ex->ro.worker64 = ex->worker64;
    ex->ro.worker32 = ex->worker32[0] != '\0' ? ex->worker32 : NULL;
    ex->ro.wine = winenv_loader64();
    ex->ro.wine32 = winenv_loader32();
    ex->ro.provider = ex->provider;
    ex->ro.judge.level = c->level;
    ex->ro.judge.skip = c->skip;
    ex->ro.judge.skip_count = c->skip_count;
    ex->ro.jobs = c->jobs;
    ex->ro.heap_check = c->heap_check > 0;
    ex->ro.isolate_process = c->isolate_process;
    ex->ro.timeout_ms = c->timeout_ms;
    ex->ro.seed = ex->seed; /* host.jitter_ms: as `synchost run --seed` draws it */
}

int explore_command(const struct cli *c, const char *provider, int *verdict_printed)
{
    static struct explore ex; /* large: the failures and their cases */
    struct pe_info pe = {0};
    int rc;

    memset(&ex, 0, sizeof ex);
    ex.c = c;
    ex.provider = provider;
    ex.out_dir = c->explore_out != NULL ? c->explore_out : EXPLORE_DEFAULT_OUT;
    ex.seed = c->has_seed ? c->seed : ((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16));
    ex.digest = 0xCBF29CE484222325ull;
    ex.con = cli_report_on_stdout(c) ? stderr : stdout;
    if (c->report_junit != NULL || c->report_tap != NULL || c->report_html != NULL ||
        c->report_chrome != NULL) {
        return cli_bad_usage("%s", "explore writes its own JSON report (--report-json) only");
    }
    if ((rc = parse_budget(c->budget, &ex)) != 0 || (rc = cli_check_outputs(c, 1)) != 0 ||
        (rc = discover_check_provider(provider, &pe)) != 0 ||
        (rc = discover_workers(provider, NULL, ex.worker64, ex.worker32, sizeof ex.worker64)) !=
            0) {
        return rc;
    }
    winenv_defaults();
    winenv_warm_server();
    fill_runner(&ex);
    fprintf(ex.con, "synchost %s explore: %s (%s), seed %llu, budget %s, %u workers\n",
            SYNCHOST_VERSION, provider, pe_machine_name(pe.machine), (unsigned long long)ex.seed,
            c->budget != NULL ? c->budget : "60s", ex.ro.jobs);
    fflush(ex.con);
    ex.t0_ns = uv_hrtime();
    rc = explore_loop(&ex);
    if (rc == 0 && !ex.interrupted && ex.failure_count > 0) {
        rc = explore_shrink_all(&ex);
    }
    if (rc == 0 && !ex.interrupted && ex.failure_count > 0) {
        rc = explore_write_files(&ex);
    }
    if (c->report_json != NULL && explore_write_json(&ex, c->report_json) != 0) {
        fprintf(stderr, "synchost: %s: cannot write the report: %s\n", c->report_json,
                strerror(errno));
        rc = rc == 0 || rc == 1 ? EXIT_HARNESS : rc;
    }
    return explore_end(&ex, rc, verdict_printed);
}
