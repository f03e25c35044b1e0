/*
 * scenario_fixture.h: loading scenario text in a cmocka test, for the tests
 * of the scenario file (test_scenario.c, test_scenario_keys.c,
 * test_faults.c). Include after <cmocka.h>. Each file is "t.yaml" with
 * base_dir "/base".
 */
#ifndef SYNCHOST_SCENARIO_FIXTURE_H
#define SYNCHOST_SCENARIO_FIXTURE_H

#include <string.h>

#include "scenario/scenario.h"

/* Loads text, appending to *list; asserts success (and prints the error). */
static inline void fixture_load_ok(const char *text, struct scenario_list *list, const char *file,
                                   int line)
{
    struct scenario_error err;
    char msg[1200];
    int rc = scenario_load_buffer("t.yaml", "/base", text, strlen(text), list, &err);

    if (rc != 0) {
        print_error("unexpected error: %s\n", scenario_error_format(&err, msg, sizeof msg));
    }
    _assert_int_equal(rc, 0, file, line);
}
#define LOAD_OK(text, list) fixture_load_ok((text), (list), __FILE__, __LINE__)

/* Loads text into a list that already holds one scenario; asserts an error
 * in t.yaml at eline:ecol whose message is message, and that nothing was
 * appended to the list. */
static inline void fixture_load_fails(const char *text, unsigned eline, unsigned ecol,
                                      const char *message, const char *file, int line)
{
    struct scenario_list list = {0};
    struct scenario_error err;
    char msg[1200];

    fixture_load_ok("name: already-there\n", &list, file, line);
    _assert_int_equal(scenario_load_buffer("t.yaml", "/base", text, strlen(text), &list, &err), -1,
                      file, line);
    scenario_error_format(&err, msg, sizeof msg);
    if (err.line != eline || err.col != ecol || strcmp(err.message, message) != 0) {
        print_error("got      %s\nexpected t.yaml:%u:%u: %s\n", msg, eline, ecol, message);
    }
    _assert_string_equal(err.file, "t.yaml", file, line);
    _assert_string_equal(err.message, message, file, line);
    _assert_int_equal(err.line, eline, file, line);
    _assert_int_equal(err.col, ecol, file, line);
    _assert_int_equal(list.count, 1, file, line);
    scenario_list_free(&list);
}
#define LOAD_FAILS(text, l, c, message) \
    fixture_load_fails((text), (l), (c), (message), __FILE__, __LINE__)

#endif /* SYNCHOST_SCENARIO_FIXTURE_H */
