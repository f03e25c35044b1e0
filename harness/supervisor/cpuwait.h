/*
 * cpuwait.h: how long the machine kept a worker from running. A worker is
 * late for lack of a CPU when its threads are runnable and wait for one, or
 * when the wineserver its Wine prefix shares (which every Win32 wait, event
 * and thread start goes through) does. Linux counts both per task
 * (/proc/PID/task/TID/schedstat, the second figure: run_delay), but only
 * once the task gets a CPU: a task still queued is counted here as waiting
 * since the last look when its state is R and it had no CPU time since. A
 * worker's figure is, look by look (at most every STARVED_EVERY_MS), the
 * longest any of its threads or the server waited, credited only in the
 * machine's share of that while: the CPU time the worker's allowed CPUs
 * offered, less what its threads other than the first (the provider's)
 * took. A wait behind the provider's own threads buys it nothing. The
 * figures are added up since the worker started, never more than the time
 * that passed; a second figure counts the same of the worker's first thread
 * alone, the host's calling thread (a call's credit: callwait.h). A thread
 * first seen after the start was born since the last look and counts whole;
 * one that starts and ends between two looks is seen through the host's
 * witness thread, which waits whenever the worker's CPUs are taken
 * (harness/worker/starve.h).
 *
 * Deadlines count only the time the host could run (docs/deadlines.md): the supervisor's phase bounds (job.c) and, through
 * the ring (ring_header.starved_us), the worker's own waits. Where there is
 * no /proc (Windows), every figure is 0 and deadlines are wall-clock time.
 */
#ifndef SYNCHOST_CPUWAIT_H
#define SYNCHOST_CPUWAIT_H

#include <stddef.h>
#include <stdint.h>

/* Threads of one worker alive at once whose waits are kept apart (more are
 * not counted); threads that ended give their places up. */
#define CPUWAIT_THREADS 128u

struct cpuwait_task {
    int tid;
    int runnable;          /* its state was R (running or queued for a CPU) */
    int seen;              /* looked at before */
    unsigned look;         /* the last look that found it */
    uint64_t exec_ns;      /* time on a CPU so far */
    uint64_t run_delay_ns; /* time queued for a CPU so far, as Linux counts it */
    uint64_t credit_ns;    /* time counted as waited that run_delay has not shown yet */
};

struct cpuwait {
    const char *proc; /* "/proc", or a test's tree laid out the same way */
    int pid;          /* the worker's process */
    uint64_t starved_us;
    uint64_t caller_us; /* the same, of the host's calling thread alone */
    uint64_t start_ms, last_ms; /* when it started and was last taken, on the caller's clock */
    const char *server_dir; /* the name its server's folder has, or NULL */
    int server_pid;         /* the prefix's wineserver, 0 while none is found */
    unsigned cpus;          /* CPUs the worker may run on */
    struct cpuwait_task server;
    uint64_t server_looked_ms; /* when it was last looked for */
    unsigned look; /* looks taken at the threads so far */
    size_t count;  /* threads alive at the last look */
    struct cpuwait_task task[CPUWAIT_THREADS];
};

/* Starts the count for process pid at now_ms. server_dir_name is the name
 * Wine gives the prefix's server directory ("server-<dev>-<inode>", see
 * cpuwait_server_dir; kept, not copied), or NULL: the wineserver whose
 * working directory has that name is counted too, from when it is found
 * (it may start after the worker: it is looked for again every
 * CPUWAIT_LOOK_MS until it is). */
#define CPUWAIT_LOOK_MS 1000u
void cpuwait_start(struct cpuwait *c, const char *proc, int pid, const char *server_dir_name,
                   uint64_t now_ms);

/* The worker has ended: the count is over (the figures stay readable). */
void cpuwait_stop(struct cpuwait *c);

/* Takes the figure again at now_ms: microseconds the worker was kept from
 * running since cpuwait_start (monotonic; threads that ended keep what
 * they waited). */
uint64_t cpuwait_take(struct cpuwait *c, uint64_t now_ms);

/* The part of that figure its calling thread waited, as of the last take:
 * what kept the host's own calls from running (a call's duration is
 * credited with this alone). */
uint64_t cpuwait_caller_us(const struct cpuwait *c);

/* The name of the server directory Wine uses for the prefix at path
 * ("server-fe00-a9621c"); "" when path cannot be looked at. */
void cpuwait_server_dir(const char *prefix, char *out, size_t cap);

#endif /* SYNCHOST_CPUWAIT_H */
