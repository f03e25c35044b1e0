/* worker_proc.c: one worker process and its pipes (see worker_proc.h). */
#include "worker_proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How long the pipes are read after the worker has exited. */
#define DRAIN_MS 50u

struct send_req {
    uv_write_t req;
    char data[]; /* the line */
};

static void handle_closed(uv_handle_t *h)
{
    struct worker_proc *w = h->data;

    if (--w->open_handles == 0) {
        stream_reader_free(&w->reader);
        w->ops->on_closed(w);
    }
}

static void close_if_open(uv_handle_t *h)
{
    if (!uv_is_closing(h)) {
        uv_close(h, handle_closed);
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    buf->base = malloc(suggested);
    buf->len = buf->base != NULL ? suggested : 0;
}

/* The process has exited and its pipes are done with: report once, then
 * close what is left. */
static void maybe_exit(struct worker_proc *w)
{
    if (w->exit_reported || !w->exited || !uv_is_closing((uv_handle_t *)&w->out) ||
        !uv_is_closing((uv_handle_t *)&w->err)) {
        return;
    }
    w->exit_reported = 1;
    w->ops->on_exit(w);
    uv_timer_stop(&w->drain);
    close_if_open((uv_handle_t *)&w->in);
    close_if_open((uv_handle_t *)&w->drain);
    close_if_open((uv_handle_t *)&w->proc);
}

static void on_event(void *ctx, const struct event *ev)
{
    struct worker_proc *w = ctx;
    w->ops->on_event(w, ev);
}

static void on_broken(void *ctx, const char *why)
{
    struct worker_proc *w = ctx;
    w->ops->on_broken(w, why);
}

static void on_out(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    struct worker_proc *w = stream->data;

    if (n > 0) {
        stream_reader_feed(&w->reader, buf->base, (size_t)n);
    }
    free(buf->base);
    if (n < 0) {
        close_if_open((uv_handle_t *)stream);
        maybe_exit(w);
    }
}

static void on_err(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    struct worker_proc *w = stream->data;
    size_t len = n > 0 ? (size_t)n : 0;
    const char *p = buf->base;

    /* Keep the last WORKER_PROC_STDERR_KEEP bytes. */
    if (len >= WORKER_PROC_STDERR_KEEP) {
        p += len - WORKER_PROC_STDERR_KEEP;
        len = WORKER_PROC_STDERR_KEEP;
        w->err_len = 0;
    }
    if (w->err_len + len > WORKER_PROC_STDERR_KEEP) {
        size_t drop = w->err_len + len - WORKER_PROC_STDERR_KEEP;
        memmove(w->errbuf, w->errbuf + drop, w->err_len - drop);
        w->err_len -= drop;
    }
    if (len > 0) {
        memcpy(w->errbuf + w->err_len, p, len);
        w->err_len += len;
    }
    free(buf->base);
    if (n < 0) {
        close_if_open((uv_handle_t *)stream);
        maybe_exit(w);
    }
}

/* Reads what is left in the event pipe without waiting: called once the
 * worker has exited, when everything it wrote is already in the pipe. (A
 * loop that was late may run the drain timer before it polls the pipe; the
 * last events must not depend on that order.) */
static void read_rest(struct worker_proc *w)
{
    uv_os_fd_t fd;
    char buf[65536];
    ssize_t n;

    if (uv_is_closing((uv_handle_t *)&w->out) || uv_fileno((uv_handle_t *)&w->out, &fd) != 0) {
        return;
    }
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        stream_reader_feed(&w->reader, buf, (size_t)n);
    }
}

/* After the worker exits, what it wrote is already in the pipes; but under
 * Wine the helper processes it started (services, explorer) inherit the
 * pipes' write ends and hold them open for seconds. So the pipes get a short
 * drain period, what is in them is read, and they are closed without
 * waiting for their EOF. */
static void on_drained(uv_timer_t *t)
{
    struct worker_proc *w = t->data;

    read_rest(w);
    close_if_open((uv_handle_t *)&w->out);
    close_if_open((uv_handle_t *)&w->err);
    maybe_exit(w);
}

static void on_exit_cb(uv_process_t *proc, int64_t status, int sig)
{
    struct worker_proc *w = proc->data;

    w->exited = 1;
    w->exit_status = status;
    w->term_signal = sig;
    uv_timer_start(&w->drain, on_drained, DRAIN_MS, 0);
    maybe_exit(w);
}

static void on_sent(uv_write_t *req, int status)
{
    (void)status; /* a worker that is gone reads nothing: its exit says why */
    free(req);
}

int worker_proc_send(struct worker_proc *w, const char *line, size_t len)
{
    struct send_req *r;
    uv_buf_t buf;
    int rc;

    if (w->exited || uv_is_closing((uv_handle_t *)&w->in)) {
        return UV_EPIPE;
    }
    r = malloc(sizeof *r + len);
    if (r == NULL) {
        return UV_ENOMEM;
    }
    memcpy(r->data, line, len);
    buf = uv_buf_init(r->data, (unsigned)len);
    rc = uv_write(&r->req, (uv_stream_t *)&w->in, &buf, 1, on_sent);
    if (rc != 0) {
        free(r);
    }
    return rc;
}

void worker_proc_close_input(struct worker_proc *w)
{
    static const char line[] = "unload\n";

    if (!w->input_closed) {
        w->input_closed = 1;
        /* The pipe itself stays open: the worker may still be asked for its
         * stacks while it unloads. */
        worker_proc_send(w, line, sizeof line - 1);
    }
}

void worker_proc_kill(struct worker_proc *w)
{
    if (!w->exited && !w->killed) {
        w->killed = 1;
        uv_process_kill(&w->proc, SIGKILL);
    }
}

const char *worker_proc_describe_exit(const struct worker_proc *w, char *buf, size_t cap)
{
    if (w->term_signal != 0) {
        snprintf(buf, cap, "killed by signal %d", w->term_signal);
    } else {
        snprintf(buf, cap, "exit status %lld", (long long)w->exit_status);
    }
    return buf;
}

/* A fresh key for this worker, the first line of its input (seal.h). */
static int send_key(struct worker_proc *w)
{
    uint8_t key[SEAL_KEY_BYTES];
    int rc = uv_random(NULL, NULL, key, sizeof key, 0, NULL);

    if (rc != 0) {
        return rc;
    }
    if (stream_reader_init(&w->reader, key, on_event, on_broken, w) != 0) {
        return UV_ENOMEM;
    }
    seal_key_format(key, w->key_line);
    w->key_line[SEAL_KEY_HEX] = '\n';
    return worker_proc_send(w, w->key_line, SEAL_KEY_HEX + 1);
}

int worker_proc_start(struct worker_proc *w, uv_loop_t *loop, char **argv, char **env,
                      const struct worker_proc_ops *ops, void *data)
{
    uv_process_options_t po;
    uv_stdio_container_t stdio[3];
    int rc;

    memset(w, 0, sizeof *w);
    w->ops = ops;
    w->data = data;
    w->loop = loop;
    uv_pipe_init(loop, &w->in, 0);
    uv_pipe_init(loop, &w->out, 0);
    uv_pipe_init(loop, &w->err, 0);
    uv_timer_init(loop, &w->drain);
    w->in.data = w->out.data = w->err.data = w->drain.data = w->proc.data = w;

    memset(&po, 0, sizeof po);
    stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
    stdio[0].data.stream = (uv_stream_t *)&w->in;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t *)&w->out;
    stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[2].data.stream = (uv_stream_t *)&w->err;
    po.file = argv[0];
    po.args = argv;
    po.env = env;
    po.stdio = stdio;
    po.stdio_count = 3;
    po.exit_cb = on_exit_cb;
    rc = uv_spawn(loop, &w->proc, &po);
    w->open_handles = 5;
    if (rc == 0) {
        rc = send_key(w);
        if (rc != 0) {
            /* Started, but cannot be spoken to: it goes, and says so. */
            worker_proc_kill(w);
            worker_proc_close_input(w);
        }
        uv_read_start((uv_stream_t *)&w->out, on_alloc, on_out);
        uv_read_start((uv_stream_t *)&w->err, on_alloc, on_err);
        return 0;
    }
    /* Nothing started: the handles close, on_closed follows, on_exit not. */
    w->exit_reported = 1;
    close_if_open((uv_handle_t *)&w->in);
    close_if_open((uv_handle_t *)&w->out);
    close_if_open((uv_handle_t *)&w->err);
    close_if_open((uv_handle_t *)&w->drain);
    close_if_open((uv_handle_t *)&w->proc);
    return rc;
}
