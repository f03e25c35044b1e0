/* test_cpuwait.c: the supervisor's measure of how long the machine kept a
 * worker from running (harness/supervisor/cpuwait.h), on a /proc tree laid
 * out in a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpuwait.h"

static char root[256];

static void put(const char *rel, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", root, rel);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void dir(const char *rel)
{
    char path[512];

    snprintf(path, sizeof path, "%s/%s", root, rel);
    assert_int_equal(mkdir(path, 0700), 0);
}

/* Writes a task's schedstat (on-CPU and queued time) and stat (its state). */
static void task_files(const char *dir, int id, unsigned long long exec_ns, unsigned ms,
                       char state)
{
    char rel[384], text[128];

    snprintf(rel, sizeof rel, "%s/schedstat", dir);
    snprintf(text, sizeof text, "%llu %llu 3\n", exec_ns, (unsigned long long)ms * 1000000ull);
    put(rel, text);
    snprintf(rel, sizeof rel, "%s/stat", dir);
    snprintf(text, sizeof text, "%d (a (b) c) %c 1 2 3\n", id, state);
    put(rel, text);
}

/* Task tid of process 100 has had exec_us of CPU time and waited ms
 * milliseconds so far, and is asleep (state S). */
static void task_ran(int tid, unsigned long long exec_us, unsigned ms)
{
    char rel[384];

    snprintf(rel, sizeof rel, "%s/100/task/%d", root, tid);
    mkdir(rel, 0700); /* there already when the task waited before */
    snprintf(rel, sizeof rel, "100/task/%d", tid);
    task_files(rel, tid, exec_us * 1000ull, ms, 'S');
}

/* Task tid of process 100 has waited ms milliseconds, and is asleep (state
 * S) with a microsecond of CPU time: a thread that waits and hardly runs,
 * as the host's do. */
static void task(int tid, unsigned ms)
{
    task_ran(tid, 1, ms);
}

/* Task tid is queued for a CPU (state R) and has had none since exec_ns. */
static void queued(int tid, unsigned long long exec_ns, unsigned ms)
{
    char rel[384];

    snprintf(rel, sizeof rel, "%s/100/task/%d", root, tid);
    mkdir(rel, 0700); /* there already when the task was looked at before */
    snprintf(rel, sizeof rel, "100/task/%d", tid);
    task_files(rel, tid, exec_ns, ms, 'R');
}

static void gone(int tid)
{
    char path[512];

    snprintf(path, sizeof path, "%s/100/task/%d/schedstat", root, tid);
    assert_int_equal(unlink(path), 0);
    snprintf(path, sizeof path, "%s/100/task/%d/stat", root, tid);
    assert_int_equal(unlink(path), 0);
    snprintf(path, sizeof path, "%s/100/task/%d", root, tid);
    assert_int_equal(rmdir(path), 0);
}

static void server(unsigned ms)
{
    static unsigned long long exec = 1000;

    task_files("200", 200, exec += 1000, ms, 'S');
}

static int setup(void **state)
{
    char link[512];

    (void)state;
    snprintf(root, sizeof root, "/tmp/synchost-cpuwait-XXXXXX");
    assert_non_null(mkdtemp(root));
    dir("100");
    dir("100/task");
    dir("200");
    dir("server-fe00-1f");
    put("200/comm", "wineserver64\n");
    snprintf(link, sizeof link, "%s/200/cwd", root);
    {
        char target[512];
        snprintf(target, sizeof target, "%s/server-fe00-1f", root);
        assert_int_equal(symlink(target, link), 0);
    }
    dir("300");
    put("300/comm", "bash\n");
    return 0;
}

static int teardown(void **state)
{
    char cmd[600];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* Only what the threads there at the start waited after it counts; a
 * thread that ended keeps what it waited; a thread that appears later was
 * born since the last look, so all it waited counts. */
static void test_threads(void **state)
{
    struct cpuwait c;

    (void)state;
    task(101, 50);
    task(102, 10);
    server(0);
    cpuwait_start(&c, root, 100, NULL, 1000);
    assert_int_equal(c.server_pid, 0);
    task(101, 80); /* +30 */
    task(102, 15); /* +5: at the same time, so not counted twice */
    assert_int_equal(cpuwait_take(&c, 2000), 30000);
    gone(101);
    task(103, 400); /* born and kept waiting since the last look: +400 */
    assert_int_equal(cpuwait_take(&c, 3000), 430000);
    task(103, 420); /* +20 */
    assert_int_equal(cpuwait_take(&c, 4000), 450000);
}

/* A pooled worker starts a thread a sync, far more than the table holds
 * over its life: threads that ended give their places up, so the wait of
 * a thread started after hundreds of others still counts. */
static void test_many_threads_over_time(void **state)
{
    struct cpuwait c;
    uint64_t ms = 1000;

    (void)state;
    task(100, 0);
    cpuwait_start(&c, root, 100, NULL, ms);
    for (int tid = 1000; tid < 1000 + 3 * (int)CPUWAIT_THREADS; tid++) {
        task(tid, 0);
        assert_int_equal(cpuwait_take(&c, ms += 10), 0);
        gone(tid);
    }
    assert_int_equal(cpuwait_take(&c, ms += 10), 0);
    assert_int_equal(c.count, 1); /* the first thread alone */
    task(5000, 700);
    assert_int_equal(cpuwait_take(&c, ms += 1000), 700000);
}

/* The prefix's wineserver is found by its working folder's name, and what
 * it waited counts too. */
static void test_server(void **state)
{
    struct cpuwait c;

    (void)state;
    task(101, 0);
    server(70);
    cpuwait_start(&c, root, 100, "server-fe00-1f", 0);
    assert_int_equal(c.server_pid, 200);
    server(100); /* +30 */
    task(101, 12); /* +12, at the same time */
    assert_int_equal(cpuwait_take(&c, 1000), 30000);

    cpuwait_start(&c, root, 100, "server-fe00-20", 0); /* another prefix's */
    assert_int_equal(c.server_pid, 0);
}

/* A server that starts after the worker is found at a later take, and
 * counted from then on. */
static void test_server_later(void **state)
{
    struct cpuwait c;

    (void)state;
    task(101, 0);
    server(500);
    cpuwait_start(&c, root, 100, "server-fe00-1f", 0);
    assert_int_equal(c.server_pid, 200);
    c.server_pid = 0; /* as if it had not started yet */
    server(600);
    assert_int_equal(cpuwait_take(&c, 100), 0); /* not looked for again so soon */
    assert_int_equal(c.server_pid, 0);
    assert_int_equal(cpuwait_take(&c, 100 + CPUWAIT_LOOK_MS), 0);
    assert_int_equal(c.server_pid, 200);
    server(650); /* +50 */
    assert_int_equal(cpuwait_take(&c, 200 + CPUWAIT_LOOK_MS), 50000);
}

/* A figure never grows past the time that passed since the start. */
static void test_bounded_by_time(void **state)
{
    struct cpuwait c;

    (void)state;
    task(101, 0);
    server(0);
    cpuwait_start(&c, root, 100, "server-fe00-1f", 0);
    task(101, 90);
    server(60);
    assert_int_equal(cpuwait_take(&c, 100), 90000);
    task(101, 400); /* a wait Linux shows late, longer than the time left */
    assert_int_equal(cpuwait_take(&c, 150), 150000);
}

/* A thread still queued for a CPU shows no wait yet in run_delay: it is
 * counted as waiting while it stays runnable with no CPU time, and the
 * jump in run_delay when it runs is not counted again. */
static void test_queued_now(void **state)
{
    struct cpuwait c;

    (void)state;
    queued(101, 1000, 0); /* runnable, about to run */
    server(0);
    cpuwait_start(&c, root, 100, NULL, 0);
    queued(101, 1000, 0); /* no CPU time since: it waited these 50 ms */
    assert_int_equal(cpuwait_take(&c, 50), 50000);
    queued(101, 1000, 0);
    assert_int_equal(cpuwait_take(&c, 100), 100000);
    task(101, 120); /* it ran: 120 ms shown at once, 100 of them counted already */
    assert_int_equal(cpuwait_take(&c, 150), 120000);
    queued(101, 7000, 120); /* runnable, but it had CPU time since: not counted */
    assert_int_equal(cpuwait_take(&c, 200), 120000);
}

/* The calling thread's own wait (its Linux id is the process's) is kept
 * apart: a provider thread's longer wait does not make the call slower. */
static void test_caller(void **state)
{
    struct cpuwait c;

    (void)state;
    task(100, 0);
    task(101, 0);
    cpuwait_start(&c, root, 100, NULL, 0);
    task(100, 5);
    task(101, 45);
    assert_int_equal(cpuwait_take(&c, 50), 45000);
    assert_int_equal(cpuwait_caller_us(&c), 5000);
    cpuwait_stop(&c);
}

/* Waits are credited only in the machine's share of the CPU time the
 * worker's CPUs offered: a wait behind the provider's own spinning threads
 * buys nothing, one while they took half of it buys half, one while they
 * took none buys all. Two CPUs allowed (status), a span of 100 ms. */
static void test_own_threads_buy_nothing(void **state)
{
    struct cpuwait c;

    (void)state;
    put("100/status", "Name:\tworker\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n");
    task_ran(100, 1000, 0);
    task_ran(101, 0, 0);
    task_ran(102, 0, 0);
    cpuwait_start(&c, root, 100, NULL, 0);
    assert_int_equal(c.cpus, 2);
    /* The provider's two threads ran on both CPUs the whole span; the
     * host's waited 80 ms of it behind them. */
    task_ran(100, 1000, 80);
    task_ran(101, 100000, 20);
    task_ran(102, 100000, 20);
    assert_int_equal(cpuwait_take(&c, 100), 0);
    assert_int_equal(cpuwait_caller_us(&c), 0);
    /* They took half of what the CPUs offered. */
    task_ran(100, 1000, 160);
    task_ran(101, 150000, 20);
    task_ran(102, 150000, 20);
    assert_int_equal(cpuwait_take(&c, 200), 40000);
    assert_int_equal(cpuwait_caller_us(&c), 40000);
    /* They took none: the wait is the machine's. */
    task_ran(100, 1000, 240);
    assert_int_equal(cpuwait_take(&c, 300), 120000);
}

/* The CPUs a worker may run on are read from its status, in ranges. */
static void test_allowed_cpus(void **state)
{
    struct cpuwait c;

    (void)state;
    task(100, 0);
    put("100/status", "Cpus_allowed_list:\t0,2-4,7\n");
    cpuwait_start(&c, root, 100, NULL, 0);
    assert_int_equal(c.cpus, 5);
    put("100/status", "Cpus_allowed_list:\t3\n");
    cpuwait_start(&c, root, 100, NULL, 0);
    assert_int_equal(c.cpus, 1);
}

/* A process that is gone (or a machine with no /proc) gives 0, and no
 * failure. */
static void test_missing(void **state)
{
    struct cpuwait c;

    (void)state;
    cpuwait_start(&c, "/nonexistent-proc", 100, "server-fe00-1f", 0);
    assert_int_equal(cpuwait_take(&c, 500), 0);
}

static void test_server_dir(void **state)
{
    char name[64];
    struct stat st;

    (void)state;
    assert_int_equal(stat(root, &st), 0);
    cpuwait_server_dir(root, name, sizeof name);
    assert_int_equal(strncmp(name, "server-", 7), 0);
    cpuwait_server_dir("/nonexistent-prefix", name, sizeof name);
    assert_string_equal(name, "");
}

#include "test_cpuwait.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
