/*
 * runner.c: scenarios on a pool of worker processes (see runner.h).
 *
 * A slot holds one worker at a time. In pool mode (the default) a worker
 * runs scenario after scenario with the provider loaded, as Outlook keeps a
 * store provider loaded across syncs; it is told to unload and exit (end of
 * its input) when its slot has nothing more for it, and that unload belongs
 * to the last scenario it ran, so a crash in the DLL's detach code still has
 * a scenario to be reported in. In process mode every worker runs one
 * scenario. A worker that crashes, exits or passes a deadline is killed and
 * its scenario judged; the slot starts a fresh worker for the next one. A
 * scenario that fails after other scenarios ran in its worker is run once
 * more alone, in a fresh process, to say whether it fails on its own.
 */
#include "runner.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "heapenv.h"
#include "rerun.h"
#include "script.h"
#include "wire.h"
#include "worker_proc.h"

/* How long a worker may take to say hello: a cold Wine prefix can take a few
 * seconds to start a process; a warm one about 0.1 s. No hello is the
 * harness's failure (the provider is not loaded before it), never a verdict. */
#define STARTUP_MS 30000u
/* How often a worker start that failed is tried before the scenario is given
 * up as a harness failure. */
#define START_ATTEMPTS 3u
/* Past the sync's own deadline and settle time, how long the worker gets to
 * report the deadline itself before it is killed. */
#define GRACE_MS 3000u
/* Past the shutdown bound, how long the worker gets to send its last events
 * (its own watch of the provider's threads already fits within the bound). */
#define SHUTDOWN_SLACK_MS 500u
/* At a deadline, how long the worker gets to send every thread's stack
 * (harness/worker/command.h) before it is killed. */
#define STACKS_MS 500u

/* One scenario to run: a result of the run, or a rerun alone of one. */
struct job {
    struct scenario_result *res;
    struct scenario_result *alone_of; /* this is a rerun of that result, or NULL */
    unsigned attempt;                 /* starts of a worker for it so far */
};

struct slot {
    struct run *run;
    struct worker_proc *wp; /* the worker, until its handles are closed */
    const char *provider;   /* the DLL it hosts */
    int spoke;              /* it said hello at least once */
    int closing;            /* its input is closed or it was killed: no new job */
    struct job job;         /* the running job; job.res NULL when none */
    struct job retry;       /* a job whose worker never started, to start again */
    uv_timer_t timer;       /* the running phase's deadline */
    int64_t base_seq;       /* the job's first event, in the worker's numbering */
    uint64_t base_t_us;
    int unloaded;       /* the job saw the worker's unload end */
    int stacks_asked;   /* a deadline passed: the worker was asked for its stacks */
    int64_t last_seq;   /* the job's last event, as the trace numbers it */
    uint64_t start_ms;  /* when the job started */
    char *argv[8];      /* the worker's command line, from its program */
};

struct run {
    const struct runner_options *opts;
    uv_loop_t *loop;
    struct scenario_result *results;
    size_t count, next;
    struct job *alone; /* reruns alone waiting for a slot */
    size_t alone_count, alone_cap;
    struct slot *slots;
    uv_signal_t sigint, sigterm;
    int interrupted;
};

static void schedule(struct run *run);

static void to_wine_path(const char *unix_path, char *out, size_t cap)
{
    char abs[PATH_MAX];
    const char *p = realpath(unix_path, abs) != NULL ? abs : unix_path;
    size_t n;

    if (p[0] != '/') {
        snprintf(out, cap, "%s", p);
        return;
    }
    n = (size_t)snprintf(out, cap, "Z:%s", p);
    for (size_t i = 0; i < n && i < cap; i++) {
        if (out[i] == '/') {
            out[i] = '\\';
        }
    }
}

/* On Windows the worker opens the path as it is. */
static void to_native_path(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
}

static const char *provider_of(const struct run *run, const struct job *job)
{
    return run->opts->provider != NULL ? run->opts->provider : job->res->sc->provider_path;
}

static void on_stacks_timeout(uv_timer_t *t)
{
    struct slot *s = t->data;

    if (s->wp != NULL) {
        worker_proc_kill(s->wp);
        s->closing = 1;
    }
}

/* A deadline passed: the worker is asked for every thread's stack first,
 * and killed when its `stacks` event arrives or STACKS_MS later. A worker
 * that never said hello is killed at once. */
static void on_deadline(uv_timer_t *t)
{
    static const char line[] = "stacks\n";
    struct slot *s = t->data;

    if (s->wp == NULL) {
        return;
    }
    s->closing = 1;
    if (!s->spoke || s->stacks_asked || worker_proc_send(s->wp, line, sizeof line - 1) != 0) {
        worker_proc_kill(s->wp);
        return;
    }
    s->stacks_asked = 1;
    uv_timer_start(&s->timer, on_stacks_timeout, STACKS_MS, 0);
}

/* Each phase has its own bound, counted from its own start, so a slow Logon
 * takes nothing from the sync's time (the phases: event.h). */
static void arm_phase(struct slot *s, enum host_phase phase)
{
    const struct scenario *sc = s->job.res->sc;
    uint64_t ms;

    switch (phase) {
    case PHASE_LOAD:
        ms = sc->load_timeout_ms;
        break;
    case PHASE_SYNC:
        ms = (uint64_t)script_timeout_ms(sc, s->run->opts->timeout_ms) + sc->settle_ms + GRACE_MS;
        break;
    case PHASE_SHUTDOWN:
        ms = (uint64_t)sc->shutdown_timeout_ms + SHUTDOWN_SLACK_MS;
        break;
    default:
        return; /* the unload shares the last shutdown's bound */
    }
    uv_timer_start(&s->timer, on_deadline, ms, 0);
}

/* An event the supervisor adds to the trace, since the worker could not:
 * `exit` for a worker that ended without finishing, `integrity` where the
 * stream stopped being trustworthy. Judged and kept like any other. */
static void record_own(struct slot *s, enum event_kind kind, uint64_t value, const char *text)
{
    struct scenario_result *res = s->job.res;
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    /* After the last event the worker sent (the judge skips stack frames). */
    ev.seq = (uint32_t)((res->judge.last_seq > s->last_seq ? res->judge.last_seq : s->last_seq) + 1);
    s->last_seq = ev.seq;
    ev.t_us = (uv_now(s->run->loop) - s->start_ms) * 1000u; /* the supervisor's clock */
    ev.value = value;
    ev.text = text;
    judge_event(&res->judge, &ev);
    if (s->run->opts->on_event != NULL) {
        s->run->opts->on_event(res, &ev, s->run->opts->ctx);
    }
    trace_append(&res->trace, &ev);
    trace_pin_last(&res->trace);
}

/* Sets a result up to run (again, for a retry). */
static void job_begin(struct slot *s, struct job *job)
{
    struct scenario_result *res = job->res;
    const char *provider = provider_of(s->run, job);

    if (job->attempt > 0) {
        trace_free(&res->trace);
        judge_free(&res->judge);
    }
    job->attempt++;
    res->note[0] = '\0';
    free(res->provider);
    res->provider = strdup(provider);
    trace_init(&res->trace);
    judge_init(&res->judge, res->sc, &s->run->opts->judge);
    s->job = *job;
    s->base_seq = -1;
    s->last_seq = -1;
    s->unloaded = 0;
    s->stacks_asked = 0;
    s->start_ms = uv_now(s->run->loop);
    uv_timer_start(&s->timer, on_deadline, STARTUP_MS, 0); /* until its hello */
}

/* Sends the job's script. Returns 0 or a libuv error. */
static int job_send(struct slot *s)
{
    static char line[SCRIPT_LINE_MAX];
    static struct host_script script;
    char dll[PATH_MAX + 8];
    size_t len;

    to_wine_path(provider_of(s->run, &s->job), dll, sizeof dll);
    script_from_scenario(s->job.res->sc, dll, s->run->opts->timeout_ms, s->run->opts->probe,
                         &script);
    len = script_format(&script, line, sizeof line);
    rerun_fill(s->job.res, s->run->opts, provider_of(s->run, &s->job), s->argv, line);
    return worker_proc_send(s->wp, line, len);
}

/* What the way the worker ended says about its stream: a worker that lost
 * its pipe says so by its status; one that unloaded and then ended with
 * another status than 0 was ended by something other than the host. */
static void check_ending(struct slot *s)
{
    const struct worker_proc *w = s->wp;

    if (w->killed || w->term_signal != 0) {
        return;
    }
    if (!s->unloaded && w->exit_status == WIRE_EXIT_STREAM_LOST) {
        worker_proc_break(s->wp,
                            "the host could no longer write its event stream (worker exit status "
                            "%lld): the provider closed or replaced the host's pipe handle; "
                            "nothing after event %lld was seen",
                            (long long)w->exit_status, (long long)s->job.res->judge.last_seq);
    } else if (s->unloaded && w->exit_status != 0) {
        worker_proc_break(s->wp,
                            "the host unloaded the provider and then its process ended with "
                            "status %lld, not 0: something other than the host ended it",
                            (long long)w->exit_status);
    }
}

/* Judges the job as it ended; ending says how (a job finished in a live
 * pool worker is WORKER_FINISHED). */
static void job_outcome(struct slot *s, enum worker_ending ending, const char *detail)
{
    struct scenario_result *res = s->job.res;
    struct judge *j = &res->judge;

    if (s->run->interrupted && ending == WORKER_KILLED) {
        res->status = STATUS_INTERRUPTED;
        snprintf(res->note, sizeof res->note, "interrupted");
    } else {
        if (ending != WORKER_FINISHED) {
            record_own(s, EVENT_EXIT,
                       s->wp->term_signal != 0 ? 128u + (uint64_t)s->wp->term_signal
                                               : (uint64_t)s->wp->exit_status,
                       detail);
            snprintf(res->note, sizeof res->note, "worker %s", detail);
        }
        res->status = judge_finish(j, ending, detail);
        if (s->wp->dropped > 0) {
            size_t n = strlen(res->note);
            snprintf(res->note + n, sizeof res->note - n,
                     "%s%llu event record(s) left unread after the stream broke", n > 0 ? "; " : "",
                     (unsigned long long)s->wp->dropped);
        }
    }
    res->has_return = j->return_hr_valid;
    res->returned = j->return_hr;
    res->has_done = j->done_count > 0;
    res->done_hr = j->first_done_hr;
    res->duration_ms = uv_now(s->run->loop) - s->start_ms;
    if (s->wp->err_len > 0 && ending != WORKER_FINISHED) {
        free(res->worker_stderr);
        res->worker_stderr = malloc(s->wp->err_len + 1);
        if (res->worker_stderr != NULL) {
            memcpy(res->worker_stderr, s->wp->errbuf, s->wp->err_len);
            res->worker_stderr[s->wp->err_len] = '\0';
        }
    }
}

static void report(struct run *run, struct scenario_result *res)
{
    if (run->opts->on_result != NULL) {
        run->opts->on_result(res, run->opts->ctx);
    }
}

/* The job is over: reported, or first run once more alone when it failed
 * after other scenarios in the same process (state leaking between syncs
 * shows only there). */
static void job_done(struct slot *s)
{
    struct run *run = s->run;
    struct job job = s->job;
    struct scenario_result *res = job.res;

    memset(&s->job, 0, sizeof s->job);
    uv_timer_stop(&s->timer);
    if (job.alone_of != NULL) {
        struct scenario_result *orig = job.alone_of;
        size_t n = strlen(orig->note);

        orig->ran_alone = 1;
        orig->alone_status = res->status;
        snprintf(orig->note + n, sizeof orig->note - n,
                 "%srun alone in a fresh process: %s%s", n > 0 ? "; " : "",
                 scenario_status_name(res->status),
                 res->status == STATUS_PASSED
                     ? " (the failure shows only after other syncs in the same process: "
                       "state leaks between syncs)"
                     : " (it fails on its own too)");
        judge_free(&res->judge);
        trace_free(&res->trace);
        free(res->provider);
        free(res->worker_stderr);
        free(res);
        report(run, orig);
        return;
    }
    if (res->worker_ordinal > 1 && !run->opts->isolate_process && !run->interrupted &&
        res->status != STATUS_PASSED && res->status != STATUS_SKIPPED &&
        res->status != STATUS_INTERRUPTED && run->alone_count < run->alone_cap) {
        struct scenario_result *copy = calloc(1, sizeof *copy);
        if (copy != NULL) {
            copy->sc = res->sc;
            run->alone[run->alone_count++] = (struct job){copy, res, 0};
            return;
        }
    }
    report(run, res);
}

/* The worker could not be started or never said hello: the harness's
 * failure, tried again in a fresh worker, then given up with exit 3. */
static void job_unstarted(struct slot *s, const char *why)
{
    struct scenario_result *res = s->job.res;

    if (!s->run->interrupted && s->job.attempt < START_ATTEMPTS) {
        s->retry = s->job;
        memset(&s->job, 0, sizeof s->job);
        uv_timer_stop(&s->timer);
        return;
    }
    res->status = s->run->interrupted ? STATUS_INTERRUPTED : STATUS_ERRORED;
    res->harness_failure = !s->run->interrupted;
    snprintf(res->note, sizeof res->note,
             "the worker did not start after %u attempts (last: %s); Wine or this machine "
             "failed, not the provider. Check `wine --version`, the prefix (scripts/bootstrap), "
             "free memory, and try a lower -j",
             s->job.attempt, why);
    res->duration_ms = uv_now(s->run->loop) - s->start_ms;
    job_done(s);
}

/* May the job that follows run in this slot's live worker? */
static int can_follow(struct slot *s)
{
    struct run *run = s->run;
    const char *next;

    if (run->opts->isolate_process || run->interrupted || run->alone_count > 0 ||
        run->next >= run->count) {
        return 0;
    }
    next = provider_of(run, &(struct job){&run->results[run->next], NULL, 0});
    return next != NULL && strcmp(next, s->provider) == 0;
}

/* The worker's `end` of a scenario. In a pool worker with more to do, the
 * scenario is judged and the next one sent; otherwise the input is closed
 * and the scenario stays open for the unload. */
static void on_scenario_end(struct slot *s)
{
    struct run *run = s->run;

    if (s->closing) {
        return;
    }
    if (!can_follow(s)) {
        s->closing = 1;
        worker_proc_close_input(s->wp);
        return;
    }
    job_outcome(s, WORKER_FINISHED, NULL);
    job_done(s);
    job_begin(s, &(struct job){&run->results[run->next++], NULL, 0});
    if (job_send(s) != 0) {
        worker_proc_kill(s->wp); /* its exit ends the job */
        s->closing = 1;
    }
}

static void on_worker_event(struct worker_proc *w, const struct event *in)
{
    struct slot *s = w->data;
    struct scenario_result *res = s->job.res;
    struct event ev = *in;

    if (res == NULL) {
        return; /* nothing is running: nothing to say it of */
    }
    if (s->base_seq < 0) {
        /* Each scenario's trace counts from its first event, its hello
         * (or whatever a provider thread did before it). */
        s->base_seq = ev.seq;
        s->base_t_us = ev.t_us;
    }
    if (ev.kind == EVENT_HELLO) {
        s->spoke = 1;
        res->worker_ordinal = (unsigned)ev.value;
        arm_phase(s, PHASE_LOAD);
    }
    ev.seq = (uint32_t)(ev.seq - (uint32_t)s->base_seq);
    ev.t_us = ev.t_us >= s->base_t_us ? ev.t_us - s->base_t_us : 0;
    s->last_seq = ev.seq;
    if (ev.kind == EVENT_PHASE && !s->stacks_asked) {
        arm_phase(s, (enum host_phase)ev.step);
    } else if (ev.kind == EVENT_UNLOADED) {
        s->unloaded = 1;
    } else if (ev.kind == EVENT_STACKS && s->stacks_asked) {
        worker_proc_kill(s->wp); /* after this event: it is still judged and kept below */
    }
    if (s->run->opts->on_event != NULL) {
        s->run->opts->on_event(res, &ev, s->run->opts->ctx);
    }
    trace_append(&res->trace, &ev);
    if (judge_event(&res->judge, &ev)) {
        trace_pin_last(&res->trace);
    }
    if (ev.kind == EVENT_END) {
        on_scenario_end(s);
    }
}

static void on_worker_broken(struct worker_proc *w, const char *why)
{
    struct slot *s = w->data;

    if (s->job.res != NULL) {
        record_own(s, EVENT_INTEGRITY, 0, why);
    }
    /* Nothing more from this worker is believed: it runs nothing else. */
    s->closing = 1;
    worker_proc_close_input(w);
}

static void on_worker_exit(struct worker_proc *w)
{
    struct slot *s = w->data;
    char detail[96];
    enum worker_ending ending;

    s->closing = 1;
    uv_timer_stop(&s->timer);
    if (s->job.res == NULL) {
        return;
    }
    worker_proc_describe_exit(w, detail, sizeof detail);
    if (!s->spoke) {
        job_unstarted(s, w->killed ? "no hello within 30 s" : detail);
        return;
    }
    check_ending(s);
    if (w->killed) {
        ending = WORKER_KILLED;
    } else if (s->unloaded && !w->broken && w->exit_status == 0) {
        ending = WORKER_FINISHED;
    } else {
        ending = WORKER_DIED;
    }
    job_outcome(s, ending, detail);
    job_done(s);
}

static void on_worker_closed(struct worker_proc *w)
{
    struct slot *s = w->data;

    free(w);
    s->wp = NULL;
    s->closing = 0;
    schedule(s->run);
}

static const struct worker_proc_ops worker_ops = {
    on_worker_event,
    on_worker_broken,
    on_worker_exit,
    on_worker_closed,
};

/* Starts a worker in the slot for the job. Returns 0, or -1 when none could
 * be started (the job is then retried or given up, as for a silent one). */
static int spawn(struct slot *s, struct job *job)
{
    const struct runner_options *o = s->run->opts;
    char *argv[10];
    int n = 0, rc;

    if (o->wine != NULL) {
        argv[n++] = (char *)o->wine;
    }
    argv[n++] = (char *)o->worker64;
    argv[n++] = "--key-stdin";
    if (o->heap_check) {
        argv[n++] = "--heap-check";
    }
    argv[n] = NULL;
    memcpy(s->argv, argv + (o->wine != NULL ? 1 : 0),
           sizeof s->argv[0] * (size_t)(n + 1 - (o->wine != NULL ? 1 : 0)));
    s->wp = malloc(sizeof *s->wp);
    if (s->wp == NULL) {
        return -1;
    }
    s->spoke = 0;
    s->closing = 0;
    s->provider = provider_of(s->run, job);
    job_begin(s, job);
    rc = worker_proc_start(s->wp, s->run->loop, argv, o->heap_check ? heapenv_worker_env() : NULL,
                           o->wine != NULL ? to_wine_path : to_native_path, &worker_ops, s);
    if (rc != 0) {
        s->closing = 1; /* on_closed frees the worker; the job is retried */
        job_unstarted(s, uv_strerror(rc));
        return -1;
    }
    if (job_send(s) != 0 || o->isolate_process || job->alone_of != NULL) {
        s->closing = 1; /* one scenario only: its unload follows it */
        worker_proc_close_input(s->wp);
    }
    return 0;
}

/* The next job for a free slot: a retry of its own first, then reruns alone,
 * then the run's scenarios in order. */
static int next_job(struct run *run, struct slot *s, struct job *out)
{
    if (s->retry.res != NULL) {
        *out = s->retry;
        memset(&s->retry, 0, sizeof s->retry);
        return 1;
    }
    if (run->interrupted) {
        return 0;
    }
    if (run->alone_count > 0) {
        *out = run->alone[--run->alone_count];
        return 1;
    }
    while (run->next < run->count) {
        struct scenario_result *res = &run->results[run->next++];
        *out = (struct job){res, NULL, 0};
        if (provider_of(run, out) != NULL) {
            return 1;
        }
        res->status = STATUS_ERRORED;
        snprintf(res->note, sizeof res->note, "%s",
                 "no provider: give --provider DLL or provider.path in the scenario");
        report(run, res);
    }
    return 0;
}

static void schedule(struct run *run)
{
    for (unsigned i = 0; i < run->opts->jobs; i++) {
        struct slot *s = &run->slots[i];
        struct job job;

        if (s->wp == NULL && next_job(run, s, &job)) {
            spawn(s, &job);
        }
    }
}

static void on_stop_signal(uv_signal_t *sig, int signum)
{
    struct run *run = sig->data;

    (void)signum;
    run->interrupted = 1;
    for (unsigned i = 0; i < run->opts->jobs; i++) {
        if (run->slots[i].wp != NULL) {
            worker_proc_kill(run->slots[i].wp);
        }
    }
    /* Scenarios waiting for their rerun alone keep the verdict they have. */
    while (run->alone_count > 0) {
        struct job job = run->alone[--run->alone_count];
        free(job.res);
        report(run, job.alone_of);
    }
}

int runner_run(const struct runner_options *opts, struct scenario_result *results, size_t count,
               int *interrupted)
{
    struct run run;
    int rc;

    /* A worker that dies before it reads its input must not take the
     * supervisor with it: the write fails with EPIPE instead. */
    signal(SIGPIPE, SIG_IGN);
    memset(&run, 0, sizeof run);
    run.opts = opts;
    run.loop = uv_default_loop();
    run.results = results;
    run.count = count;
    run.alone_cap = count;
    run.slots = calloc(opts->jobs, sizeof *run.slots);
    run.alone = calloc(count + 1, sizeof *run.alone);
    if (run.slots == NULL || run.alone == NULL) {
        free(run.slots);
        free(run.alone);
        return UV_ENOMEM;
    }
    for (unsigned i = 0; i < opts->jobs; i++) {
        run.slots[i].run = &run;
        uv_timer_init(run.loop, &run.slots[i].timer);
        run.slots[i].timer.data = &run.slots[i];
    }
    /* SIGINT (Ctrl-C) and SIGTERM (a CI job's time limit) both stop the run
     * the same way: workers killed, the report still written. */
    uv_signal_init(run.loop, &run.sigint);
    uv_signal_init(run.loop, &run.sigterm);
    run.sigint.data = run.sigterm.data = &run;
    rc = uv_signal_start(&run.sigint, on_stop_signal, SIGINT);
    if (rc == 0) {
        rc = uv_signal_start(&run.sigterm, on_stop_signal, SIGTERM);
    }
    if (rc == 0) {
        uv_unref((uv_handle_t *)&run.sigint);
        uv_unref((uv_handle_t *)&run.sigterm);
        schedule(&run);
        /* The slot timers keep nothing alive by themselves. */
        for (unsigned i = 0; i < opts->jobs; i++) {
            uv_unref((uv_handle_t *)&run.slots[i].timer);
        }
        uv_run(run.loop, UV_RUN_DEFAULT);
    }
    for (unsigned i = 0; i < opts->jobs; i++) {
        uv_close((uv_handle_t *)&run.slots[i].timer, NULL);
    }
    uv_close((uv_handle_t *)&run.sigint, NULL);
    uv_close((uv_handle_t *)&run.sigterm, NULL);
    uv_run(run.loop, UV_RUN_DEFAULT);
    *interrupted = run.interrupted;
    free(run.slots);
    free(run.alone);
    return rc;
}
