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

/* Task tid of process 100 has waited ms milliseconds. */
static void task(int tid, unsigned ms)
{
    char rel[384], text[64];

    snprintf(rel, sizeof rel, "%s/100/task/%d", root, tid);
    mkdir(rel, 0700); /* there already when the task waited before */
    snprintf(rel, sizeof rel, "100/task/%d/schedstat", tid);
    snprintf(text, sizeof text, "5000 %llu 3\n", (unsigned long long)ms * 1000000ull);
    put(rel, text);
}

static void gone(int tid)
{
    char path[512];

    snprintf(path, sizeof path, "%s/100/task/%d/schedstat", root, tid);
    assert_int_equal(unlink(path), 0);
    snprintf(path, sizeof path, "%s/100/task/%d", root, tid);
    assert_int_equal(rmdir(path), 0);
}

static void server(unsigned ms)
{
    char text[64];

    snprintf(text, sizeof text, "1 %llu 1\n", (unsigned long long)ms * 1000000ull);
    put("200/schedstat", text);
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

/* Only what the threads waited after the start counts; a thread that ended
 * keeps what it waited; a thread that appears counts from then on. */
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
    task(102, 15); /* +5 */
    assert_int_equal(cpuwait_take(&c, 2000), 35000);
    gone(101);
    task(103, 400); /* first seen: nothing yet */
    assert_int_equal(cpuwait_take(&c, 3000), 35000);
    task(103, 420); /* +20 */
    assert_int_equal(cpuwait_take(&c, 4000), 55000);
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
    task(101, 12); /* +12 */
    assert_int_equal(cpuwait_take(&c, 1000), 42000);

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

/* A figure never grows by more than the time that passed (two threads
 * waiting at once are one wait for the host). */
static void test_bounded_by_time(void **state)
{
    struct cpuwait c;

    (void)state;
    task(101, 0);
    task(102, 0);
    server(0);
    cpuwait_start(&c, root, 100, "server-fe00-1f", 0);
    task(101, 90);
    task(102, 90);
    server(90);
    assert_int_equal(cpuwait_take(&c, 100), 100000);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_server, setup, teardown),
        cmocka_unit_test_setup_teardown(test_server_later, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bounded_by_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_server_dir, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
