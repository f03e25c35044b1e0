/*
 * worker_proc.h: one worker process, seen from the supervisor: started
 * under Wine (or directly on Windows) with three pipes and an event ring
 * (ring.h) in a file both map, handed a fresh key on its input, then
 * scripts (script.h) one line at a time; its events are taken from the ring
 * as they are published (every millisecond, and all that is left once it
 * has exited), and its standard error is kept (textkeep.h) until taken. Its standard
 * output carries nothing: whatever arrives there was written by something
 * other than the host, and breaks the stream.
 * Knows nothing of scenarios or verdicts: the owner does (runner.c).
 *
 * Lifetime: worker_proc_start(); any number of worker_proc_send(); then
 * worker_proc_close_input() (the worker unloads the provider and exits) or
 * worker_proc_kill(). ops->on_exit runs once the process has exited and
 * everything it wrote has been read; ops->on_closed once every handle is
 * closed, after which the struct may be freed. Loop thread only.
 */
#ifndef SYNCHOST_WORKER_PROC_H
#define SYNCHOST_WORKER_PROC_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "cpuwait.h"
#include "protocol/event.h"
#include "protocol/ring.h"
#include "text/textkeep.h"

struct worker_proc;

struct worker_proc_ops {
    void (*on_event)(struct worker_proc *w, const struct event *ev); /* vouched for by its seal */
    void (*on_broken)(struct worker_proc *w, const char *why);       /* the stream broke (once) */
    void (*on_exit)(struct worker_proc *w);
    void (*on_closed)(struct worker_proc *w);
};

struct worker_proc {
    const struct worker_proc_ops *ops;
    void *data; /* the owner's */
    uv_loop_t *loop;
    uv_process_t proc;
    uv_pipe_t in, out, err;
    uv_timer_t drain, poll;
    struct ring ring;
    void *ring_mem;
    size_t ring_len;
    intptr_t ring_os; /* what the mapping keeps open (platform.h) */
    char ring_path[4096];
    char text[EVENT_TEXT_MAX + 1];
    int broken;       /* nothing more from it is believed */
    int damaged;      /* its event ring was overwritten: only host-integrity is judged */
    uint64_t dropped; /* records left unread after the break */
    uint64_t skipped; /* records never published that the reader looked past */
    char key_line[SEAL_KEY_HEX + 2];
    int open_handles;
    int exited, killed, input_closed, exit_reported;
    int64_t exit_status;
    int term_signal;
    /* Its standard error since the last worker_proc_take_stderr, within
     * TEXTKEEP_STDERR_MAX bytes. */
    struct textkeep err_kept;
    /* How long the machine kept it from running (cpuwait.h), taken every
     * STARVED_EVERY_MS and told to the worker through the ring. */
    struct cpuwait starved;
};

/* Creates the ring, starts argv (argv[0] the program; the ring's path is
 * added as "--ring PATH", in the form the worker opens: wine_path turns a
 * Unix path into it) with env (NULL: this process's) and sends it its key. Returns 0, or a libuv
 * error: then nothing started, the handles close, and only ops->on_closed runs (keep w until then).
 */
int worker_proc_start(struct worker_proc *w, uv_loop_t *loop, char **argv, char **env,
                      void (*wine_path)(const char *unix_path, char *out, size_t cap),
                      const struct worker_proc_ops *ops, void *data);

/* Microseconds the machine kept the worker from running since it started
 * (cpuwait.h), taken now. */
uint64_t worker_proc_starved_us(struct worker_proc *w);

/* Microseconds the host's own scripted answers held the provider's calls
 * so far, as the worker wrote them (ring_header.host_delay_us): a figure
 * the provider can write too, which the caller bounds
 * (ring_host_delay_move_ms). 0 before the ring is mapped. */
uint64_t worker_proc_host_delay_us(const struct worker_proc *w);

/* Breaks the stream for a reason seen outside it (how the worker ended):
 * ops->on_broken is told, once. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void worker_proc_break(struct worker_proc *w, const char *fmt, ...);

/* The event ring was found overwritten (why says how): the stream breaks,
 * the scenario is judged on host-integrity alone, the worker is killed. */
void worker_proc_damaged(struct worker_proc *w, const char *why);

/* Once a deadline has passed: is the reader held up by records something
 * else overwrote (ring_stalled)? Then worker_proc_damaged, and 1. */
int worker_proc_check_stalled(struct worker_proc *w);

/* Queues one line (copied) on the worker's input: a script, or a request
 * such as "stacks\n" (harness/worker/command.h). Returns 0 or a libuv
 * error. */
int worker_proc_send(struct worker_proc *w, const char *line, size_t len);

/* No more scripts ("unload"): the worker finishes its script, unloads the
 * provider and exits. Requests (worker_proc_send) may still follow. */
void worker_proc_close_input(struct worker_proc *w);

/* Its standard error since the last take (textkeep_take: owned by the
 * caller, *len bytes, *dropped bytes left out in the middle), read up to
 * now: what the worker wrote before anything it published in the ring is
 * in it. NULL when it wrote nothing (or memory ran out). */
char *worker_proc_take_stderr(struct worker_proc *w, size_t *len, uint64_t *dropped);

/* SIGKILL, once. */
void worker_proc_kill(struct worker_proc *w);

/* "exit status 3" or "killed by signal 9", into buf. */
const char *worker_proc_describe_exit(const struct worker_proc *w, char *buf, size_t cap);

#endif /* SYNCHOST_WORKER_PROC_H */
