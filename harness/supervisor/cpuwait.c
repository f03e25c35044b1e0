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

/* run_delay of one task, from "<proc>/<pid>/task/<tid>/schedstat" or, with
 * tid 0, "<proc>/<pid>/schedstat". Returns 0, or -1 when it cannot be read. */
static int read_run_delay(const char *proc, int pid, int tid, uint64_t *ns)
{
    char path[256];
    unsigned long long on_cpu, waited;
    FILE *f;
    int n;

    if (tid != 0) {
        snprintf(path, sizeof path, "%s/%d/task/%d/schedstat", proc, pid, tid);
    } else {
        snprintf(path, sizeof path, "%s/%d/schedstat", proc, pid);
    }
    f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    n = fscanf(f, "%llu %llu", &on_cpu, &waited);
    fclose(f);
    if (n != 2) {
        return -1;
    }
    *ns = waited;
    return 0;
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

/* The task's entry, added when new (NULL when the table is full). */
static struct cpuwait_task *task_of(struct cpuwait *c, int tid, uint64_t ns)
{
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
    c->task[c->count] = (struct cpuwait_task){tid, ns};
    return &c->task[c->count++];
}

/* Nanoseconds the worker's threads waited since they were last looked at. */
static uint64_t threads_waited(struct cpuwait *c)
{
    char path[256];
    DIR *d;
    struct dirent *e;
    uint64_t sum = 0, ns;

    snprintf(path, sizeof path, "%s/%d/task", c->proc, c->pid);
    d = opendir(path);
    if (d == NULL) {
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        int tid = atoi(e->d_name);
        struct cpuwait_task *t;
        if (tid <= 0 || read_run_delay(c->proc, c->pid, tid, &ns) != 0 ||
            (t = task_of(c, tid, ns)) == NULL) {
            continue;
        }
        sum += ns > t->run_delay_ns ? ns - t->run_delay_ns : 0;
        t->run_delay_ns = ns;
    }
    closedir(d);
    return sum;
}

static uint64_t server_waited(struct cpuwait *c)
{
    uint64_t ns, d;

    if (c->server_pid <= 0 || read_run_delay(c->proc, c->server_pid, 0, &ns) != 0) {
        return 0;
    }
    d = ns > c->server_ns ? ns - c->server_ns : 0;
    c->server_ns = ns;
    return d;
}

void cpuwait_start(struct cpuwait *c, const char *proc, int pid, const char *server_dir_name,
                   uint64_t now_ms)
{
    memset(c, 0, sizeof *c);
    c->proc = proc;
    c->pid = pid;
    c->last_ms = now_ms;
    c->server_dir = server_dir_name;
    c->server_looked_ms = now_ms;
    c->server_pid = find_server(proc, server_dir_name);
    server_waited(c);
    threads_waited(c);
}

/* A server not found yet is looked for again, now and then. */
static void look_for_server(struct cpuwait *c, uint64_t now_ms)
{
    if (c->server_pid > 0 || c->server_dir == NULL || now_ms < c->server_looked_ms + CPUWAIT_LOOK_MS) {
        return;
    }
    c->server_looked_ms = now_ms;
    c->server_pid = find_server(c->proc, c->server_dir);
    if (c->server_pid > 0) {
        server_waited(c); /* counted from now on */
    }
}

uint64_t cpuwait_take(struct cpuwait *c, uint64_t now_ms)
{
    look_for_server(c, now_ms);
    uint64_t waited_us = (threads_waited(c) + server_waited(c)) / 1000u;
    uint64_t span_us = (now_ms - c->last_ms) * 1000u;

    c->last_ms = now_ms;
    c->starved_us += waited_us < span_us ? waited_us : span_us;
    return c->starved_us;
}
