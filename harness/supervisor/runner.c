/*
 * runner.c: scenarios on a pool of worker processes (see runner.h).
 *
 * A slot holds one worker at a time. In pool mode (the default) a worker
 * runs scenario after scenario with the provider loaded, as Outlook keeps a
 * store provider loaded across syncs (each script sent as the scenario
 * before it starts, so that none waits for the supervisor); it is told to unload and exit (an
 * `unload` line) when its slot has nothing more for it, and that unload belongs
 * to the last scenario it ran, so a crash in the DLL's detach code still has
 * a scenario to be reported in. In process mode every worker runs one
 * scenario. A worker that shuts the provider down fast (host.shutdown: fast)
 * ends its process after that scenario's `end`, as Outlook's does: its exit
 * with status 0 finishes the scenario, and the scenario sent ahead goes to
 * a fresh worker. A worker that crashes, exits or passes a deadline is killed and
 * its scenario judged; the slot starts a fresh worker for the next one. A
 * scenario that fails after other scenarios ran in its worker is run once
 * more alone, in a fresh process, to say whether it fails on its own. One
 * scenario's run (deadlines, verdict) is job.c's.
 */
#include "runner.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "heapenv.h"
#include "runner_impl.h"
#include "winenv.h"
#include "winname.h"
#include "winstart.h"
#include "worker_proc.h"

static void schedule(struct run *run);

/* What to do when an x86 DLL's worker cannot run. */
#define NO_32BIT_RUN                                                                         \
    "Run x86 providers on a machine that runs 32-bit programs (on Windows, one with WoW64; " \
    "on Linux, a kernel with IA-32 emulation)"
#define NO_32BIT_MAYBE \
    "If this machine cannot run 32-bit programs, no x86 DLL can be hosted here. " NO_32BIT_RUN
#define NO_32BIT_FIX                                                                  \
    "This machine cannot run 32-bit programs (its kernel has no IA-32 emulation, or " \
    "it is switched off), so no x86 DLL can be hosted here. " NO_32BIT_RUN

/* May the job that follows run in this slot's live worker? */
static int can_follow(struct slot *s)
{
    struct run *run = s->run;
    const char *next;

    if (run->opts->isolate_process || run->interrupted || run->alone_count > 0 ||
        run->next >= run->count) {
        return 0;
    }
    next = job_provider(run, &(struct job){&run->results[run->next], NULL, 0});
    return next != NULL && strcmp(next, s->provider) == 0;
}

/* A pool worker gets the script of the scenario that follows as soon as
 * the one it runs has started, so that it starts the next one the moment
 * it ends, without waiting for the supervisor to see the end (the ring is
 * read every POLL_MS) and answer. */
static void send_ahead(struct slot *s)
{
    struct run *run = s->run;

    if (s->closing || s->next.res != NULL || s->job.alone_of != NULL || !can_follow(s)) {
        return;
    }
    s->next = (struct job){&run->results[run->next++], NULL, 0};
    if (job_send(s, &s->next) != 0) {
        worker_proc_kill(s->wp); /* its exit ends the job, and gives the next one back */
        s->closing = 1;
    }
}

/* The worker's `end` of a scenario. In a pool worker with more to do, the
 * scenario is judged and the next one begins (sent ahead, or sent now);
 * otherwise the input is closed and the scenario stays open for the
 * unload. */
static void on_scenario_end(struct slot *s)
{
    struct job next = s->next;
    int send = 0;

    if (s->closing) {
        return;
    }
    if (s->fast_exit || s->retired) {
        /* Its process ends now; the scenario is judged at its exit, and
         * the one sent ahead (if any) starts in a fresh worker. A retired
         * worker still runs the provider's threads in a DLL it kept
         * loaded: nothing else may run beside them. */
        s->closing = 1;
        worker_proc_close_input(s->wp);
        return;
    }
    if (next.res == NULL) {
        if (!can_follow(s)) {
            s->closing = 1;
            worker_proc_close_input(s->wp);
            return;
        }
        next = (struct job){&s->run->results[s->run->next++], NULL, 0};
        send = 1;
    }
    memset(&s->next, 0, sizeof s->next);
    job_outcome(s, WORKER_FINISHED, NULL);
    job_done(s);
    job_begin(s, &next);
    if (send && job_send(s, &s->job) != 0) {
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
    ev.seq = (uint32_t)(ev.seq - (uint32_t)s->base_seq);
    ev.t_us = ev.t_us >= s->base_t_us ? ev.t_us - s->base_t_us : 0;
    s->last_seq = ev.seq;
    if (ev.kind == EVENT_HELLO) {
        s->spoke = 1;
        res->worker_ordinal = (unsigned)ev.value;
    }
    /* The event is in the trace before anything it sets off: arming a
     * deadline looks at the ring, and a ring found damaged there adds the
     * supervisor's integrity event, which is numbered after this one and
     * must follow it. */
    job_take_event(s, &ev);
    if (ev.kind == EVENT_HELLO) {
        job_arm_phase(s, PHASE_LOAD);
        send_ahead(s);
    }
    if (ev.kind == EVENT_EVENT_TIMEOUT && ev.step != 0) {
        /* The worker's wait passed its moved deadline (starve.h): for the
         * machine's load (1) or the host's own delays (2, events.def). */
        s->overloaded = ev.step == 1 ? OVERLOAD_MACHINE : OVERLOAD_HOST_DELAYS;
    }
    if (ev.kind == EVENT_PHASE && !s->stacks_asked) {
        job_arm_phase(s, (enum host_phase)ev.step);
    } else if (ev.kind == EVENT_EVENT_TIMEOUT && !s->stacks_asked &&
               uv_timer_get_due_in(&s->timer) < DUMP_MS + GRACE_MS) {
        job_arm(s, DUMP_MS + GRACE_MS);
    } else if (ev.kind == EVENT_UNLOADED && ev.step == UNLOAD_RETIRED) {
        /* The provider still holds the scenario's objects: its worker
         * unloads after this scenario and ends (the unload is still to
         * come), and the next scenario gets a fresh one. */
        s->retired = 1;
    } else if (ev.kind == EVENT_UNLOADED) {
        s->unloaded = 1;
        s->retired |= ev.step == UNLOAD_HELD;
    } else if (ev.kind == EVENT_FAST_SHUTDOWN && ev.step == FAST_STEP_DO) {
        /* After DoFastShutdown the worker ends as Outlook's process does:
         * an exit with status 0 is the scenario's expected end. */
        s->unloaded = 1;
        s->fast_exit = 1;
    } else if (ev.kind == EVENT_STACKS && s->stacks_asked) {
        worker_proc_kill(s->wp); /* after this event, which is judged and kept above */
    }
    if (ev.kind == EVENT_END) {
        on_scenario_end(s);
    }
}

static void on_worker_broken(struct worker_proc *w, const char *why)
{
    struct slot *s = w->data;

    if (s->job.res != NULL) {
        job_record_own(s, EVENT_INTEGRITY, 0, why);
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
    /* A worker whose event ring was written into had started: nothing but
     * its process maps the ring, and the provider loads only after the
     * hello is published. Damage found before the hello was read (a
     * supervisor kept from running while the provider got that far) is
     * the scenario's host-integrity, not a worker that never started. */
    if (!s->spoke && !w->damaged) {
        char fix[PATH_MAX + 300];
        size_t len = 0;
        uint64_t dropped;
        char *err = worker_proc_take_stderr(w, &len, &dropped);
        int known = !w->killed && err != NULL && winstart_failure(err, len, fix, sizeof fix);

        free(err);
        job_unstarted(s, w->killed ? "no hello within 30 s" : detail,
                      known                                        ? fix
                      : job_machine(s->provider) == PE_MACHINE_X86 ? NO_32BIT_MAYBE
                                                                   : NULL,
                      1);
        return;
    }
    /* A worker that unloaded and ended by itself tore no record: one the
     * reader had to look past was overwritten. */
    if (s->unloaded && !w->killed && w->term_signal == 0 && w->exit_status == 0 && w->skipped > 0) {
        char why[160];
        snprintf(why, sizeof why,
                 "the event ring's records were overwritten: %llu record(s) were never "
                 "published, though the host ended normally",
                 (unsigned long long)w->skipped);
        worker_proc_damaged(w, why);
    }
    job_check_ending(s);
    if (w->killed) {
        ending = WORKER_KILLED;
    } else if (s->unloaded && !w->broken && w->exit_status == 0) {
        ending = WORKER_FINISHED;
    } else {
        ending = WORKER_DIED;
    }
    job_outcome(s, ending, detail);
    job_done(s);
    /* The scenario sent ahead never began: a fresh worker runs it. */
    if (s->next.res != NULL && !s->run->interrupted) {
        s->retry = s->next;
    }
    memset(&s->next, 0, sizeof s->next);
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

/* The loader the job needs cannot run on this machine at all. */
#define SPAWN_REFUSED (-2)

/* Starts a worker in the slot for the job. Returns 0, or -1 when none could
 * be started (the job is then retried or given up, as for a silent one), or
 * SPAWN_REFUSED when the job was given up at once and the slot is free. */
static int spawn(struct slot *s, struct job *job)
{
    const struct runner_options *o = s->run->opts;
    const char *provider = job_provider(s->run, job);
    /* A 32-bit process cannot load a 64-bit DLL nor the reverse: the DLL's
     * own machine picks the worker, and each worker its own loader. */
    int x86 = job_machine(provider) == PE_MACHINE_X86 && o->worker32 != NULL;
    const char *loader = x86 ? o->wine32 : o->wine;
    char *argv[10], refused[PATH_MAX + 64];
    int n = 0, rc;

    if (!(x86 ? winenv_runs32(loader, refused, sizeof refused)
              : winenv_loader_runs(loader, refused, sizeof refused))) {
        /* No attempt can do better: given up at once, the slot left free. */
        job_begin(s, job);
        job_unstarted(s, refused,
                      x86 ? NO_32BIT_FIX
                          : "This machine cannot run Wine's loader: check `wine --version`",
                      0);
        return SPAWN_REFUSED;
    }
    if (loader != NULL) {
        argv[n++] = (char *)loader;
    }
    argv[n++] = (char *)(x86 ? o->worker32 : o->worker64);
    argv[n++] = "--key-stdin";
    if (o->heap_check) {
        argv[n++] = "--heap-check";
    }
    argv[n] = NULL;
    memcpy(s->argv, argv + (loader != NULL ? 1 : 0),
           sizeof s->argv[0] * (size_t)(n + 1 - (loader != NULL ? 1 : 0)));
    s->wp = malloc(sizeof *s->wp);
    if (s->wp == NULL) {
        return -1;
    }
    s->spoke = 0;
    s->closing = 0;
    s->provider = provider;
    job_begin(s, job);
    rc = worker_proc_start(s->wp, s->run->loop, argv, o->heap_check ? heapenv_worker_env() : NULL,
                           loader != NULL ? winenv_wine_path : winenv_native_path, &worker_ops, s);
    if (rc != 0) {
        s->closing = 1; /* on_closed frees the worker; the job is retried */
        job_unstarted(s, uv_strerror(rc), x86 ? NO_32BIT_MAYBE : NULL, 1);
        return -1;
    }
    if (job_send(s, &s->job) != 0 || o->isolate_process || job->alone_of != NULL) {
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
    if (run->again_count > 0) {
        *out = run->again[--run->again_count];
        return 1;
    }
    if (run->alone_count > 0) {
        *out = run->alone[--run->alone_count];
        return 1;
    }
    while (run->next < run->count) {
        struct scenario_result *res = &run->results[run->next++];
        *out = (struct job){res, NULL, 0};
        if (job_provider(run, out) != NULL) {
            return 1;
        }
        res->status = STATUS_ERRORED;
        snprintf(res->note, sizeof res->note, "%s",
                 "no provider: give --provider DLL or provider.path in the scenario");
        job_report(run, res);
    }
    return 0;
}

static void schedule(struct run *run)
{
    for (unsigned i = 0; i < run->opts->jobs; i++) {
        struct slot *s = &run->slots[i];
        struct job job;

        while (s->wp == NULL && next_job(run, s, &job) && spawn(s, &job) == SPAWN_REFUSED) {
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
    /* Scenarios waiting to run again keep the outcome they have. */
    while (run->again_count > 0) {
        job_report(run, run->again[--run->again_count].res);
    }
    /* Scenarios waiting for their rerun alone keep the verdict they have. */
    while (run->alone_count > 0) {
        struct job job = run->alone[--run->alone_count];
        free(job.res);
        job_report(run, job.alone_of);
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
    run.again = calloc(count + 1, sizeof *run.again);
    if (run.slots == NULL || run.alone == NULL || run.again == NULL) {
        free(run.slots);
        free(run.alone);
        free(run.again);
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
    winname_cleanup(); /* every worker has ended: nothing loads from its links */
    *interrupted = run.interrupted;
    free(run.slots);
    free(run.alone);
    free(run.again);
    return rc;
}
