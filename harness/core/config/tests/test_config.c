/* test_config.c: synchost.yaml read strictly (config.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"

static int load(const char *text, struct config *c, char *err, size_t cap)
{
    return config_load("synchost.yaml", text, strlen(text), c, err, cap);
}

/* The text must be refused with exactly this message. */
static void refused(const char *text, const char *message, const char *file, int line)
{
    struct config c;
    char err[1024] = "";

    _assert_int_equal(load(text, &c, err, sizeof err), -1, file, line);
    _assert_string_equal(err, message, file, line);
    config_free(&c);
}
#define REFUSED(text, message) refused((text), (message), __FILE__, __LINE__)

static void test_everything(void **state)
{
    static const char text[] = "# a project's settings\n"
                               "options:\n"
                               "  level: pedantic\n"
                               "  jobs: 8\n"
                               "  heap-check: true\n"
                               "  filter: 'true'\n"
                               "skip:\n"
                               "  - rule: progress-monotonic\n"
                               "    reason: \"bug 1234: restarts per folder\"\n"
                               "  - {rule: done-last, reason: vendor SDK}\n"
                               "scenarios:\n"
                               "  download-contents:\n"
                               "    timeout_ms: 20000\n"
                               "    shutdown_timeout_ms: 7000\n"
                               "  on-demand: {load_timeout_ms: 30000}\n";
    struct config c;
    char err[512] = "";

    (void)state;
    assert_int_equal(load(text, &c, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_string_equal(c.path, "synchost.yaml");
    assert_int_equal(c.option_count, 4);
    assert_string_equal(c.options[0].name, "level");
    assert_string_equal(c.options[0].value, "pedantic");
    assert_int_equal(c.options[0].line, 3);
    assert_int_equal(c.options[0].col, 3);
    assert_int_equal(c.options[0].value_col, 10);
    assert_string_equal(c.options[1].value, "8");
    assert_true(c.options[2].plain);
    assert_string_equal(c.options[2].value, "true");
    assert_false(c.options[3].plain); /* quoted: the text "true", not a flag */
    assert_int_equal(c.skip_count, 2);
    assert_string_equal(c.skips[0].rule, "progress-monotonic");
    assert_string_equal(c.skips[0].reason, "bug 1234: restarts per folder");
    assert_int_equal(c.skips[0].line, 8);
    assert_int_equal(c.skips[0].col, 5);
    assert_string_equal(c.skips[1].reason, "vendor SDK");
    assert_int_equal(c.scenario_count, 2);
    assert_non_null(config_find_scenario(&c, "download-contents"));
    assert_int_equal(config_find_scenario(&c, "download-contents")->timeout_ms, 20000);
    assert_int_equal(config_find_scenario(&c, "download-contents")->load_timeout_ms, 0);
    assert_int_equal(config_find_scenario(&c, "download-contents")->shutdown_timeout_ms, 7000);
    assert_int_equal(config_find_scenario(&c, "on-demand")->load_timeout_ms, 30000);
    assert_null(config_find_scenario(&c, "headers-only"));
    config_free(&c);
}

static void test_empty_files(void **state)
{
    static const char *const texts[] = {"", "# nothing yet\n", "options:\nskip:\nscenarios:\n"};
    struct config c;
    char err[256] = "";

    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        assert_int_equal(load(texts[i], &c, err, sizeof err), 0);
        assert_int_equal(c.option_count + c.skip_count + c.scenario_count, 0);
        config_free(&c);
    }
}

static void test_unknown_keys(void **state)
{
    (void)state;
    REFUSED("options:\n  level: required\nskips:\n  - rule: done-last\n",
            "synchost.yaml:3:1: unknown key 'skips' in the configuration; did you mean 'skip'? (it "
            "takes options, "
            "skip, scenarios)");
    REFUSED("skip:\n  - rule: done-last\n    reason: x\n    why: y\n",
            "synchost.yaml:4:5: unknown key 'why' in a skip entry (it takes rule, reason)");
    REFUSED("scenarios:\n  on-demand:\n    timeout: 100\n",
            "synchost.yaml:3:5: unknown key 'timeout' in scenarios.on-demand (it takes "
            "timeout_ms, load_timeout_ms, shutdown_timeout_ms)");
    REFUSED("options:\n  level: required\n  level: pedantic\n",
            "synchost.yaml:3:3: duplicate key 'level' in options (first at 2:3)");
    /* A key is the file's text: escaped in the message, whatever it holds. */
    REFUSED("options:\n  \"le\\evel\": 1\n  \"le\\evel\": 2\n",
            "synchost.yaml:3:3: duplicate key 'le\\x1Bvel' in options (first at 2:3)");
    REFUSED("scenarios:\n  \"on\\e\": {timeuot_ms: 1}\n",
            "synchost.yaml:2:12: unknown key 'timeuot_ms' in scenarios.on\\x1B; did you mean "
            "'timeout_ms'? (it takes timeout_ms, load_timeout_ms, shutdown_timeout_ms)");
}

static void test_skips_need_a_reason_and_a_rule(void **state)
{
    (void)state;
    REFUSED("skip:\n  - rule: done-last\n",
            "synchost.yaml:2:5: a skip entry needs reason: (why it is skipped): every skipped "
            "rule says why");
    REFUSED("skip:\n  - reason: flaky\n",
            "synchost.yaml:2:5: a skip entry needs rule: (a rule id): every skipped rule says "
            "why");
    REFUSED("skip:\n  - {rule: done-lats, reason: typo}\n",
            "synchost.yaml:2:12: skip.rule names no rule 'done-lats' (synchost list rules)");
    REFUSED("skip:\n  - {rule: done-last, reason: a}\n  - {rule: done-last, reason: b}\n",
            "synchost.yaml:3:12: rule 'done-last' is skipped already, at 2:5");
    REFUSED("skip:\n  - {rule: done-last, reason: ''}\n",
            "synchost.yaml:2:31: skip.reason: must not be empty");
    REFUSED("skip: done-last\n",
            "synchost.yaml:1:7: skip: expected a list of {rule, reason}, got 'done-last'");
}

static void test_wrong_types_and_ranges(void **state)
{
    (void)state;
    REFUSED("options: [level]\n", "synchost.yaml:1:10: options: expected a mapping, got a list");
    REFUSED("options:\n  level:\n", "synchost.yaml:2:9: options.level: expected a value, got "
                                    "nothing (null)");
    REFUSED("options:\n  filter: [a, b]\n",
            "synchost.yaml:2:11: options.filter: expected a value, got a list");
    REFUSED("scenarios:\n  on-demand:\n    timeout_ms: 0\n",
            "synchost.yaml:3:17: scenarios.on-demand.timeout_ms: must be from 1 to 3600000 ms "
            "(a deadline: 1 hour at most), got '0'");
    REFUSED("scenarios:\n  on-demand: 5000\n",
            "synchost.yaml:2:14: scenarios.on-demand: expected a mapping, got '5000'");
    REFUSED("options: {}\n---\noptions: {}\n",
            "synchost.yaml:2:1: a second YAML document: keep one");
    REFUSED("options: {level: [\n",
            "synchost.yaml:2:1: invalid YAML: did not find expected node content "
            "(while parsing a flow node at 2:1)");
}

static void test_file(void **state)
{
    char path[] = "/tmp/synchost-test-config-XXXXXX", err[512];
    static const char text[] = "options:\n  repeat: 3\n";
    struct config c;
    int fd;

    (void)state;
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    assert_int_equal(config_load_file(path, &c, err, sizeof err), 0);
    assert_string_equal(c.path, path);
    assert_string_equal(c.options[0].name, "repeat");
    config_free(&c);
    remove(path);
    assert_int_equal(config_load_file(path, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ": cannot read: No such file or directory"));
    config_free(&c);
}

#include "test_config.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
