/* test_scenario_inputs.c: the scenario loader against inputs built to hurt
 * it: alias bombs, binary files, files that are not files, and errors that
 * must be cut to the token at fault. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "scenario/scenario.h"
#include "scenario_fixture.h"

static void test_never_crashes_on_odd_input(void **state)
{
    static const char *const inputs[] = {
        "&a [*a]",
        "&a {name: x, sync: *a}",
        "&r {scenarios: [*r]}",
        "name: x\nexpect: &e {done: *e}",
        "? [a]\n: b",
        "!!binary name: x",
        "name: !!int 5",
        "%YAML 1.1\n---\nname: x",
        "{",
        "\xef\xbb\xbfname: bom",
        ":",
        "- - - -",
        "name: x\nrules: {skip: [\"\"]}",
    };
    struct scenario_list list = {0};
    struct scenario_error err;
    char *deep;

    (void)state;
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        int rc = scenario_load_buffer("t", NULL, inputs[i], strlen(inputs[i]), &list, &err);
        if (rc != 0) {
            assert_true(err.line >= 1);
            assert_true(err.message[0] != '\0');
        }
    }
    scenario_list_free(&list);
    /* Deep nesting is refused early (libyaml is slow on it). */
    deep = malloc(200001);
    assert_non_null(deep);
    memset(deep, '[', 100000);
    memset(deep + 100000, ']', 100000);
    deep[200000] = '\0';
    assert_int_equal(scenario_load_buffer("t", NULL, deep, 200000, &list, &err), -1);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 33);
    assert_string_equal(err.message, "nested more than 32 levels deep; no scenario needs that");
    free(deep);
    /* Too big is refused before parsing. */
    deep = malloc((size_t)2 << 20);
    assert_non_null(deep);
    memset(deep, 'a', (size_t)2 << 20);
    assert_int_equal(scenario_load_buffer("t", NULL, deep, (size_t)2 << 20, &list, &err), -1);
    assert_int_equal(err.line, 0);
    assert_string_equal(err.message, "too large for a scenario file: 2097152 bytes, more than the limit of "
                                     "1048576 bytes");
    assert_int_equal(list.count, 0);
    free(deep);
}

/* A buffer of n bytes, for building large inputs. */
struct text {
    char *p;
    size_t len, cap;
};

static void text_add(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void text_adds(struct text *t, const char *s)
{
    text_add(t, s, strlen(s));
}

static void text_addf(struct text *t, const char *fmt, unsigned n)
{
    char buf[128];
    int w = snprintf(buf, sizeof buf, fmt, n);
    text_add(t, buf, (size_t)w);
}

/* Loads t, expecting a refusal with message (prefix) at line:col, quickly. */
static void bomb_refused(const struct text *t, unsigned eline, unsigned ecol, const char *prefix)
{
    struct scenario_list list = {0};
    struct scenario_error err;
    char msg[1200];
    clock_t t0 = clock();
    double cpu;

    assert_true(t->len <= 1024 * 1024);
    assert_int_equal(scenario_load_buffer("t.yaml", NULL, t->p, t->len, &list, &err), -1);
    cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("# %s (%.3f s CPU)\n", scenario_error_format(&err, msg, sizeof msg), cpu);
    assert_int_equal(strncmp(err.message, prefix, strlen(prefix)), 0);
    assert_int_equal(err.line, eline);
    assert_int_equal(err.col, ecol);
    assert_int_equal(list.count, 0);
    /* It took 14 s and 3.5 GB before the expanded size was bounded. */
    assert_true(cpu < 1.0);
}

#define BYTES_BOMB "too large once its aliases are expanded: more than 16777216 bytes of text"
#define NODES_BOMB "too large once its aliases are expanded: more than 1048576 YAML nodes"

/* t anew: a first scenario whose value anchored in head is n copies of unit
 * (unit_len bytes), then tail; then 4095 scenarios each its alias (alias: a
 * line with %u for the scenario's number). */
static void aliased_scenarios(struct text *t, const char *head, const char *unit, size_t unit_len,
                              int n, const char *tail, const char *alias)
{
    t->len = 0;
    text_adds(t, head);
    for (int i = 0; i < n; i++) {
        text_add(t, unit, unit_len);
    }
    text_adds(t, tail);
    for (unsigned i = 1; i < 4096; i++) {
        text_addf(t, alias, i);
    }
}

/* Aliases are bounded by what they expand to, not by how many there are. */
static void test_alias_bombs(void **state)
{
    struct text t = {0};
    char chunk[1024];

    (void)state;
    /* The report's file: a 1 MB anchored description used 4095 times. */
    memset(chunk, 'x', sizeof chunk);
    aliased_scenarios(&t, "scenarios:\n- name: s0\n  description: &d ", chunk, sizeof chunk, 850,
                      "\n", "- {name: s%u, description: *d}\n");
    bomb_refused(&t, 2, 1, BYTES_BOMB);
    /* A long anchored list of flags, used in every scenario. */
    aliased_scenarios(&t, "scenarios:\n- name: s0\n  sync: {flags: &f [1", ",1", 2, 100000, "]}\n",
                      "- {name: s%u, sync: {flags: *f}}\n");
    bomb_refused(&t, 2, 1, NODES_BOMB);
    /* Billion laughs: lists of aliases of lists of aliases. */
    t.len = 0;
    text_adds(&t, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (unsigned i = 1; i < 10; i++) {
        text_addf(&t, "a%u: ", i);
        text_addf(&t, "&a%u [", i);
        for (int k = 0; k < 10; k++) {
            text_addf(&t, k == 0 ? "*a%u" : ", *a%u", i - 1);
        }
        text_adds(&t, "]\n");
    }
    bomb_refused(&t, 6, 5, NODES_BOMB); /* a5: 1,111,111 nodes */
    free(t.p);
    /* An alias inside what it names is a cycle, refused wherever it is. */
    LOAD_FAILS("name: x\nexpect: &e {done: *e}\n", 2, 9,
               "an alias to the mapping at 2:9 inside that mapping itself (a cycle)");
    LOAD_FAILS("name: x\nsync: {flags: &l [1, [2, *l]]}\n", 2, 22,
               "an alias to the list at 2:15 inside that list itself (a cycle)");
}

/* A DLL (or any binary) given as a scenario file is named as such. */
static void test_binary_is_refused(void **state)
{
    static const char dll[] = "MZ\x90\0\x03\0\0\0\x04\0";
    static const char gz[] = "\x1f\x8b\x08\0\0\0";
    static const char late[] = "name: a\ndescription: b\0c\n";
    static const char text[] = "name: x\n";
    char utf16[2 + 2 * (sizeof text - 1)];
    struct scenario_list list = {0};
    struct scenario_error err;

    (void)state;
    assert_int_equal(scenario_load_buffer("t.yaml", NULL, dll, sizeof dll - 1, &list, &err), -1);
    assert_string_equal(err.message, "binary data (a NUL byte at offset 3), not a scenario file: "
                                     "scenario files are YAML text (this looks like a DLL or a "
                                     "program: an MZ header)");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 3); /* characters: 0x90 continues the 'Z' */
    assert_int_equal(scenario_load_buffer("t.yaml", NULL, gz, sizeof gz - 1, &list, &err), -1);
    assert_string_equal(err.message, "binary data (a NUL byte at offset 3), not a scenario file: "
                                     "scenario files are YAML text");
    assert_int_equal(err.col, 3);
    assert_int_equal(scenario_load_buffer("t.yaml", NULL, late, sizeof late - 1, &list, &err), -1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 15);
    assert_int_equal(list.count, 0);
    /* UTF-16 with a byte order mark is text (libyaml reads it). */
    utf16[0] = '\xff';
    utf16[1] = '\xfe';
    for (size_t i = 0; i < sizeof text - 1; i++) {
        utf16[2 + 2 * i] = text[i];
        utf16[3 + 2 * i] = '\0';
    }
    assert_int_equal(scenario_load_buffer("t.yaml", NULL, utf16, sizeof utf16, &list, &err), 0);
    assert_string_equal(list.items[0].name, "x");
    scenario_list_free(&list);
}

static void test_files(void **state)
{
    char dir[] = "/tmp/synchost-test-scenario-XXXXXX";
    char path[256], msg[1200];
    struct scenario_list list = {0};
    struct scenario_error err;
    FILE *fp;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("name: from-a-file\nprovider: {path: p.dll}\nsettle_ms: x\n", fp);
    fclose(fp);
    assert_int_equal(scenario_load_file(path, &list, &err), -1);
    snprintf(msg, sizeof msg,
             "%s:3:12: settle_ms: expected a whole number of milliseconds, "
             "got 'x'",
             path);
    {
        char got[1200];
        assert_string_equal(scenario_error_format(&err, got, sizeof got), msg);
    }
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("name: from-a-file\nprovider: {path: p.dll}\n", fp);
    fclose(fp);
    assert_int_equal(scenario_load_file(path, &list, &err), 0);
    snprintf(msg, sizeof msg, "%s/p.dll", dir);
    assert_string_equal(list.items[0].provider_path, msg);
    assert_string_equal(list.items[0].file, path);
    scenario_list_free(&list);
    remove(path);

    assert_int_equal(scenario_load_file(path, &list, &err), -1);
    assert_int_equal(err.line, 0);
    assert_string_equal(err.message, "cannot read: No such file or directory");
    snprintf(msg, sizeof msg, "%s: cannot read: No such file or directory", path);
    {
        char got[1200];
        assert_string_equal(scenario_error_format(&err, got, sizeof got), msg);
    }
    assert_int_equal(scenario_load_file(dir, &list, &err), -1);
    assert_string_equal(err.message, "cannot read: Is a directory");
    rmdir(dir);

    /* A file name without a folder resolves against ".". */
    assert_int_equal(chdir("/tmp"), 0);
    fp = fopen("synchost-test-scenario-here.yaml", "w");
    assert_non_null(fp);
    fputs("name: here\nprovider: {path: p.dll}\n", fp);
    fclose(fp);
    assert_int_equal(scenario_load_file("synchost-test-scenario-here.yaml", &list, &err), 0);
    assert_string_equal(list.items[0].provider_path, "./p.dll");
    scenario_list_free(&list);
    remove("synchost-test-scenario-here.yaml");
}

static void test_error_format_truncates(void **state)
{
    struct scenario_error err = {"f.yaml", 3, 4, "bad"};
    char buf[10];

    (void)state;
    assert_string_equal(scenario_error_format(&err, buf, sizeof buf), "f.yaml:3:");
    buf[0] = 'x';
    scenario_error_format(&err, buf, 0);
    assert_int_equal(buf[0], 'x');
}

#include "test_scenario_inputs.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests_name("scenario-inputs", tests, NULL, NULL);
}
