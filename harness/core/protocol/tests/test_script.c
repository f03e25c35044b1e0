/* test_script.c: the host's script travels to the worker and back intact,
 * defaults resolved once, and a line that is not a script is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/script.h"

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
    sc.sib_size = SCENARIO_SIB_SIZE;
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

/* Every variant of the sync's arguments survives the line, 0 bytes included;
 * a line without them means the valid defaults; a bad word is refused. */
static void test_arguments_round_trip(void **state)
{
    struct scenario sc = make_scenario();
    struct host_script a, b;
    char line[SCRIPT_LINE_MAX];
    static const char plain[] = "script provider=p.dll";
    static const char bad[] = "script provider=p.dll callback=maybe";
    size_t len;

    (void)state;
    for (uint32_t size = 0; size <= SCENARIO_SIB_SIZE_MAX; size += 16) {
        for (int v = 0; v < 6; v++) {
            sc.sib_size = size;
            sc.session = (enum scenario_session)(v % 2);
            sc.callback = (enum scenario_callback)(v % 3);
            sc.done_event_ptr = (enum scenario_pointer)((v / 2) % 2);
            sc.psib = (enum scenario_pointer)((v / 3) % 2);
            script_from_scenario(&sc, "p.dll", 0, 0, &a);
            len = script_format(&a, line, sizeof line);
            assert_int_equal(script_parse(line, len - 1, &b), 0);
            assert_int_equal(b.sib_size, size);
            assert_int_equal(b.session, sc.session);
            assert_int_equal(b.callback, sc.callback);
            assert_int_equal(b.done_event_ptr, sc.done_event_ptr);
            assert_int_equal(b.psib, sc.psib);
        }
    }
    assert_int_equal(script_parse(plain, sizeof plain - 1, &b), 0);
    assert_int_equal(b.sib_size, SCENARIO_SIB_SIZE);
    assert_int_equal(b.session, SCENARIO_SESSION_FAKE);
    assert_int_equal(b.callback, SCENARIO_CALLBACK_FAKE);
    assert_int_equal(b.done_event_ptr, SCENARIO_POINTER_VALID);
    assert_int_equal(b.psib, SCENARIO_POINTER_VALID);
    assert_int_equal(script_parse(bad, sizeof bad - 1, &b), -1);
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
        "script name=x", /* no provider */
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

/* The host's answers by range, its delays, the logoff and the calls'
 * count survive the line; a line without them means none and one call; a
 * range that ends before it starts, or 0 calls, is refused. */
static void test_host_and_calls_round_trip(void **state)
{
    struct scenario sc = make_scenario();
    struct host_script a, b;
    char line[SCRIPT_LINE_MAX];
    static const char plain[] = "script provider=p.dll";
    static const char backwards[] = "script provider=p.dll error_return=5-4:0x1";
    static const char no_calls[] = "script provider=p.dll overlap=0";
    static const char bad_shutdown[] = "script provider=p.dll shutdown_mode=quick";
    size_t len;

    (void)state;
    sc.progress_returns[0].to_call = 3;
    sc.error_returns[0] = (struct scenario_progress_return){1, 0x80004005u, 0};
    sc.error_return_count = 1;
    for (size_t i = 0; i < SCENARIO_MAX_PROGRESS_RETURNS; i++) {
        sc.done_returns[i] = (struct scenario_progress_return){(uint32_t)i + 1, 0x8000FFFFu,
                                                               (uint32_t)i + 1};
    }
    sc.done_return_count = SCENARIO_MAX_PROGRESS_RETURNS;
    sc.delay_ms[SCENARIO_METHOD_PROGRESS] = 5;
    sc.delay_ms[SCENARIO_METHOD_DONE] = 60000;
    sc.has_logoff_after = 1;
    sc.logoff_after_ms = 0;
    sc.overlap = 16;
    sc.repeat = 1000;
    sc.shutdown = SCENARIO_SHUTDOWN_FAST;
    script_from_scenario(&sc, "p.dll", 0, 0, &a);
    len = script_format(&a, line, sizeof line);
    assert_true(len < sizeof line);
    assert_non_null(strstr(line, " shutdown_mode=fast"));
    assert_int_equal(script_parse(line, len - 1, &b), 0);
    assert_int_equal(b.progress_returns[0].to_call, 3);
    assert_int_equal(b.progress_returns[1].to_call, 0);
    assert_int_equal(b.error_return_count, 1);
    assert_int_equal(b.error_returns[0].hresult, 0x80004005u);
    assert_int_equal(b.done_return_count, SCENARIO_MAX_PROGRESS_RETURNS);
    assert_int_equal(b.done_returns[7].from_call, 8);
    assert_int_equal(b.done_returns[7].to_call, 8);
    assert_int_equal(b.delay_ms[SCENARIO_METHOD_PROGRESS], 5);
    assert_int_equal(b.delay_ms[SCENARIO_METHOD_ERROR], 0);
    assert_int_equal(b.delay_ms[SCENARIO_METHOD_DONE], 60000);
    assert_true(b.has_logoff_after);
    assert_int_equal(b.logoff_after_ms, 0);
    assert_int_equal(b.overlap, 16);
    assert_int_equal(b.repeat, 1000);
    assert_int_equal(b.shutdown_mode, SCENARIO_SHUTDOWN_FAST);
    assert_int_equal(script_parse(plain, sizeof plain - 1, &b), 0);
    assert_int_equal(b.shutdown_mode, SCENARIO_SHUTDOWN_PLAIN);
    assert_false(b.has_logoff_after);
    assert_int_equal(b.overlap, 1);
    assert_int_equal(b.repeat, 1);
    assert_int_equal(b.error_return_count, 0);
    assert_int_equal(script_parse(backwards, sizeof backwards - 1, &b), -1);
    assert_int_equal(script_parse(no_calls, sizeof no_calls - 1, &b), -1);
    assert_int_equal(script_parse(bad_shutdown, sizeof bad_shutdown - 1, &b), -1);
}

/* host.jitter_ms and the run's seed it is drawn from travel together; a
 * script without jitter carries no seed. */
static void test_jitter_round_trip(void **state)
{
    struct scenario sc = make_scenario();
    struct host_script a, b;
    char line[SCRIPT_LINE_MAX];
    size_t len;

    (void)state;
    sc.jitter_ms = 7;
    script_from_scenario(&sc, "p.dll", 0, 0, &a);
    script_set_seed(&a, 0xDEADBEEFCAFEull);
    len = script_format(&a, line, sizeof line);
    assert_non_null(strstr(line, " jitter=7"));
    assert_int_equal(script_parse(line, len - 1, &b), 0);
    assert_int_equal(b.jitter_ms, 7);
    assert_true(b.jitter_seed == 0xDEADBEEFCAFEull);
    sc.jitter_ms = 0;
    script_from_scenario(&sc, "p.dll", 0, 0, &a);
    script_set_seed(&a, 42);
    len = script_format(&a, line, sizeof line);
    assert_null(strstr(line, "jitter"));
    assert_int_equal(script_parse(line, len - 1, &b), 0);
    assert_int_equal(b.jitter_ms, 0);
    assert_true(b.jitter_seed == 0);
}

/* leak-memory's bound: the scenario's when it sets one, else the default,
 * resolved before the line; a line without it means the default; 0 or past
 * the most a scenario may set is refused. */
static void test_memory_growth_round_trip(void **state)
{
    struct scenario sc = make_scenario();
    struct host_script a, b;
    char line[SCRIPT_LINE_MAX];
    static const char plain[] = "script provider=p.dll repeat=3";
    static const char zero[] = "script provider=p.dll repeat=3 memory_growth=0";
    static const char huge[] = "script provider=p.dll repeat=3 memory_growth=65537";
    size_t len;

    (void)state;
    sc.repeat = 3;
    script_from_scenario(&sc, "p.dll", 0, 0, &a);
    assert_int_equal(a.memory_growth_mib, SCENARIO_DEFAULT_MEMORY_GROWTH_MIB);
    sc.memory_growth_mib = 384;
    script_from_scenario(&sc, "p.dll", 0, 0, &a);
    len = script_format(&a, line, sizeof line);
    assert_non_null(strstr(line, " memory_growth=384"));
    assert_int_equal(script_parse(line, len - 1, &b), 0);
    assert_int_equal(b.memory_growth_mib, 384);
    assert_int_equal(b.repeat, 3);
    sc.memory_growth_mib = SCENARIO_MEMORY_GROWTH_MAX_MIB;
    script_from_scenario(&sc, "p.dll", 0, 0, &a);
    len = script_format(&a, line, sizeof line);
    assert_int_equal(script_parse(line, len - 1, &b), 0);
    assert_int_equal(b.memory_growth_mib, SCENARIO_MEMORY_GROWTH_MAX_MIB);
    assert_int_equal(script_parse(plain, sizeof plain - 1, &b), 0);
    assert_int_equal(b.memory_growth_mib, SCENARIO_DEFAULT_MEMORY_GROWTH_MIB);
    assert_int_equal(script_parse(zero, sizeof zero - 1, &b), -1);
    assert_int_equal(script_parse(huge, sizeof huge - 1, &b), -1);
}

#include "test_script.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
