/* runner.c: the worker pool (see runner.h). */
#include "runner.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "hresult.h"
#include "rerun.h"
#include "seal.h"
#include "stream.h"
#include "wire.h"

/* How long a worker may take to say hello: a cold Wine prefix can take a few
 * seconds to start a process; a warm one about 0.1 s. No hello is the
 * harness's failure (the provider is not loaded before it), never a verdict. */
#define STARTUP_MS 30000u
/* How often a worker start that failed is tried again before the scenario
 * is given up as a harness failure. */
#define START_ATTEMPTS 3u
/* Past the sync's own deadline and settle time, how long the worker gets to
 * report the deadline itself before it is killed. */
#define GRACE_MS 3000u
/* Past the shutdown bound, how long the worker gets to send its last events
 * (its own watch of the provider's threads already fits within the bound). */
#define SHUTDOWN_SLACK_MS 500u
#define STDERR_KEEP       4096
/* How long the pipes are read after the worker has exited. */
#define DRAIN_MS 50u
/* At a deadline, how long the worker gets to send every thread's stack
 * (command.h) before it is killed. */
#define STACKS_MS 500u

struct slot {
    struct run *run;
    struct scenario_result *res;
    uv_process_t proc;
    uv_pipe_t in, out, err;
    uv_timer_t timer;
    uv_write_t key_write, stacks_write;
    int stacks_asked; /* a deadline passed: the worker was asked for its stacks */
    char key_line[SEAL_KEY_HEX + 2];
    struct stream_reader reader; /* the worker's sealed event stream */
    int64_t end_value;           /* the `end` event's status, or -1 */
    unsigned attempt;  /* 1 for the first start */
    int retry;         /* the start failed for the machine's reasons: start again */
    int open_handles;
    int exited, killed, hello, finished;
    int64_t exit_status;
    int term_signal;
    uint64_t start_ms;
    char errbuf[STDERR_KEEP]; /* the last bytes of the worker's stderr */
    size_t err_len;
    char text[EVENT_TEXT_MAX + 1];
};

struct run {
    const struct runner_options *opts;
    uv_loop_t *loop;
    struct scenario_result *results;
    size_t count, next, running;
    struct slot *slots;
    uv_signal_t sigint, sigterm;
    int interrupted;
};

static void start_next(struct run *run);
static int start_one(struct run *run, struct slot *s, struct scenario_result *res,
                     unsigned attempt);
static void finish_unstarted(struct run *run, struct slot *s, struct scenario_result *res);
static void kill_worker(struct slot *s);
static void on_deadline(uv_timer_t *t);

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    buf->base = malloc(suggested);
    buf->len = buf->base != NULL ? suggested : 0;
}

static void handle_closed(uv_handle_t *h)
{
    struct slot *s = h->data;
    struct run *run = s->run;

    if (--s->open_handles > 0) {
        return;
    }
    stream_reader_free(&s->reader);
    run->running--;
    if (s->retry && !run->interrupted) {
        struct scenario_result *res = s->res;
        unsigned attempt = s->attempt + 1;

        /* The same scenario again, in a fresh process: nothing of it ran. */
        if (start_one(run, s, res, attempt) != 0) {
            finish_unstarted(run, s, res);
        }
        return;
    }
    s->res = NULL;
    start_next(run);
}

static void close_if_open(uv_handle_t *h)
{
    if (!uv_is_closing(h)) {
        uv_close(h, handle_closed);
    }
}

/* An event the supervisor adds to the trace, since the worker could not:
 * `exit` for a worker that ended without its `end`, `integrity` where the
 * stream stopped being trustworthy. It goes through the judge like any
 * other and is always kept in the trace. */
static void record_own(struct slot *s, enum event_kind kind, uint64_t value, const char *text)
{
    struct scenario_result *res = s->res;
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    /* After the last event the worker sent (the judge skips stack frames). */
    ev.seq = (uint32_t)((res->judge.last_seq > s->reader.last_seq ? res->judge.last_seq
                                                                   : s->reader.last_seq) +
                        1);
    ev.t_us =
        (uv_now(s->run->loop) - s->start_ms) * 1000u; /* from the start, not the worker's clock */
    ev.value = value;
    ev.text = text;
    judge_event(&res->judge, &ev);
    if (s->run->opts->on_event != NULL) {
        s->run->opts->on_event(res, &ev, s->run->opts->ctx);
    }
    trace_append(&res->trace, &ev);
    trace_pin_last(&res->trace);
}

/* From here on nothing the worker sends is believed: the provider wrote into
 * the host's stream, or the host lost it. */
static void on_stream_broken(void *ctx, const char *why)
{
    record_own(ctx, EVENT_INTEGRITY, 0, why);
}

/* What the way the worker ended says about the stream: a worker that lost
 * its pipe says so by its status; one whose `end` names another status than
 * the one it ended with did not write that `end`. */
static void check_ending(struct slot *s)
{
    if (s->killed || s->term_signal != 0) {
        return;
    }
    if (s->end_value < 0 && s->exit_status == WIRE_EXIT_STREAM_LOST) {
        stream_reader_break(&s->reader,
                      "the host could no longer write its event stream (worker exit status "
                      "%lld): the provider closed or replaced the host's pipe handle; nothing "
                      "after event %lld was seen",
                      (long long)s->exit_status, (long long)s->res->judge.last_seq);
    } else if (s->end_value >= 0 && (uint64_t)s->exit_status != (uint64_t)s->end_value) {
        stream_reader_break(&s->reader,
                      "the stream's end event gave status %lld but the host process ended with "
                      "%lld: something other than the host ended it",
                      (long long)s->end_value, (long long)s->exit_status);
    }
}

static void fill_outcome(struct slot *s)
{
    struct scenario_result *res = s->res;
    struct judge *j = &res->judge;
    enum worker_ending ending;
    char detail[96];

    if (s->term_signal != 0) {
        snprintf(detail, sizeof detail, "killed by signal %d", s->term_signal);
    } else {
        snprintf(detail, sizeof detail, "exit status %lld", (long long)s->exit_status);
    }
    if (s->killed) {
        ending = WORKER_KILLED;
    } else if (j->end_seq >= 0 && !s->reader.broken) {
        ending = WORKER_FINISHED;
    } else {
        ending = WORKER_DIED;
    }
    if (s->run->interrupted && s->killed) {
        res->status = STATUS_INTERRUPTED;
        snprintf(res->note, sizeof res->note, "interrupted");
    } else if (!s->hello) {
        /* The worker never started: the harness's failure, not the provider's
         * (it is loaded only after hello). */
        res->status = STATUS_ERRORED;
        res->harness_failure = 1;
        snprintf(res->note, sizeof res->note,
                 "the worker did not start after %u attempts (last: %s%s); Wine or this "
                 "machine failed, not the provider. Check `wine --version`, the prefix "
                 "(scripts/bootstrap), free memory, and try a lower -j",
                 s->attempt, s->killed ? "no hello within 30 s, " : "", detail);
    } else {
        check_ending(s);
        if (ending != WORKER_FINISHED) {
            record_own(s, EVENT_EXIT,
                       s->term_signal != 0 ? 128u + (uint64_t)s->term_signal
                                           : (uint64_t)s->exit_status,
                       detail);
        }
        res->status = judge_finish(j, ending, detail);
        if (ending != WORKER_FINISHED) {
            snprintf(res->note, sizeof res->note, "worker %s", detail);
        }
        if (s->reader.dropped > 0) {
            size_t n = strlen(res->note);
            snprintf(res->note + n, sizeof res->note - n, "%s%llu event line(s) ignored after "
                     "the stream broke", n > 0 ? "; " : "", (unsigned long long)s->reader.dropped);
        }
    }
    res->has_return = j->return_hr_valid;
    res->returned = j->return_hr;
    res->has_done = j->done_count > 0;
    res->done_hr = j->first_done_hr;
    res->duration_ms = uv_now(s->run->loop) - s->start_ms;
    if (s->err_len > 0) {
        res->worker_stderr = malloc(s->err_len + 1);
        if (res->worker_stderr != NULL) {
            memcpy(res->worker_stderr, s->errbuf, s->err_len);
            res->worker_stderr[s->err_len] = '\0';
        }
    }
}

/* The scenario is over once the process has exited and both pipes hit EOF:
 * then every event it streamed has been read. */
static void maybe_finish(struct slot *s)
{
    if (s->finished || !s->exited || !uv_is_closing((uv_handle_t *)&s->out) ||
        !uv_is_closing((uv_handle_t *)&s->err)) {
        return;
    }
    s->finished = 1;
    if (!s->hello && !s->run->interrupted && s->attempt < START_ATTEMPTS) {
        s->retry = 1; /* handle_closed starts it again */
        close_if_open((uv_handle_t *)&s->in);
        close_if_open((uv_handle_t *)&s->timer);
        close_if_open((uv_handle_t *)&s->proc);
        return;
    }
    fill_outcome(s);
    if (s->run->opts->on_result != NULL) {
        s->run->opts->on_result(s->res, s->run->opts->ctx);
    }
    uv_timer_stop(&s->timer);
    close_if_open((uv_handle_t *)&s->in);
    close_if_open((uv_handle_t *)&s->timer);
    close_if_open((uv_handle_t *)&s->proc);
}

static void kill_worker(struct slot *s)
{
    if (!s->exited && !s->killed) {
        s->killed = 1;
        uv_process_kill(&s->proc, SIGKILL);
    }
}

static void on_stacks_timeout(uv_timer_t *t)
{
    kill_worker(t->data);
}

/* A deadline passed: the worker is asked for every thread's stack first
 * (command.h), and killed when its `stacks` event arrives or STACKS_MS
 * later. A worker that never said hello is killed at once. */
static void on_deadline(uv_timer_t *t)
{
    static char line[] = "stacks\n";
    struct slot *s = t->data;
    uv_buf_t buf = uv_buf_init(line, sizeof line - 1);

    if (!s->hello || s->stacks_asked || s->exited || uv_is_closing((uv_handle_t *)&s->in)) {
        kill_worker(s);
        return;
    }
    s->stacks_asked = 1;
    s->stacks_write.data = s;
    if (uv_write(&s->stacks_write, (uv_stream_t *)&s->in, &buf, 1, NULL) != 0) {
        kill_worker(s);
        return;
    }
    uv_timer_start(&s->timer, on_stacks_timeout, STACKS_MS, 0);
}

/* The sync's deadline: the scenario's own, else --timeout-ms, else the
 * default. */
static unsigned sync_timeout_ms(const struct run *run, const struct scenario *sc)
{
    return sc->timeout_ms             ? sc->timeout_ms
           : run->opts->timeout_ms ? run->opts->timeout_ms
                                   : SCENARIO_DEFAULT_TIMEOUT_MS;
}

/* Each phase of the host has its own bound, counted from its start, so a
 * slow Logon does not eat into the sync's time (the phases: event.h). */
static void arm_phase(struct slot *s, enum host_phase phase)
{
    const struct scenario *sc = s->res->sc;
    uint64_t ms;

    switch (phase) {
    case PHASE_LOAD:
        ms = sc->load_timeout_ms;
        break;
    case PHASE_SYNC:
        ms = (uint64_t)sync_timeout_ms(s->run, sc) + sc->settle_ms + GRACE_MS;
        break;
    case PHASE_SHUTDOWN:
        ms = (uint64_t)sc->shutdown_timeout_ms + SHUTDOWN_SLACK_MS;
        break;
    default:
        return; /* the unload shares the shutdown's bound */
    }
    uv_timer_start(&s->timer, on_deadline, ms, 0);
}

/* One event the stream vouches for: deadlines follow the phases, then it is
 * judged and kept. */
static void on_stream_event(void *ctx, const struct event *ev)
{
    struct slot *s = ctx;

    if (ev->kind == EVENT_HELLO && !s->hello) {
        s->hello = 1;
        arm_phase(s, PHASE_LOAD);
    } else if (ev->kind == EVENT_PHASE) {
        arm_phase(s, (enum host_phase)ev->step);
    } else if (ev->kind == EVENT_END) {
        s->end_value = (int64_t)ev->value;
    } else if (ev->kind == EVENT_STACKS && s->stacks_asked) {
        kill_worker(s); /* after this event: it is still judged and kept below */
    }
    if (s->run->opts->on_event != NULL) {
        s->run->opts->on_event(s->res, ev, s->run->opts->ctx);
    }
    trace_append(&s->res->trace, ev);
    if (judge_event(&s->res->judge, ev)) {
        trace_pin_last(&s->res->trace);
    }
}

static void on_out(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    struct slot *s = stream->data;

    if (n > 0) {
        stream_reader_feed(&s->reader, buf->base, (size_t)n);
    }
    free(buf->base);
    if (n < 0) {
        close_if_open((uv_handle_t *)stream);
        maybe_finish(s);
    }
}

static void on_err(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    struct slot *s = stream->data;

    if (n < 0) {
        free(buf->base);
        close_if_open((uv_handle_t *)stream);
        maybe_finish(s);
        return;
    }
    /* Keep the last STDERR_KEEP bytes. */
    if ((size_t)n >= STDERR_KEEP) {
        memcpy(s->errbuf, buf->base + n - STDERR_KEEP, STDERR_KEEP);
        s->err_len = STDERR_KEEP;
    } else {
        if (s->err_len + (size_t)n > STDERR_KEEP) {
            size_t drop = s->err_len + (size_t)n - STDERR_KEEP;
            memmove(s->errbuf, s->errbuf + drop, s->err_len - drop);
            s->err_len -= drop;
        }
        memcpy(s->errbuf + s->err_len, buf->base, (size_t)n);
        s->err_len += (size_t)n;
    }
    free(buf->base);
}

/* Reads what is left in the event pipe without waiting: called once the
 * worker has exited, when everything it wrote is already in the pipe. (A
 * loop that was late may run the drain timer before it polls the pipe; the
 * last events must not depend on that order.) */
static void read_rest(struct slot *s)
{
    uv_os_fd_t fd;
    char buf[65536];
    ssize_t n;

    if (uv_is_closing((uv_handle_t *)&s->out) || uv_fileno((uv_handle_t *)&s->out, &fd) != 0) {
        return;
    }
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        stream_reader_feed(&s->reader, buf, (size_t)n);
    }
}

/* After the worker exits, what it wrote is already in the pipes; but under
 * Wine the helper processes it started (services, explorer) inherit the
 * pipes' write ends and hold them open for seconds. So the pipes get a short
 * drain period, what is in them is read, and they are closed without
 * waiting for their EOF. */
static void on_drained(uv_timer_t *t)
{
    struct slot *s = t->data;

    read_rest(s);
    close_if_open((uv_handle_t *)&s->out);
    close_if_open((uv_handle_t *)&s->err);
    maybe_finish(s);
}

static void on_exit_cb(uv_process_t *proc, int64_t status, int sig)
{
    struct slot *s = proc->data;

    s->exited = 1;
    s->exit_status = status;
    s->term_signal = sig;
    uv_timer_stop(&s->timer);
    uv_timer_start(&s->timer, on_drained, DRAIN_MS, 0);
    maybe_finish(s);
}

/* Wine takes a Windows path; Z: maps the Unix root in every default prefix. */
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

static void mark_errored(struct scenario_result *res, const char *fmt, const char *arg)
{
    res->status = STATUS_ERRORED;
    snprintf(res->note, sizeof res->note, fmt, arg);
}

/* The worker's command line: the scenario as it travels today. */
struct worker_args {
    char *argv[24 + 2 * SCENARIO_MAX_PROGRESS_RETURNS];
    char dll[PATH_MAX + 8], flags[32], timeout[32], settle[32], shutdown[32];
    char returns[SCENARIO_MAX_PROGRESS_RETURNS][32];
};

static void build_args(const struct run *run, const struct scenario *sc, const char *provider,
                       struct worker_args *a)
{
    const struct runner_options *o = run->opts;
    int n = 0;

    to_wine_path(provider, a->dll, sizeof a->dll);
    snprintf(a->flags, sizeof a->flags, "0x%lx", (unsigned long)sc->flags);
    snprintf(a->timeout, sizeof a->timeout, "%u", sync_timeout_ms(run, sc));
    snprintf(a->settle, sizeof a->settle, "%u", (unsigned)sc->settle_ms);
    snprintf(a->shutdown, sizeof a->shutdown, "%u", (unsigned)sc->shutdown_timeout_ms);
    if (o->wine != NULL) {
        a->argv[n++] = (char *)o->wine;
    }
    a->argv[n++] = (char *)o->worker64;
    a->argv[n++] = "--key-stdin";
    a->argv[n++] = "--provider";
    a->argv[n++] = a->dll;
    a->argv[n++] = "--flags";
    a->argv[n++] = a->flags;
    a->argv[n++] = "--timeout-ms";
    a->argv[n++] = a->timeout;
    a->argv[n++] = "--settle-ms";
    a->argv[n++] = a->settle;
    a->argv[n++] = "--shutdown-timeout-ms";
    a->argv[n++] = a->shutdown;
    if (o->probe) {
        a->argv[n++] = "--probe";
    }
    for (size_t i = 0; i < sc->progress_return_count; i++) {
        snprintf(a->returns[i], sizeof a->returns[i], "%lu:0x%lx",
                 (unsigned long)sc->progress_returns[i].from_call,
                 (unsigned long)sc->progress_returns[i].hresult);
        a->argv[n++] = "--progress-return";
        a->argv[n++] = a->returns[i];
    }
    a->argv[n] = NULL;
}

static void on_key_written(uv_write_t *req, int status)
{
    struct slot *s = req->data;

    /* A worker that cannot read its key ends at once, unsealed. Standard
     * input stays open: the worker reads requests from it (command.h). */
    (void)s;
    (void)status;
}

/* A fresh key for this worker, sent on its standard input (seal.h). */
static int send_key(struct slot *s)
{
    uint8_t key[SEAL_KEY_BYTES];
    uv_buf_t buf;
    int rc = uv_random(NULL, NULL, key, sizeof key, 0, NULL);

    if (rc != 0) {
        return rc;
    }
    if (stream_reader_init(&s->reader, key, on_stream_event, on_stream_broken, s) != 0) {
        return UV_ENOMEM;
    }
    seal_key_format(key, s->key_line);
    s->key_line[SEAL_KEY_HEX] = '\n';
    buf = uv_buf_init(s->key_line, SEAL_KEY_HEX + 1);
    s->key_write.data = s;
    return uv_write(&s->key_write, (uv_stream_t *)&s->in, &buf, 1, on_key_written);
}

/* Resets the slot for res and starts its worker. Returns 0 when the worker
 * runs (or its failure to start was recorded and the slot is closing), -1
 * when the scenario cannot run at all (res says why; the slot stays free). */
static int start_one(struct run *run, struct slot *s, struct scenario_result *res,
                     unsigned attempt)
{
    const struct runner_options *o = run->opts;
    const char *provider = o->provider != NULL ? o->provider : res->sc->provider_path;
    struct worker_args *args;
    uv_process_options_t po;
    uv_stdio_container_t stdio[3];
    int rc;

    if (provider == NULL) {
        mark_errored(res, "%s",
                     "no provider: give --provider DLL or provider.path in the scenario");
        return -1;
    }
    res->note[0] = '\0';
    free(res->provider);
    res->provider = strdup(provider);
    if (attempt > 1) {
        trace_free(&res->trace);
        judge_free(&res->judge);
    }
    trace_init(&res->trace);
    judge_init(&res->judge, res->sc, &o->judge);

    memset(s, 0, sizeof *s);
    s->run = run;
    s->res = res;
    s->attempt = attempt;
    s->end_value = -1;
    args = malloc(sizeof *args);
    if (args == NULL) {
        mark_errored(res, "%s", "out of memory");
        res->harness_failure = 1;
        return -1;
    }
    build_args(run, res->sc, provider, args);
    rerun_fill(res, o, provider, args->argv + (o->wine != NULL ? 1 : 0));

    uv_pipe_init(run->loop, &s->in, 0);
    uv_pipe_init(run->loop, &s->out, 0);
    uv_pipe_init(run->loop, &s->err, 0);
    uv_timer_init(run->loop, &s->timer);
    s->in.data = s->out.data = s->err.data = s->timer.data = s->proc.data = s;
    s->open_handles = 5;

    memset(&po, 0, sizeof po);
    stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
    stdio[0].data.stream = (uv_stream_t *)&s->in;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t *)&s->out;
    stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[2].data.stream = (uv_stream_t *)&s->err;
    po.file = args->argv[0];
    po.args = args->argv;
    po.stdio = stdio;
    po.stdio_count = 3;
    po.exit_cb = on_exit_cb;
    s->start_ms = uv_now(run->loop);
    run->running++;
    rc = uv_spawn(run->loop, &s->proc, &po);
    free(args);
    if (rc == 0) {
        rc = send_key(s);
        if (rc != 0) {
            kill_worker(s);
        }
    }
    if (rc != 0) {
        /* Nothing ran: close what was opened; the result says why. */
        mark_errored(res, "could not start the worker: %s", uv_strerror(rc));
        res->harness_failure = 1;
        s->finished = 1;
        if (o->on_result != NULL) {
            o->on_result(res, o->ctx);
        }
        s->exited = 1;
        close_if_open((uv_handle_t *)&s->proc);
        close_if_open((uv_handle_t *)&s->in);
        close_if_open((uv_handle_t *)&s->out);
        close_if_open((uv_handle_t *)&s->err);
        close_if_open((uv_handle_t *)&s->timer);
        return 0;
    }
    uv_read_start((uv_stream_t *)&s->out, on_alloc, on_out);
    uv_read_start((uv_stream_t *)&s->err, on_alloc, on_err);
    uv_timer_start(&s->timer, on_deadline, STARTUP_MS, 0);
    return 0;
}

/* A scenario that could not start: its result is final as it stands. */
static void finish_unstarted(struct run *run, struct slot *s, struct scenario_result *res)
{
    s->res = NULL;
    if (run->opts->on_result != NULL) {
        run->opts->on_result(res, run->opts->ctx);
    }
    start_next(run);
}

static void start_next(struct run *run)
{
    while (!run->interrupted && run->next < run->count && run->running < run->opts->jobs) {
        struct scenario_result *res = &run->results[run->next++];
        struct slot *free_slot = NULL;

        for (unsigned i = 0; i < run->opts->jobs; i++) {
            if (run->slots[i].res == NULL && run->slots[i].open_handles == 0) {
                free_slot = &run->slots[i];
                break;
            }
        }
        if (free_slot == NULL) {
            run->next--;
            return;
        }
        if (start_one(run, free_slot, res, 1) != 0) {
            free_slot->res = NULL;
            if (run->opts->on_result != NULL) {
                run->opts->on_result(res, run->opts->ctx);
            }
        }
    }
}

static void on_stop_signal(uv_signal_t *sig, int signum)
{
    struct run *run = sig->data;

    (void)signum;
    run->interrupted = 1;
    for (unsigned i = 0; i < run->opts->jobs; i++) {
        if (run->slots[i].res != NULL && !run->slots[i].exited) {
            kill_worker(&run->slots[i]);
        }
    }
}

int runner_run(const struct runner_options *opts, struct scenario_result *results, size_t count,
               int *interrupted)
{
    struct run run;
    int rc;

    /* A worker that dies before it reads its key must not take the
     * supervisor with it: the write fails with EPIPE instead. */
    signal(SIGPIPE, SIG_IGN);
    memset(&run, 0, sizeof run);
    run.opts = opts;
    run.loop = uv_default_loop();
    run.results = results;
    run.count = count;
    run.slots = calloc(opts->jobs, sizeof *run.slots);
    if (run.slots == NULL) {
        return UV_ENOMEM;
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
        start_next(&run);
        uv_run(run.loop, UV_RUN_DEFAULT);
    }
    uv_close((uv_handle_t *)&run.sigint, NULL);
    uv_close((uv_handle_t *)&run.sigterm, NULL);
    uv_run(run.loop, UV_RUN_DEFAULT);
    if (rc != 0) {
        free(run.slots);
        return rc;
    }
    *interrupted = run.interrupted;
    free(run.slots);
    return 0;
}
