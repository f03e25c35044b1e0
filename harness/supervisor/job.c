/*
 * job.c: one scenario's run in a slot of the pool (see runner_impl.h): its
 * start, its script, its deadlines phase by phase, the events the
 * supervisor adds, its verdict, and its rerun alone.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rerun.h"
#include "runner_impl.h"
#include "protocol/script.h"
#include "winenv.h"
#include "winname.h"
#include "protocol/wire.h"

enum pe_machine job_machine(const char *provider)
{
    struct pe_info pe;
    char why[160];

    return provider != NULL && pe_read(provider, &pe, why, sizeof why) == 0 ? pe.machine
                                                                            : PE_MACHINE_UNKNOWN;
}

const char *job_provider(const struct run *run, const struct job *job)
{
    return run->opts->provider != NULL ? run->opts->provider : job->res->sc->provider_path;
}

static void job_on_stacks_timeout(uv_timer_t *t)
{
    struct slot *s = t->data;

    if (s->wp != NULL) {
        worker_proc_kill(s->wp);
        s->closing = 1;
    }
}

/* The phase's deadline, counted in the time the host could run: the time the
 * machine kept the worker from running since the phase began moves it later
 * (at most RING_STARVED_MAX_FACTOR times its bound), and so do the host's own
 * scripted delays (at most RING_HOST_DELAY_MAX_FACTOR times), as the worker's
 * deadlines within the phase move (harness/worker/starve.h). Returns the
 * milliseconds still to wait, 0 when it has passed; a deadline that passes
 * only because the load's limit was reached, under a heavy load, marks the
 * job overloaded (ring_starved_overloaded). The host's delays never take
 * the verdict away here: their figure is one the provider can write, so it
 * only moves the bound (at most so far); a worker whose own wait met their
 * limit says so in a sealed event (runner.c, OVERLOAD_HOST_DELAYS). */
static uint64_t phase_left_ms(struct slot *s)
{
    uint64_t now = uv_now(s->run->loop), starved_ms, moved, delay_ms, end;

    if (s->wp == NULL || s->phase_ms == 0) {
        return 0;
    }
    starved_ms = (worker_proc_starved_us(s->wp) - s->phase_starved_us) / 1000u;
    moved = starved_ms < s->phase_ms * RING_STARVED_MAX_FACTOR ? starved_ms
                                                            : s->phase_ms * RING_STARVED_MAX_FACTOR;
    delay_ms =
        ring_host_delay_move_ms(s->phase_delay_us, worker_proc_host_delay_us(s->wp), s->phase_ms);
    end = s->phase_at_ms + s->phase_ms + moved + delay_ms;
    if (now < end) {
        return end - now;
    }
    if (ring_starved_overloaded(starved_ms, s->phase_ms)) {
        s->overloaded = OVERLOAD_MACHINE; /* it may have had less than its bound of time to run */
    }
    return 0;
}

/* A deadline passed: the worker is asked for every thread's stack first,
 * and killed when its `stacks` event arrives or STACKS_MS later. A worker
 * that never said hello is killed at once. A deadline the machine's load
 * moved later is waited for again. */
void job_on_deadline(uv_timer_t *t)
{
    static const char line[] = "stacks\n";
    struct slot *s = t->data;
    uint64_t left;

    if (s->wp == NULL) {
        return;
    }
    if (s->spoke && !s->stacks_asked && (left = phase_left_ms(s)) > 0) {
        uv_timer_start(&s->timer, job_on_deadline, left, 0);
        return;
    }
    s->closing = 1;
    /* A stream held up by overwritten records is not a hang: the worker
     * may have finished long ago (it is killed; its exit ends the job). */
    if (worker_proc_check_stalled(s->wp)) {
        return;
    }
    if (!s->spoke || s->stacks_asked || worker_proc_send(s->wp, line, sizeof line - 1) != 0) {
        worker_proc_kill(s->wp);
        return;
    }
    s->stacks_asked = 1;
    uv_timer_start(&s->timer, job_on_stacks_timeout, STACKS_MS, 0);
}

/* Each phase has its own bound, counted from its own start, so a slow Logon
 * takes nothing from the sync's time (the phases: event.h; each round of
 * syncs starts a sync phase of its own). */
void job_arm_phase(struct slot *s, enum host_phase phase)
{
    const struct scenario *sc = s->job.res->sc;
    uint64_t ms;

    switch (phase) {
    case PHASE_LOAD:
        ms = sc->load_timeout_ms;
        break;
    case PHASE_SYNC:
        /* A round of sync.overlap calls: each call's wait ends within the
         * deadline of its own call, made after the earlier ones returned
         * (each round of sync.repeat is a sync phase of its own). */
        ms = (uint64_t)script_timeout_ms(sc, s->run->opts->timeout_ms) *
                 (sc->overlap > 1 ? sc->overlap : 1) +
             sc->settle_ms + GRACE_MS;
        break;
    case PHASE_SHUTDOWN:
        ms = (uint64_t)sc->shutdown_timeout_ms + SHUTDOWN_SLACK_MS;
        break;
    default:
        return; /* the unload shares the last shutdown's bound */
    }
    job_arm(s, ms);
}

/* Arms the job's timer for a bound of ms from now (job_on_deadline). */
void job_arm(struct slot *s, uint64_t ms)
{
    s->phase_ms = ms;
    s->phase_at_ms = uv_now(s->run->loop);
    s->phase_starved_us = s->wp != NULL ? worker_proc_starved_us(s->wp) : 0;
    s->phase_delay_us = s->wp != NULL ? worker_proc_host_delay_us(s->wp) : 0;
    uv_timer_start(&s->timer, job_on_deadline, ms, 0);
}

/* Every event of the job, the worker's and the supervisor's own alike:
 * shown (the console's live trace), kept in the trace, judged, and kept
 * past the trace's bounds when a violation points at it. */
void job_take_event(struct slot *s, const struct event *ev)
{
    struct scenario_result *res = s->job.res;

    if (s->run->opts->on_event != NULL) {
        s->run->opts->on_event(res, ev, s->run->opts->ctx);
    }
    trace_append(&res->trace, ev);
    if (judge_event(&res->judge, ev)) {
        trace_pin_last(&res->trace);
    }
}

/* An event the supervisor adds to the trace, since the worker could not:
 * `exit` for a worker that ended without finishing (the judge takes how it
 * ended from it), `integrity` where the stream stopped being trustworthy. */
void job_record_own(struct slot *s, enum event_kind kind, uint64_t value, const char *text)
{
    struct scenario_result *res = s->job.res;
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    /* After the last event the worker sent (the judge skips stack frames). */
    ev.seq =
        (uint32_t)((res->judge.last_seq > s->last_seq ? res->judge.last_seq : s->last_seq) + 1);
    s->last_seq = ev.seq;
    ev.t_us = (uv_now(s->run->loop) - s->start_ms) * 1000u; /* the supervisor's clock */
    ev.value = value;
    ev.text = text;
    job_take_event(s, &ev);
}

/* Sets a result up to run (again, for a retry). */
void job_begin(struct slot *s, struct job *job)
{
    struct scenario_result *res = job->res;
    const char *provider = job_provider(s->run, job);

    if (job->attempt > 0) {
        trace_free(&res->trace);
        judge_free(&res->judge);
    }
    job->attempt++;
    res->note[0] = '\0';
    free(res->provider);
    res->provider = strdup(provider);
    res->machine = pe_machine_name(job_machine(provider));
    trace_init(&res->trace);
    judge_init(&res->judge, res->sc, &s->run->opts->judge);
    s->job = *job;
    s->base_seq = -1;
    s->last_seq = -1;
    s->unloaded = 0;
    s->fast_exit = 0;
    s->retired = 0;
    s->stacks_asked = 0;
    s->overloaded = 0;
    s->phase_ms = 0; /* until its hello the bound is the worker's start's */
    s->start_ms = uv_now(s->run->loop);
    uv_timer_start(&s->timer, job_on_deadline, STARTUP_MS, 0);
}

/* Sends a job's script to the slot's worker (the running job's, or the
 * one to follow it). Returns 0 or a libuv error. */
int job_send(struct slot *s, const struct job *job)
{
    static char line[SCRIPT_LINE_MAX], rerun_line[SCRIPT_LINE_MAX];
    static struct host_script script;
    const struct runner_options *o = s->run->opts;
    const char *provider = job_provider(s->run, job);
    const char *link = winname_for(provider);
    const char *link_name = link != NULL ? strrchr(link, '/') + 1 : NULL;
    char dll[PATH_MAX + 8];
    size_t len;

    if (link != NULL) {
        /* A name Windows cannot take: the worker loads the run's link, the
         * rerun command's script names a link the command makes (rerun.h). */
        snprintf(dll, sizeof dll, "%s\\%s", RERUN_LINK_DIR, link_name);
        script_from_scenario(job->res->sc, dll, o->timeout_ms, o->probe, &script);
        script_set_seed(&script, o->seed);
        script_format(&script, rerun_line, sizeof rerun_line);
        winenv_wine_path_as_is(link, dll, sizeof dll);
    } else {
        winenv_wine_path(provider, dll, sizeof dll);
    }
    script_from_scenario(job->res->sc, dll, o->timeout_ms, o->probe, &script);
    script_set_seed(&script, o->seed);
    len = script_format(&script, line, sizeof line);
    rerun_fill(job->res, o, provider, s->argv, link != NULL ? rerun_line : line, link_name);
    return worker_proc_send(s->wp, line, len);
}

/* What the way the worker ended says about its stream: a worker that lost
 * a handle it relies on (its input handle, read for scripts, or a handle it
 * holds and checks at each scenario's end: hostheld.h), or its access to the
 * ring, says so by its status; one that unloaded and then ended with another
 * status than 0 was ended by something other than the host. */
void job_check_ending(struct slot *s)
{
    const struct worker_proc *w = s->wp;

    if (w->killed || w->term_signal != 0) {
        return;
    }
    if (w->exit_status == WIRE_EXIT_RING_UNWRITABLE) {
        char why[200];
        snprintf(why, sizeof why,
                 "the event ring was made inaccessible to the host: its access to the ring "
                 "faulted (worker exit status 0x%x), so nothing after event %lld could be "
                 "recorded",
                 WIRE_EXIT_RING_UNWRITABLE, (long long)s->job.res->judge.last_seq);
        worker_proc_damaged(s->wp, why);
    } else if (!s->unloaded && w->exit_status == WIRE_EXIT_STREAM_LOST) {
        worker_proc_break(s->wp,
                          "the host lost a handle it relies on (worker exit status %lld): the "
                          "provider closed or replaced the host's input handle or another handle "
                          "the host holds; nothing after event %lld was seen",
                          (long long)w->exit_status, (long long)s->job.res->judge.last_seq);
    } else if (s->unloaded && w->exit_status != 0) {
        worker_proc_break(s->wp,
                          "the host unloaded the provider and then its process ended with "
                          "status %lld, not 0: something other than the host ended it",
                          (long long)w->exit_status);
    }
}

/* A deadline passed while the machine kept the host from running for so
 * long that it had less than the deadline's bound of time to run
 * (OVERLOAD_MACHINE), or only after the host's own scripted delays
 * (host.delay_ms, host.jitter_ms) had moved it by as much as they may,
 * RING_HOST_DELAY_MAX_FACTOR times its bound (OVERLOAD_HOST_DELAYS): what
 * the scenario measured is the machine or the host, so it gets no verdict
 * (the harness's failure, exit 3), whatever the judge made of it. */
static void job_unmeasured(struct slot *s)
{
    struct scenario_result *res = s->job.res;
    unsigned long long starved =
        s->wp != NULL ? (worker_proc_starved_us(s->wp) - s->phase_starved_us) / 1000u : 0;

    res->status = STATUS_ERRORED;
    res->harness_failure = 1;
    if (s->overloaded == OVERLOAD_HOST_DELAYS) {
        res->host_delays_spent = 1;
        snprintf(res->note, sizeof res->note,
                 "the host's own delays (host.delay_ms, host.jitter_ms) took more than %u times "
                 "the deadline's bound, which is all a deadline may leave them: the scenario "
                 "gives the provider too little time to be judged; no verdict on the provider. "
                 "Raise the scenario's timeout_ms (or --timeout-ms), or lower its delays",
                 RING_HOST_DELAY_MAX_FACTOR);
        return;
    }
    snprintf(res->note, sizeof res->note,
             "the machine was overloaded: a deadline passed while the host had had less than "
             "its bound of time to run (the worker and the wineserver waited %llu ms for a CPU "
             "in the last phase); no verdict on the provider. Run it on a quieter machine, with "
             "a lower -j, or with a longer --timeout-ms",
             starved);
}

/* The worker ended itself because its crash reporter failed to (crash.c),
 * and no crash was recorded. */
static int crash_unreported(const struct slot *s, enum worker_ending ending)
{
    return ending == WORKER_DIED && s->wp->term_signal == 0 &&
           s->wp->exit_status == WIRE_EXIT_CRASH_UNREPORTED && s->job.res->judge.crash_seq < 0;
}

/* Judges the job as it ended; ending says how (a job finished in a live
 * pool worker is WORKER_FINISHED). */
void job_outcome(struct slot *s, enum worker_ending ending, const char *detail)
{
    struct scenario_result *res = s->job.res;
    struct judge *j = &res->judge;

    if (s->run->interrupted && ending == WORKER_KILLED && !s->wp->damaged) {
        res->status = STATUS_INTERRUPTED;
        snprintf(res->note, sizeof res->note, "interrupted");
    } else if (s->wp->damaged) {
        /* What the stream says after the provider wrote into the ring may
         * be anything: neither a load figure nor a rule but host-integrity
         * is drawn from it. */
        res->status = judge_finish(j, ending, NULL);
        judge_keep_only(j, RULE_HOST_INTEGRITY);
        snprintf(res->note, sizeof res->note,
                 "something other than the host changed the event ring; worker %s", detail);
    } else if (s->overloaded) {
        job_unmeasured(s); /* no verdict: the judge does not finish */
    } else if (crash_unreported(s, ending)) {
        res->status = STATUS_ERRORED;
        res->harness_failure = 1;
        snprintf(res->note, sizeof res->note,
                 "the worker caught a crash but its crash reporter did not report it within "
                 "%u ms (worker exit status 0x%x): the harness failed, no verdict on the "
                 "provider; rerun the scenario alone (the command below)",
                 WIRE_CRASH_SETTLE_MS, WIRE_EXIT_CRASH_UNREPORTED);
    } else {
        if (ending != WORKER_FINISHED) {
            job_record_own(s, EVENT_EXIT,
                           s->wp->term_signal != 0 ? 128u + (uint64_t)s->wp->term_signal
                                                   : (uint64_t)s->wp->exit_status,
                           detail);
            snprintf(res->note, sizeof res->note, "worker %s", detail);
        }
        res->status = judge_finish(j, ending, NULL); /* the exit event says how it ended */
        if (s->wp->dropped > 0) {
            size_t n = strlen(res->note);
            snprintf(res->note + n, sizeof res->note - n,
                     "%s%llu event record(s) left unread after the stream broke", n > 0 ? "; " : "",
                     (unsigned long long)s->wp->dropped);
        }
    }
    res->duration_ms = uv_now(s->run->loop) - s->start_ms;
    /* Every scenario's: a provider's own stderr is part of its record. */
    free(res->worker_stderr);
    res->worker_stderr =
        worker_proc_take_stderr(s->wp, &res->worker_stderr_len, &res->worker_stderr_dropped);
}

void job_report(struct run *run, struct scenario_result *res)
{
    if (run->opts->on_result != NULL) {
        run->opts->on_result(res, run->opts->ctx);
    }
}

/* The job is over: reported, or first run once more alone when it failed
 * after other scenarios in the same process (state leaking between syncs
 * shows only there). */
void job_done(struct slot *s)
{
    struct run *run = s->run;
    struct job job = s->job;
    struct scenario_result *res = job.res;
    int overloaded = s->overloaded;

    memset(&s->job, 0, sizeof s->job);
    s->overloaded = 0;
    uv_timer_stop(&s->timer);
    if (overloaded == OVERLOAD_MACHINE && job.alone_of == NULL &&
        job.overloads < OVERLOAD_RETRIES && !run->interrupted) {
        job.overloads++;
        run->again[run->again_count++] = job; /* once each: the array holds them all */
        return;
    }
    if (job.alone_of != NULL) {
        struct scenario_result *orig = job.alone_of;
        size_t n = strlen(orig->note);

        orig->ran_alone = 1;
        orig->alone_status = res->status;
        snprintf(orig->note + n, sizeof orig->note - n, "%srun alone in a fresh process: %s%s",
                 n > 0 ? "; " : "", scenario_status_name(res->status),
                 res->status == STATUS_PASSED
                     ? " (the failure shows only after other syncs in the same process: "
                       "state leaks between syncs)"
                     : " (it fails on its own too)");
        judge_free(&res->judge);
        trace_free(&res->trace);
        free(res->provider);
        free(res->worker_stderr);
        free(res);
        job_report(run, orig);
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
    job_report(run, res);
}

/* The worker could not be started or never said hello: the harness's
 * failure, tried again in a fresh worker (when retry says another attempt
 * may do better), then given up with exit 3. */
void job_unstarted(struct slot *s, const char *why, const char *fix, int retry)
{
    struct scenario_result *res = s->job.res;

    if (retry && !s->run->interrupted && s->job.attempt < START_ATTEMPTS) {
        s->retry = s->job;
        memset(&s->job, 0, sizeof s->job);
        uv_timer_stop(&s->timer);
        return;
    }
    res->status = s->run->interrupted ? STATUS_INTERRUPTED : STATUS_ERRORED;
    res->harness_failure = !s->run->interrupted;
    if (s->job.attempt > 1) {
        snprintf(res->note, sizeof res->note,
                 "the worker did not start after %u attempts (last: %s); ", s->job.attempt, why);
    } else {
        snprintf(res->note, sizeof res->note, "the worker could not be started (%s); ", why);
    }
    snprintf(res->note + strlen(res->note), sizeof res->note - strlen(res->note),
             "Wine or this machine failed, not the provider. %s",
             fix != NULL ? fix
                         : "Check `wine --version`, the prefix (scripts/bootstrap), free "
                           "memory, and try a lower -j");
    res->duration_ms = uv_now(s->run->loop) - s->start_ms;
    job_done(s);
}
