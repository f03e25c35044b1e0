/* cpuwait.c: how long the machine kept a worker from running (cpuwait.h). */
#include "cpuwait.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The wineserver found last, kept across workers: looking again costs a
 * walk over every process. */
static int server_cached;

/* One task's figures: on-CPU and waiting time from "<proc>/<pid>/task/<tid>/"
 * (tid 0: "<proc>/<pid>/") schedstat, and whether it is runnable now (its
 * stat's state R). Returns 0, or -1 when they cannot be read. */
static int read_task(const char *proc, int pid, int tid, struct cpuwait_task *now)
{
    char path[256], line[512];
    unsigned long long on_cpu, waited;
    const char *state;
    FILE *f;
    int n, len;

    len = tid != 0 ? snprintf(path, sizeof path, "%s/%d/task/%d/", proc, pid, tid)
                   : snprintf(path, sizeof path, "%s/%d/", proc, pid);
    snprintf(path + len, sizeof path - (size_t)len, "schedstat");
    f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    n = fscanf(f, "%llu %llu", &on_cpu, &waited);
    fclose(f);
    if (n != 2) {
        return -1;
    }
    now->exec_ns = on_cpu;
    now->run_delay_ns = waited;
    now->runnable = 0;
    snprintf(path + len, sizeof path - (size_t)len, "stat");
    f = fopen(path, "r");
    if (f != NULL) {
        if (fgets(line, sizeof line, f) != NULL && (state = strrchr(line, ')')) != NULL) {
            now->runnable = state[1] == ' ' && state[2] == 'R';
        }
        fclose(f);
    }
    return 0;
}

/* What task t waited since it was last looked at (span_ns ago), now that it
 * reads as `now`. Linux adds a wait to run_delay only once the task gets a
 * CPU: a task still queued shows nothing yet. So a task that is runnable
 * and had no CPU time since the last look is counted as waiting the whole
 * span, on credit, and its run_delay's later jump pays the credit back
 * first. */
static uint64_t task_waited(struct cpuwait_task *t, const struct cpuwait_task *now,
                            uint64_t span_ns)
{
    uint64_t d = now->run_delay_ns > t->run_delay_ns ? now->run_delay_ns - t->run_delay_ns : 0;
    uint64_t paid = d < t->credit_ns ? d : t->credit_ns, waited = d - paid;

    t->credit_ns -= paid;
    if (now->runnable && now->exec_ns == t->exec_ns && t->seen) {
        t->credit_ns += span_ns;
        waited += span_ns;
    }
    t->run_delay_ns = now->run_delay_ns;
    t->exec_ns = now->exec_ns;
    t->runnable = now->runnable;
    t->seen = 1;
    return waited;
}

/* Is process pid a wineserver working in a directory named dir_name? */
static int is_server(const char *proc, int pid, const char *dir_name)
{
    char path[256], link[4096], comm[64] = "";
    const char *base;
    ssize_t n;
    FILE *f;

    snprintf(path, sizeof path, "%s/%d/comm", proc, pid);
    f = fopen(path, "r");
    if (f == NULL) {
        return 0;
    }
    if (fgets(comm, sizeof comm, f) == NULL) {
        comm[0] = '\0';
    }
    fclose(f);
    if (strncmp(comm, "wineserver", 10) != 0) {
        return 0;
    }
    snprintf(path, sizeof path, "%s/%d/cwd", proc, pid);
    n = readlink(path, link, sizeof link - 1);
    if (n <= 0) {
        return 0;
    }
    link[n] = '\0';
    base = strrchr(link, '/');
    return strcmp(base != NULL ? base + 1 : link, dir_name) == 0;
}

static int find_server(const char *proc, const char *dir_name)
{
    DIR *d;
    struct dirent *e;
    int found = 0;

    if (dir_name == NULL || *dir_name == '\0') {
        return 0;
    }
    if (server_cached > 0 && is_server(proc, server_cached, dir_name)) {
        return server_cached;
    }
    d = opendir(proc);
    if (d == NULL) {
        return 0;
    }
    while (found == 0 && (e = readdir(d)) != NULL) {
        int pid = atoi(e->d_name);
        if (pid > 0 && is_server(proc, pid, dir_name)) {
            found = pid;
        }
    }
    closedir(d);
    server_cached = found;
    return found;
}

void cpuwait_server_dir(const char *prefix, char *out, size_t cap)
{
    struct stat st;

    if (prefix == NULL || stat(prefix, &st) != 0) {
        snprintf(out, cap, "%s", "");
        return;
    }
    snprintf(out, cap, "server-%llx-%llx", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino);
}

/* The task's entry, added when new (NULL when the table is full); *fresh
 * says whether it was added now. */
static struct cpuwait_task *task_of(struct cpuwait *c, int tid, const struct cpuwait_task *now,
                                    int *fresh)
{
    *fresh = 0;
    for (size_t i = 0; i < c->count; i++) {
        if (c->task[i].tid == tid) {
            return &c->task[i];
        }
    }
    if (c->count == CPUWAIT_THREADS) {
        return NULL;
    }
    /* A thread first seen now: only what it waits from now on is counted
     * (what it waited before cannot be told from what it waited since). */
    c->task[c->count] = *now;
    c->task[c->count].tid = tid;
    c->task[c->count].credit_ns = 0;
    c->task[c->count].seen = 1;
    *fresh = 1;
    return &c->task[c->count++];
}

/* Threads not found at this look have ended: their entries are let go, so
 * that a worker that runs many syncs, each with threads of its own, never
 * fills the table. */
static void forget_ended(struct cpuwait *c)
{
    size_t kept = 0;

    for (size_t i = 0; i < c->count; i++) {
        if (c->task[i].looked == c->looks) {
            c->task[kept++] = c->task[i];
        }
    }
    c->count = kept;
}

/* The longest a thread of the worker waited since the last look, and in
 * *caller_ns what its first thread (the host's, which makes every call and
 * waits for every event: its Linux id is the process's) waited. The
 * longest, not the sum: two threads waiting at once keep the host from
 * running once, not twice. A thread first seen now counts from the next
 * look on, and one the table has no room for is not counted. */
static uint64_t threads_waited(struct cpuwait *c, uint64_t span_ns, uint64_t *caller_ns)
{
    char path[256];
    DIR *d;
    struct dirent *e;
    uint64_t most = 0;

    *caller_ns = 0;
    snprintf(path, sizeof path, "%s/%d/task", c->proc, c->pid);
    d = opendir(path);
    if (d == NULL) {
        return 0;
    }
    c->looks++;
    while ((e = readdir(d)) != NULL) {
        int tid = atoi(e->d_name), fresh;
        struct cpuwait_task now, *t;
        uint64_t w;
        if (tid <= 0 || read_task(c->proc, c->pid, tid, &now) != 0) {
            continue;
        }
        t = task_of(c, tid, &now, &fresh);
        if (t == NULL) {
            continue;
        }
        t->looked = c->looks;
        if (fresh) {
            continue;
        }
        w = task_waited(t, &now, span_ns);
        most = w > most ? w : most;
        if (tid == c->pid) {
            *caller_ns = w;
        }
    }
    closedir(d);
    forget_ended(c);
    return most;
}

static uint64_t server_waited(struct cpuwait *c, uint64_t span_ns)
{
    struct cpuwait_task now;

    if (c->server_pid <= 0 || read_task(c->proc, c->server_pid, 0, &now) != 0) {
        return 0;
    }
    return task_waited(&c->server, &now, span_ns);
}

/* The CPU time the machine's CPUs spent on anything so far (the "cpu" line
 * of <proc>/stat: user, nice, system, irq, softirq and steal; idle and
 * iowait are not), in clock ticks. Returns 0, or -1 when it cannot be read. */
static int read_busy(const char *proc, uint64_t *ticks)
{
    char path[256];
    unsigned long long v[8] = {0};
    FILE *f;
    int n;

    snprintf(path, sizeof path, "%s/stat", proc);
    f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
               &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 4) {
        return -1;
    }
    *ticks = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    return 0;
}

/* A process's CPU time so far, all its threads', ended ones too (utime and
 * stime of <proc>/<pid>/stat), in clock ticks. */
static int read_process_cpu(const char *proc, int pid, uint64_t *ticks)
{
    char path[256], line[1024];
    unsigned long long utime, stime;
    const char *rest;
    FILE *f;

    snprintf(path, sizeof path, "%s/%d/stat", proc, pid);
    f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    rest = fgets(line, sizeof line, f) != NULL ? strrchr(line, ')') : NULL;
    fclose(f);
    /* After the name: state, then ten fields before utime and stime. */
    if (rest == NULL || sscanf(rest + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                               &utime, &stime) != 2) {
        return -1;
    }
    *ticks = utime + stime;
    return 0;
}

/* The CPU time of the worker and the wineserver since the last look, in
 * clock ticks: only processes that were there at both looks count. Another
 * worker of the same run is the machine: its provider's work is a correct
 * provider's as often as not, and a sync that waits behind it did not ask
 * for that wait (with more workers than CPUs, every sync does). */
static uint64_t ours_since(struct cpuwait *c)
{
    struct cpuwait_peer now[2];
    size_t count = 0;
    uint64_t ran = 0;

    for (size_t i = 0; i < 2; i++) {
        int pid = i == 0 ? c->pid : c->server_pid;
        if (pid > 0 && read_process_cpu(c->proc, pid, &now[count].ticks) == 0) {
            now[count++].pid = pid;
        }
    }
    for (size_t i = 0; i < count; i++) {
        for (size_t k = 0; k < c->peer_count; k++) {
            if (c->peer[k].pid == now[i].pid && now[i].ticks >= c->peer[k].ticks) {
                ran += now[i].ticks - c->peer[k].ticks;
                break;
            }
        }
    }
    memcpy(c->peer, now, count * sizeof now[0]);
    c->peer_count = count;
    return ran;
}

/* The machine's share of the CPU time spent since the last look, in
 * CPUWAIT_SHARE_ONE parts: what the machine's CPUs ran that was not the
 * workers' or the wineserver's, over all they ran. A wait behind the
 * provider's own threads is theirs in the same proportion, and buys
 * nothing. Where the machine's figure cannot be read, all of a wait is
 * the machine's, as on a kernel that only counts waits. */
static uint64_t machine_share(struct cpuwait *c)
{
    uint64_t busy, ours = ours_since(c), others;
    int had = c->busy_known;

    if (read_busy(c->proc, &busy) != 0) {
        c->busy_known = 0;
        return CPUWAIT_SHARE_ONE;
    }
    others = had && busy > c->busy ? busy - c->busy : 0;
    c->busy = busy;
    c->busy_known = 1;
    if (!had) {
        return CPUWAIT_SHARE_ONE;
    }
    others = others > ours ? others - ours : 0;
    return others + ours > 0 ? others * CPUWAIT_SHARE_ONE / (others + ours) : 0;
}

void cpuwait_start(struct cpuwait *c, const char *proc, int pid, const char *server_dir_name,
                   uint64_t now_ms)
{
    uint64_t caller_ns;

    memset(c, 0, sizeof *c);
    c->proc = proc;
    c->pid = pid;
    c->start_ms = c->last_ms = now_ms;
    c->server_dir = server_dir_name;
    c->server_looked_ms = now_ms;
    c->server_pid = find_server(proc, server_dir_name);
    server_waited(c, 0);
    threads_waited(c, 0, &caller_ns);
    machine_share(c);
}

void cpuwait_stop(struct cpuwait *c)
{
    c->peer_count = 0;
}

/* A server not found yet is looked for again, now and then. */
static void look_for_server(struct cpuwait *c, uint64_t now_ms)
{
    if (c->server_pid > 0 || c->server_dir == NULL ||
        now_ms < c->server_looked_ms + CPUWAIT_LOOK_MS) {
        return;
    }
    c->server_looked_ms = now_ms;
    c->server_pid = find_server(c->proc, c->server_dir);
    if (c->server_pid > 0) {
        memset(&c->server, 0, sizeof c->server);
        server_waited(c, 0); /* counted from now on */
    }
}

/* total + part, never past limit. */
static uint64_t add_bounded(uint64_t total, uint64_t part, uint64_t limit)
{
    return total + part < limit ? total + part : limit;
}

uint64_t cpuwait_take(struct cpuwait *c, uint64_t now_ms)
{
    uint64_t span_ns = (now_ms - c->last_ms) * 1000000u, threads, server, most, limit, caller;
    uint64_t share;

    look_for_server(c, now_ms);
    threads = threads_waited(c, span_ns, &caller);
    server = server_waited(c, span_ns);
    most = threads > server ? threads : server;
    /* Whoever waited, waited for a CPU that someone else had: only the
     * part of the wait that other processes' CPU time explains is the
     * machine's (CONTRACT.md, "Deadlines"). */
    share = machine_share(c);
    most = most * share / CPUWAIT_SHARE_ONE / 1000u;
    caller = caller * share / CPUWAIT_SHARE_ONE / 1000u;
    /* Never more than the time that passed since the start. */
    limit = (now_ms - c->start_ms) * 1000u;
    c->last_ms = now_ms;
    c->starved_us = add_bounded(c->starved_us, most, limit);
    c->caller_us = add_bounded(c->caller_us, caller, limit);
    return c->starved_us;
}

uint64_t cpuwait_caller_us(const struct cpuwait *c)
{
    return c->caller_us;
}
