/* worker_proc.c: one worker process and its pipes (see worker_proc.h). */
#include "worker_proc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform.h"
#include "winenv.h"

/* How long the pipes are read after the worker has exited. */
#define DRAIN_MS 50u
/* How often the ring is looked at while the worker runs. */
#define POLL_MS 1u
/* How often the figure of how long the machine kept the worker from running
 * is taken (a look at each of its threads' schedstat). */
#define STARVED_EVERY_MS 50u
/* The most of its standard error read at once outside the loop (what a pipe
 * holds is far less): a worker that keeps writing cannot keep the reader. */
#define STDERR_CATCH_UP_MAX (4u << 20)
/* The ring's slots (64 bytes each): 4 MiB, a few milliseconds of a flood. */
#define RING_SLOTS 65536u

struct send_req {
    uv_write_t req;
    char data[]; /* the line */
};

static void handle_closed(uv_handle_t *h)
{
    struct worker_proc *w = h->data;

    if (--w->open_handles == 0) {
        textkeep_free(&w->err_kept);
        platform_ring_release(w->ring_mem, w->ring_len, w->ring_os);
        w->ring_mem = NULL;
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

static void drain_to_end(struct worker_proc *w);

/* The process has exited and its pipes are done with: report once, then
 * close what is left. */
static void maybe_exit(struct worker_proc *w)
{
    if (w->exit_reported || !w->exited || !uv_is_closing((uv_handle_t *)&w->out) ||
        !uv_is_closing((uv_handle_t *)&w->err)) {
        return;
    }
    w->exit_reported = 1;
    /* However the pipes ended, what the worker published is all in the ring
     * now: take it before the exit is told. */
    drain_to_end(w);
    w->ops->on_exit(w);
    uv_timer_stop(&w->drain);
    close_if_open((uv_handle_t *)&w->in);
    close_if_open((uv_handle_t *)&w->drain);
    close_if_open((uv_handle_t *)&w->poll);
    close_if_open((uv_handle_t *)&w->proc);
}

int worker_proc_check_stalled(struct worker_proc *w)
{
    char why[256];

    if (w->broken || w->ring_mem == NULL || !ring_stalled(&w->ring, why, sizeof why)) {
        return 0;
    }
    worker_proc_damaged(w, why);
    return 1;
}

/* The header, against what the reader knows of it (ring_check). */
static int check_ring(struct worker_proc *w)
{
    char why[256];

    if (w->broken || w->ring_mem == NULL || ring_check(&w->ring, why, sizeof why) == 0) {
        return 0;
    }
    worker_proc_damaged(w, why);
    return -1;
}

/* The records that end a scenario and the unload carry the worker's count
 * of the records it began before them (ring_put_tally): one the ring no
 * longer holds was rolled back or removed by something other than the
 * host. Other records of those kinds carry none (ring_is_tally). The count
 * is the reader's alone: reports see the event without it. */
static int check_tally(struct worker_proc *w, struct event *ev)
{
    char why[256];

    if (!ring_is_tally(ev)) {
        return 0;
    }
    if (ring_check_tally(ev, why, sizeof why) != 0) {
        worker_proc_damaged(w, why);
        return -1;
    }
    ev->index = ev->index_max = ev->flags = 0;
    return 0;
}

/* Hands on every published record. A record whose MAC is wrong breaks the
 * stream: nothing after it is read. Each call reads at most a ring's worth
 * of records, so that a writer kept busy by a provider cannot hold the
 * supervisor's loop here. Returns 1 when records may be left for the next
 * call, else 0. */
static int drain_ring(struct worker_proc *w)
{
    struct event ev;
    uint32_t budget = w->ring.slot_count;
    int rc;

    if (check_ring(w) != 0) {
        return 0;
    }
    while (!w->broken && w->ring_mem != NULL) {
        if (budget-- == 0) {
            return 1;
        }
        rc = ring_get(&w->ring, &ev, w->text, sizeof w->text);
        if (rc == 0) {
            break;
        }
        if (rc < 0) {
            worker_proc_break(w,
                              "the event record after event %lld does not carry the host's MAC: "
                              "something other than the host wrote into its event ring",
                              (long long)w->ring.next_seq - 1);
            break;
        }
        if (check_tally(w, &ev) != 0) {
            break;
        }
        if (w->ring.next_seq == 1) {
            /* The worker has the ring mapped: the file's name is no longer
             * needed, and a supervisor killed from now on leaves no file. */
            unlink(w->ring_path);
        }
        w->ops->on_event(w, &ev);
    }
    return 0;
}

uint64_t worker_proc_starved_us(struct worker_proc *w)
{
    /* The time now, not the loop's: a supervisor kept from running itself
     * would otherwise bound the figure by a time that stood still. */
    uint64_t us = cpuwait_take(&w->starved, uv_hrtime() / 1000000u);

    if (w->ring_mem != NULL && check_ring(w) == 0) {
        ring_set_caller_starved(&w->ring, cpuwait_caller_us(&w->starved));
        ring_set_starved(&w->ring, us);
    }
    return us;
}

uint64_t worker_proc_host_delay_us(const struct worker_proc *w)
{
    return w->ring_mem != NULL ? ring_host_delay(&w->ring) : 0;
}

static void on_poll(uv_timer_t *t)
{
    struct worker_proc *w = t->data;

    drain_ring(w);
    if (w->ring_mem != NULL && uv_hrtime() / 1000000u >= w->starved.last_ms + STARVED_EVERY_MS) {
        worker_proc_starved_us(w);
    }
}

/* Bytes on the host's output pipe: the worker writes nothing there (its
 * events go into the ring), so they are somebody else's. What the worker
 * published before them is taken first, so that the break follows it. */
static void foreign_output(struct worker_proc *w, size_t n)
{
    drain_ring(w);
    worker_proc_break(w,
                      "%llu byte(s) arrived on the host's output pipe, where the host writes "
                      "nothing: something other than the host wrote into its handles",
                      (unsigned long long)n);
}

static void on_out(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    struct worker_proc *w = stream->data;

    if (n > 0) {
        foreign_output(w, (size_t)n);
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

    if (n > 0) {
        textkeep_add(&w->err_kept, buf->base, (size_t)n);
    }
    free(buf->base);
    if (n < 0) {
        close_if_open((uv_handle_t *)stream);
        maybe_exit(w);
    }
}

/* Reads what is in pipe p now, without waiting for the loop, up to max
 * bytes: into keep, or counted and dropped when keep is NULL. Returns the
 * bytes read. The loop's own read sees the end or an error too. */
static size_t read_ready(uv_pipe_t *p, struct textkeep *keep, size_t max)
{
    char buf[65536];
    uv_os_fd_t fd;
    size_t got = 0;

    if (uv_is_closing((uv_handle_t *)p) || uv_fileno((uv_handle_t *)p, &fd) != 0) {
        return 0;
    }
    while (got < max) {
        size_t n = platform_read_ready(fd, buf, sizeof buf);

        if (n == 0) {
            break;
        }
        if (keep != NULL) {
            textkeep_add(keep, buf, n);
        }
        got += n;
    }
    return got;
}

/* Reads what is in the stderr pipe now, without waiting for the loop: the
 * worker's writes end before it publishes the events that follow them, so
 * once those are seen, this reads everything written before. Bounded by
 * STDERR_CATCH_UP_MAX; the loop reads the rest. */
static void stderr_catch_up(struct worker_proc *w)
{
    read_ready(&w->err, &w->err_kept, STDERR_CATCH_UP_MAX);
}

/* The output pipe, before it is closed unread at the end of the drain:
 * whatever was written into it came before the exit, but the loop may not
 * have read it yet (a drain timer started from a loop time that had stood
 * still for a while expires before the loop next polls the pipe). */
static void stdout_catch_up(struct worker_proc *w)
{
    size_t n = read_ready(&w->out, NULL, STDERR_CATCH_UP_MAX);

    if (n > 0) {
        foreign_output(w, n);
    }
}

char *worker_proc_take_stderr(struct worker_proc *w, size_t *len, uint64_t *dropped)
{
    stderr_catch_up(w);
    return textkeep_take(&w->err_kept, len, dropped);
}

/* Everything the worker published before it died, past a record its death
 * tore (reserved, never published). */
static void drain_to_end(struct worker_proc *w)
{
    /* Each round skips at least one record of the two rings of them a
     * reservation may be ahead (ring_check), so the rounds are bounded too,
     * and each look starts where the last one found its record. */
    int skipped;
    uint32_t rounds = w->ring.slot_count * RING_AHEAD_MAX_RINGS, more = RING_AHEAD_MAX_RINGS + 1;

    /* The worker is gone: nothing more is written, and what is left is at
     * most RING_AHEAD_MAX_RINGS rings of records (ring_check). */
    while (drain_ring(w) && more-- > 0) {
    }
    if (w->broken && !w->damaged && w->ring_mem != NULL) {
        w->dropped = (uint32_t)(atomic_load(&w->ring.hdr->reserve) >> 32) - w->ring.next_seq;
    }
    while (!w->broken && w->ring_mem != NULL && rounds-- > 0 &&
           (skipped = ring_resync(&w->ring)) != 0) {
        if (skipped == RING_DAMAGED) {
            check_ring(w);
        }
        if (skipped < 0) {
            break;
        }
        w->skipped += (uint64_t)skipped;
        more = RING_AHEAD_MAX_RINGS + 1;
        while (drain_ring(w) && more-- > 0) {
        }
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

    drain_to_end(w);
    stdout_catch_up(w);
    stderr_catch_up(w);
    close_if_open((uv_handle_t *)&w->out);
    close_if_open((uv_handle_t *)&w->err);
    maybe_exit(w);
}

static void on_exit_cb(uv_process_t *proc, int64_t status, int sig)
{
    struct worker_proc *w = proc->data;

    w->exited = 1;
    cpuwait_stop(&w->starved);
    w->exit_status = status;
    w->term_signal = sig;
    uv_timer_stop(&w->poll);
    unlink(w->ring_path);
    /* DRAIN_MS from now, not from a loop time that may have stood still
     * while other workers were started or judged. */
    uv_update_time(w->loop);
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
    if (ring_attach(&w->ring, w->ring_mem, w->ring_len, key, NULL) != 0) {
        return UV_EINVAL;
    }
    seal_key_format(key, w->key_line);
    w->key_line[SEAL_KEY_HEX] = '\n';
    return worker_proc_send(w, w->key_line, SEAL_KEY_HEX + 1);
}

/* The ring's file (platform.h): mapped here, its path kept for the worker
 * and removed when the worker exits. */
static int create_ring(struct worker_proc *w)
{
    int rc;

    w->ring_len = ring_bytes(RING_SLOTS);
    rc = platform_ring_create(w->ring_path, sizeof w->ring_path, w->ring_len, &w->ring_mem,
                              &w->ring_os);
    if (rc != 0) {
        return rc;
    }
    ring_format(w->ring_mem, RING_SLOTS);
    return 0;
}

int worker_proc_start(struct worker_proc *w, uv_loop_t *loop, char **argv, char **env,
                      void (*wine_path)(const char *unix_path, char *out, size_t cap),
                      const struct worker_proc_ops *ops, void *data)
{
    uv_process_options_t po;
    uv_stdio_container_t stdio[3];
    char *args[16], ring_arg[4096 + 8];
    int rc, n = 0;

    memset(w, 0, sizeof *w);
    textkeep_init(&w->err_kept, TEXTKEEP_STDERR_MAX);
    w->ops = ops;
    w->data = data;
    w->loop = loop;
    uv_pipe_init(loop, &w->in, 0);
    uv_pipe_init(loop, &w->out, 0);
    uv_pipe_init(loop, &w->err, 0);
    uv_timer_init(loop, &w->drain);
    uv_timer_init(loop, &w->poll);
    w->in.data = w->out.data = w->err.data = w->drain.data = w->poll.data = w->proc.data = w;
    w->open_handles = 6;

    rc = create_ring(w);
    if (rc == 0) {
        while (argv[n] != NULL && n < 12) {
            args[n] = argv[n];
            n++;
        }
        wine_path(w->ring_path, ring_arg, sizeof ring_arg);
        args[n++] = "--ring";
        args[n++] = ring_arg;
        args[n] = NULL;
        memset(&po, 0, sizeof po);
        stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
        stdio[0].data.stream = (uv_stream_t *)&w->in;
        stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
        stdio[1].data.stream = (uv_stream_t *)&w->out;
        stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
        stdio[2].data.stream = (uv_stream_t *)&w->err;
        po.file = args[0];
        po.args = args;
        po.env = env;
        po.stdio = stdio;
        po.stdio_count = 3;
        po.exit_cb = on_exit_cb;
        rc = uv_spawn(loop, &w->proc, &po);
    }
    if (rc == 0) {
        ring_set_worker_pid(w->ring_mem, platform_worker_proc_id(w->proc.pid));
        rc = send_key(w);
        if (rc != 0) {
            /* Started, but cannot be spoken to: it goes, and says so. */
            worker_proc_kill(w);
            worker_proc_close_input(w);
        }
        cpuwait_start(&w->starved, "/proc", (int)platform_worker_proc_id(w->proc.pid),
                      winenv_server_dir(), uv_hrtime() / 1000000u);
        uv_read_start((uv_stream_t *)&w->out, on_alloc, on_out);
        uv_read_start((uv_stream_t *)&w->err, on_alloc, on_err);
        uv_timer_start(&w->poll, on_poll, POLL_MS, POLL_MS);
        return 0;
    }
    /* Nothing started: the handles close, on_closed follows, on_exit not. */
    unlink(w->ring_path);
    w->exit_reported = 1;
    close_if_open((uv_handle_t *)&w->in);
    close_if_open((uv_handle_t *)&w->out);
    close_if_open((uv_handle_t *)&w->err);
    close_if_open((uv_handle_t *)&w->drain);
    close_if_open((uv_handle_t *)&w->poll);
    if (w->proc.type == UV_PROCESS) {
        close_if_open((uv_handle_t *)&w->proc);
    } else {
        w->open_handles--;
    }
    return rc;
}
