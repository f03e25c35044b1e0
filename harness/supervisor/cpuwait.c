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

/* How many CPUs process pid may run on: its status's Cpus_allowed_list
 * ("0-3,6"), or every CPU online when that cannot be read. */
static unsigned allowed_cpus(const char *proc, int pid)
{
    char path[256], line[512];
    unsigned count = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/%d/status", proc, pid);
    f = fopen(path, "r");
    while (f != NULL && count == 0 && fgets(line, sizeof line, f) != NULL) {
        const char *p = line + strlen("Cpus_allowed_list:");
        if (strncmp(line, "Cpus_allowed_list:", strlen("Cpus_allowed_list:")) != 0) {
            continue;
        }
        while (*p != '\0' && *p != '\n') {
            char *end;
            unsigned long lo = strtoul(p, &end, 10), hi = lo;
            if (end == p) {
                p++; /* a space or a comma */
                continue;
            }
            if (*end == '-') {
                const char *from = end + 1;
                hi = strtoul(from, &end, 10);
                if (end == from || hi < lo) {
                    hi = lo;
                }
            }
            count += hi - lo + 1 < 4096 ? (unsigned)(hi - lo + 1) : 4096u;
            p = end;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    if (count == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        count = online > 0 ? (unsigned)online : 1u;
    }
    return count;
}

/* The task's entry, added when new (NULL when the table is full). A thread
 * first seen at the start counts from then on: what it waited before cannot
 * be told from what it waited since. One first seen at a later look was
 * born since the one before (its id is new in the process), so all it has
 * waited falls inside the span: it counts whole (a provider's thread that
 * starts and is starved between two looks is what keeps it from
 * signalling). */
static struct cpuwait_task *task_of(struct cpuwait *c, int tid, const struct cpuwait_task *now,
                                    int started)
{
    for (size_t i = 0; i < c->count; i++) {
        if (c->task[i].tid == tid) {
            return &c->task[i];
        }
    }
    if (c->count == CPUWAIT_THREADS) {
        return NULL;
    }
    memset(&c->task[c->count], 0, sizeof c->task[c->count]);
    if (!started) {
        c->task[c->count] = *now;
        c->task[c->count].credit_ns = 0;
        c->task[c->count].seen = 1;
    }
    c->task[c->count].tid = tid;
    return &c->task[c->count++];
}

/* Threads not found at this look have ended: what they waited was counted,
 * and their places go to the threads a long-lived worker starts later. */
static void drop_ended(struct cpuwait *c, unsigned look)
{
    size_t kept = 0;

    for (size_t i = 0; i < c->count; i++) {
        if (c->task[i].look == look) {
            c->task[kept++] = c->task[i];
        }
    }
    c->count = kept;
}

/* The longest a thread of the worker waited since the last look, in
 * *caller_ns what its first thread (the host's, which makes every call:
 * its Linux id is the process's) waited, and in *own_ns the CPU time its
 * other threads (the provider's) had. The
 * longest, not the sum: two threads waiting at once keep the host from
 * running once, not twice. */
static uint64_t threads_waited(struct cpuwait *c, uint64_t span_ns, uint64_t *caller_ns,
                               uint64_t *own_ns, int started)
{
    char path[256];
    DIR *d;
    struct dirent *e;
    uint64_t most = 0;

    *caller_ns = 0;
    *own_ns = 0;
    snprintf(path, sizeof path, "%s/%d/task", c->proc, c->pid);
    d = opendir(path);
    if (d == NULL) {
        return 0;
    }
    c->look++;
    while ((e = readdir(d)) != NULL) {
        int tid = atoi(e->d_name);
        struct cpuwait_task now, *t;
        uint64_t w;
        if (tid <= 0 || read_task(c->proc, c->pid, tid, &now) != 0) {
            continue;
        }
        t = task_of(c, tid, &now, started);
        if (t == NULL) {
            continue;
        }
        t->look = c->look;
        if (tid != c->pid && now.exec_ns > t->exec_ns) {
            *own_ns += now.exec_ns - t->exec_ns; /* the provider's threads' CPU time */
        }
        w = task_waited(t, &now, span_ns);
        most = w > most ? w : most;
        if (tid == c->pid) {
            *caller_ns = w; /* the host's calling thread: its id is the process's */
        }
    }
    closedir(d);
    drop_ended(c, c->look);
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

void cpuwait_start(struct cpuwait *c, const char *proc, int pid, const char *server_dir_name,
                   uint64_t now_ms)
{
    uint64_t caller_ns, own_ns;

    memset(c, 0, sizeof *c);
    c->proc = proc;
    c->pid = pid;
    c->start_ms = c->last_ms = now_ms;
    c->server_dir = server_dir_name;
    c->server_looked_ms = now_ms;
    c->server_pid = find_server(proc, server_dir_name);
    server_waited(c, 0);
    c->cpus = allowed_cpus(proc, pid);
    threads_waited(c, 0, &caller_ns, &own_ns, 0);
}

void cpuwait_stop(struct cpuwait *c)
{
    (void)c; /* nothing is kept per worker beyond the figures */
}

uint64_t cpuwait_caller_us(const struct cpuwait *c)
{
    return c->caller_us;
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

/* The machine's share of the CPU time the worker could have had in a span
 * (0 to 1): what its CPUs offered less what the provider's own threads
 * took, over what they offered. A wait behind the provider's own threads
 * is the provider's, and buys it nothing; a wait while they took little is
 * the machine's. */
static double machine_share(const struct cpuwait *c, uint64_t span_ns, uint64_t own_ns)
{
    uint64_t offered = span_ns * c->cpus;

    if (offered == 0) {
        return 1.0;
    }
    return own_ns >= offered ? 0.0 : (double)(offered - own_ns) / (double)offered;
}

uint64_t cpuwait_take(struct cpuwait *c, uint64_t now_ms)
{
    uint64_t span_ns = (now_ms - c->last_ms) * 1000000u, threads, server, most, limit, caller;
    uint64_t own;
    double share;

    look_for_server(c, now_ms);
    threads = threads_waited(c, span_ns, &caller, &own, 1);
    server = server_waited(c, span_ns);
    share = machine_share(c, span_ns, own);
    most = (uint64_t)((double)((threads > server ? threads : server) / 1000u) * share + 0.5);
    caller = (uint64_t)((double)(caller / 1000u) * share + 0.5);
    /* Never more than the time that passed since the start. */
    limit = (now_ms - c->start_ms) * 1000u;
    c->last_ms = now_ms;
    c->starved_us = c->starved_us + most < limit ? c->starved_us + most : limit;
    c->caller_us = c->caller_us + caller < limit ? c->caller_us + caller : limit;
    return c->starved_us;
}
