/*
 * runner_impl.h: what runner.c (the pool: slots, scheduling, the workers'
 * callbacks) and job.c (one scenario's run: its deadlines, its verdict,
 * its rerun alone) share. Private to the runner.
 */
#ifndef SYNCHOST_RUNNER_IMPL_H
#define SYNCHOST_RUNNER_IMPL_H

#include <stdint.h>

#include <uv.h>

#include "pe/pe.h"
#include "runner.h"
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

/* What struct slot's overloaded says. */
enum { OVERLOAD_NONE, OVERLOAD_MACHINE, OVERLOAD_HOST_DELAYS };
/* Past the shutdown bound, how long the worker gets to send its last events
 * (its own watch of the provider's threads already fits within the bound). */
#define SHUTDOWN_SLACK_MS 500u
/* At a deadline, how long the worker gets to send every thread's stack
 * (harness/worker/command.h) before it is killed. */
#define STACKS_MS 500u
/* When the worker gave up on a done event, it takes every thread's stack
 * (its own work, slow on a loaded machine): at least this long is left to
 * the sync phase from then on. */
#define DUMP_MS 10000u

/* One scenario to run: a result of the run, or a rerun alone of one. */
struct job {
    struct scenario_result *res;
    struct scenario_result *alone_of; /* this is a rerun of that result, or NULL */
    unsigned attempt;                 /* starts of a worker for it so far */
    unsigned overloads;               /* runs the machine's load left without a verdict */
};

/* How often a scenario the machine's load left without a verdict is run
 * again, in a fresh worker after the others, before it is given up as the
 * harness's failure (exit 3). */
#define OVERLOAD_RETRIES 1u

struct slot {
    struct run *run;
    struct worker_proc *wp; /* the worker, until its handles are closed */
    const char *provider;   /* the DLL it hosts */
    int spoke;              /* it said hello at least once */
    int closing;            /* its input is closed or it was killed: no new job */
    struct job job;         /* the running job; job.res NULL when none */
    struct job retry;       /* a job whose worker never started, to start again */
    struct job next;        /* sent ahead: the live worker runs it after job (pool) */
    uv_timer_t timer;       /* the running phase's deadline */
    uint64_t phase_ms;      /* ... its bound, */
    uint64_t phase_at_ms;   /* when it was armed, */
    uint64_t phase_starved_us; /* and the worker's starved figure then (cpuwait.h) */
    uint64_t phase_delay_us;   /* and the host's own delays then (ring_header.host_delay_us) */
    /* A deadline passed while the machine kept the host from running
     * (OVERLOAD_MACHINE), or only because the host's own scripted delays
     * took more than their limit of it (OVERLOAD_HOST_DELAYS): no verdict. */
    int overloaded;
    int64_t base_seq;       /* the job's first event, in the worker's numbering */
    uint64_t base_t_us;
    int unloaded;      /* the job saw the worker's unload end (or its fast shutdown) */
    int fast_exit;     /* the job's worker shut the provider down fast: it exits next */
    int retired;       /* the job's worker kept the DLL under the provider's threads: it exits
                          next, and runs nothing else */
    int stacks_asked;  /* a deadline passed: the worker was asked for its stacks */
    int64_t last_seq;  /* the job's last event, as the trace numbers it */
    uint64_t start_ms; /* when the job started */
    char *argv[8];     /* the worker's command line, from its program */
};

struct run {
    const struct runner_options *opts;
    uv_loop_t *loop;
    struct scenario_result *results;
    size_t count, next;
    struct job *alone; /* reruns alone waiting for a slot */
    size_t alone_count, alone_cap;
    struct job *again; /* scenarios to run again: the machine was overloaded */
    size_t again_count;
    struct slot *slots;
    uv_signal_t sigint, sigterm;
    int interrupted;
};

/* job.c */
const char *job_provider(const struct run *run, const struct job *job);
/* The DLL's PE machine (PE_MACHINE_UNKNOWN when it cannot be read: the
 * worker's load then says why). */
enum pe_machine job_machine(const char *provider);
void job_on_deadline(uv_timer_t *t);
void job_arm_phase(struct slot *s, enum host_phase phase);
void job_arm(struct slot *s, uint64_t ms);
void job_take_event(struct slot *s, const struct event *ev);
void job_record_own(struct slot *s, enum event_kind kind, uint64_t value, const char *text);
void job_begin(struct slot *s, struct job *job);
int job_send(struct slot *s, const struct job *job);
void job_check_ending(struct slot *s);
void job_outcome(struct slot *s, enum worker_ending ending, const char *detail);
void job_report(struct run *run, struct scenario_result *res);
void job_done(struct slot *s);
/* The worker ended before it spoke: started again (when retry), up to a
 * bound, then the job errors with why it did not start and fix, the one
 * thing to do about it (NULL: the usual checks). */
void job_unstarted(struct slot *s, const char *why, const char *fix, int retry);

#endif /* SYNCHOST_RUNNER_IMPL_H */
