/* runner.c: the worker pool (see runner.h). */
#include "runner.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "heapenv.h"
#include "hresult.h"
#include "wire.h"

/* How long a worker may take to say hello: a cold Wine prefix can take a few
 * seconds to start a process; a warm one about 0.1 s. */
#define STARTUP_MS 30000u
/* Past the scenario's own deadline and settle time, how long the host gets
 * to log off and end before it is killed. */
#define GRACE_MS    3000u
#define STDERR_KEEP 4096
/* How long the pipes are read after the worker has exited. */
#define DRAIN_MS 50u

struct slot {
    struct run *run;
    struct scenario_result *res;
    uv_process_t proc;
    uv_pipe_t out, err;
    uv_timer_t timer;
    int open_handles;
    int exited, killed, hello, finished;
    int64_t exit_status;
    int term_signal;
    uint64_t start_ms;
    char *line; /* the partial line being read */
    size_t line_len;
    int line_overflow;
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
    free(s->line);
    s->line = NULL;
    s->res = NULL;
    run->running--;
    start_next(run);
}

static void close_if_open(uv_handle_t *h)
{
    if (!uv_is_closing(h)) {
        uv_close(h, handle_closed);
    }
}

/* A worker that ended without its `end` event gets an `exit` event at the
 * end of its trace, made here since the worker could not: how it ended, and
 * after which event. */
static void record_exit(struct slot *s, const char *detail)
{
    struct scenario_result *res = s->res;
    struct event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_EXIT;
    ev.seq = (uint32_t)(res->judge.last_seq + 1);
    ev.t_us =
        (uv_now(s->run->loop) - s->start_ms) * 1000u; /* from the start, not the worker's clock */
    ev.value = s->term_signal != 0 ? 128u + (uint64_t)s->term_signal : (uint64_t)s->exit_status;
    ev.text = detail;
    trace_append(&res->trace, &ev);
    trace_pin_last(&res->trace);
    res->judge.exit_seq = ev.seq;
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
    } else if (j->end_seq >= 0) {
        ending = WORKER_FINISHED;
    } else {
        ending = WORKER_DIED;
    }
    if (s->run->interrupted && s->killed) {
        res->status = STATUS_INTERRUPTED;
        snprintf(res->note, sizeof res->note, "interrupted");
    } else if (!s->hello && ending != WORKER_FINISHED) {
        /* The worker never started: the harness's failure, not the provider's. */
        res->status = STATUS_ERRORED;
        snprintf(res->note, sizeof res->note,
                 "the worker did not start (%s); is Wine installed and the prefix usable? "
                 "Run scripts/bootstrap",
                 detail);
    } else {
        if (ending != WORKER_FINISHED) {
            record_exit(s, detail);
        }
        res->status = judge_finish(j, ending, detail);
        if (ending != WORKER_FINISHED) {
            snprintf(res->note, sizeof res->note, "worker %s", detail);
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
    fill_outcome(s);
    if (s->run->opts->on_result != NULL) {
        s->run->opts->on_result(s->res, s->run->opts->ctx);
    }
    uv_timer_stop(&s->timer);
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

static void on_deadline(uv_timer_t *t)
{
    kill_worker(t->data);
}

static void arm_deadline(struct slot *s)
{
    const struct scenario *sc = s->res->sc;
    uint64_t timeout = sc->timeout_ms             ? sc->timeout_ms
                       : s->run->opts->timeout_ms ? s->run->opts->timeout_ms
                                                  : SCENARIO_DEFAULT_TIMEOUT_MS;

    uv_timer_start(&s->timer, on_deadline, timeout + sc->settle_ms + GRACE_MS, 0);
}

static void take_line(struct slot *s, const char *line, size_t len)
{
    struct event ev;

    if (len > 0 && line[len - 1] == '\r') {
        len--;
    }
    if (wire_parse(line, len, &ev, s->text, sizeof s->text) != 0) {
        return; /* not an event line: ignored (a torn last line, say) */
    }
    if (ev.kind == EVENT_HELLO && !s->hello) {
        s->hello = 1;
        arm_deadline(s);
    }
    if (s->run->opts->on_event != NULL) {
        s->run->opts->on_event(s->res, &ev, s->run->opts->ctx);
    }
    trace_append(&s->res->trace, &ev);
    if (judge_event(&s->res->judge, &ev)) {
        trace_pin_last(&s->res->trace);
    }
}

static void on_out(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    struct slot *s = stream->data;

    if (n < 0) {
        free(buf->base);
        if (s->line_len > 0 && !s->line_overflow) {
            take_line(s, s->line, s->line_len); /* a last line without its newline */
        }
        s->line_len = 0;
        close_if_open((uv_handle_t *)stream);
        maybe_finish(s);
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        char c = buf->base[i];
        if (c == '\n') {
            if (!s->line_overflow) {
                take_line(s, s->line, s->line_len);
            }
            s->line_len = 0;
            s->line_overflow = 0;
        } else if (s->line_len < WIRE_LINE_MAX) {
            s->line[s->line_len++] = c;
        } else {
            s->line_overflow = 1;
        }
    }
    free(buf->base);
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

/* After the worker exits, what it wrote is already in the pipes; but under
 * Wine the helper processes it started (services, explorer) inherit the
 * pipes' write ends and hold them open for seconds. So the pipes get a short
 * drain period, then are closed without waiting for their EOF. */
static void on_drained(uv_timer_t *t)
{
    struct slot *s = t->data;

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

static int start_one(struct run *run, struct slot *s, struct scenario_result *res)
{
    const struct runner_options *o = run->opts;
    const struct scenario *sc = res->sc;
    const char *provider = o->provider != NULL ? o->provider : sc->provider_path;
    char dll[PATH_MAX + 8], flags[32], timeout[32], settle[32];
    char *args[16 + 2 * SCENARIO_MAX_PROGRESS_RETURNS];
    char returns[SCENARIO_MAX_PROGRESS_RETURNS][32];
    uv_process_options_t po;
    uv_stdio_container_t stdio[3];
    unsigned timeout_ms = sc->timeout_ms  ? sc->timeout_ms
                          : o->timeout_ms ? o->timeout_ms
                                          : SCENARIO_DEFAULT_TIMEOUT_MS;
    int n = 0, rc;

    if (provider == NULL) {
        mark_errored(res, "%s",
                     "no provider: give --provider DLL or provider.path in the scenario");
        return -1;
    }
    res->note[0] = '\0';
    res->provider = strdup(provider);
    trace_init(&res->trace);
    judge_init(&res->judge, sc, &o->judge);

    memset(s, 0, sizeof *s);
    s->run = run;
    s->res = res;
    s->line = malloc(WIRE_LINE_MAX + 1);
    if (s->line == NULL) {
        mark_errored(res, "%s", "out of memory");
        return -1;
    }
    to_wine_path(provider, dll, sizeof dll);
    snprintf(flags, sizeof flags, "0x%lx", (unsigned long)sc->flags);
    snprintf(timeout, sizeof timeout, "%u", timeout_ms);
    snprintf(settle, sizeof settle, "%u", (unsigned)sc->settle_ms);
    if (o->wine != NULL) {
        args[n++] = (char *)o->wine;
    }
    args[n++] = (char *)o->worker64;
    args[n++] = "--provider";
    args[n++] = dll;
    args[n++] = "--flags";
    args[n++] = flags;
    args[n++] = "--timeout-ms";
    args[n++] = timeout;
    args[n++] = "--settle-ms";
    args[n++] = settle;
    if (o->probe) {
        args[n++] = "--probe";
    }
    if (o->heap_check) {
        args[n++] = "--heap-check";
    }
    for (size_t i = 0; i < sc->progress_return_count; i++) {
        snprintf(returns[i], sizeof returns[i], "%lu:0x%lx",
                 (unsigned long)sc->progress_returns[i].from_call,
                 (unsigned long)sc->progress_returns[i].hresult);
        args[n++] = "--progress-return";
        args[n++] = returns[i];
    }
    args[n] = NULL;

    uv_pipe_init(run->loop, &s->out, 0);
    uv_pipe_init(run->loop, &s->err, 0);
    uv_timer_init(run->loop, &s->timer);
    s->out.data = s->err.data = s->timer.data = s->proc.data = s;
    s->open_handles = 4;

    memset(&po, 0, sizeof po);
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t *)&s->out;
    stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[2].data.stream = (uv_stream_t *)&s->err;
    po.file = args[0];
    po.args = args;
    po.stdio = stdio;
    po.stdio_count = 3;
    po.env = o->heap_check ? heapenv_worker_env() : NULL;
    po.exit_cb = on_exit_cb;
    s->start_ms = uv_now(run->loop);
    rc = uv_spawn(run->loop, &s->proc, &po);
    if (rc != 0) {
        /* Nothing started: close what was opened; the result says why. */
        mark_errored(res, "could not start the worker: %s", uv_strerror(rc));
        if (o->on_result != NULL) {
            o->on_result(res, o->ctx);
        }
        s->exited = 1;
        s->open_handles = 4;
        uv_close((uv_handle_t *)&s->proc, handle_closed);
        uv_close((uv_handle_t *)&s->out, handle_closed);
        uv_close((uv_handle_t *)&s->err, handle_closed);
        uv_close((uv_handle_t *)&s->timer, handle_closed);
        run->running++;
        return 0;
    }
    uv_read_start((uv_stream_t *)&s->out, on_alloc, on_out);
    uv_read_start((uv_stream_t *)&s->err, on_alloc, on_err);
    uv_timer_start(&s->timer, on_deadline, STARTUP_MS, 0);
    run->running++;
    return 0;
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
        if (start_one(run, free_slot, res) != 0) {
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
