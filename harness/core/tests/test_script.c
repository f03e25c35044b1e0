/* test_script.c: the host's script travels to the worker and back intact,
 * defaults resolved once, and a line that is not a script is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "script.h"

static struct scenario make_scenario(void)
{
    struct scenario sc;

    memset(&sc, 0, sizeof sc);
    sc.name = "cancel on the 2nd progress";
    sc.flags = 0x20000080;
    sc.settle_ms = 0;
    sc.shutdown_timeout_ms = 5000;
    sc.progress_returns[0].from_call = 2;
    sc.progress_returns[0].hresult = 0x80040113;
    sc.progress_returns[1].from_call = 7;
    sc.progress_returns[1].hresult = 0;
    sc.progress_return_count = 2;
    return sc;
}

static void test_round_trip(void **state)
{
    struct scenario sc = make_scenario();
    struct host_script a, b;
    char line[SCRIPT_LINE_MAX];
    size_t len;

    (void)state;
    script_from_scenario(&sc, "Z:\\home\\p q\\ref=1%.dll", 0, 1, &a);
    len = script_format(&a, line, sizeof line);
    assert_int_equal(line[len - 1], '\n');
    assert_null(memchr(line, '\n', len - 1));
    assert_int_equal(script_parse(line, len - 1, &b), 0);
    assert_string_equal(b.name, "cancel on the 2nd progress");
    assert_string_equal(b.provider, "Z:\\home\\p q\\ref=1%.dll");
    assert_int_equal(b.flags, 0x20000080);
    assert_int_equal(b.timeout_ms, SCENARIO_DEFAULT_TIMEOUT_MS);
    assert_int_equal(b.settle_ms, 0);
    assert_int_equal(b.shutdown_timeout_ms, 5000);
    assert_int_equal(b.probe, 1);
    assert_int_equal(b.progress_return_count, 2);
    assert_int_equal(b.progress_returns[0].from_call, 2);
    assert_int_equal(b.progress_returns[0].hresult, 0x80040113u);
    assert_int_equal(b.progress_returns[1].from_call, 7);
    assert_int_equal(b.progress_returns[1].hresult, 0);
}

static void test_timeouts_resolve_once(void **state)
{
    struct scenario sc = make_scenario();

    (void)state;
    assert_int_equal(script_timeout_ms(&sc, 0), SCENARIO_DEFAULT_TIMEOUT_MS);
    assert_int_equal(script_timeout_ms(&sc, 1500), 1500);
    sc.timeout_ms = 700;
    assert_int_equal(script_timeout_ms(&sc, 1500), 700);
}

static void test_not_a_script(void **state)
{
    static const char *const bad[] = {
        "",
        "scripts provider=a",
        "progress seq=1 t=1 tid=1",
        "script name=x",                          /* no provider */
        "script provider=a flags=zz",
        "script provider=a progress_return=0:0x1", /* calls count from 1 */
        "script provider=a progress_return=3",
        "script provider=a timeout=99999999999",
        "script provider=a%2",
        "script provider",
    };
    struct host_script s;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (script_parse(bad[i], strlen(bad[i]), &s) != -1) {
            fail_msg("parsed: '%s'", bad[i]);
        }
    }
    /* A field from a newer supervisor is skipped. */
    assert_int_equal(script_parse("script provider=a future=1", 26, &s), 0);
    assert_string_equal(s.provider, "a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_timeouts_resolve_once),
        cmocka_unit_test(test_not_a_script),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
