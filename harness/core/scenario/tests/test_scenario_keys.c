/* test_scenario_keys.c: the scenario keys of docs/scenarios.md beyond the
 * first version's: sync.overlap and repeat, host.*_returns, delay_ms and
 * logoff_after_ms, shutdown, expect.progress, errors and event,
 * memory_growth_mib, and what each refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "text/nearest.h"
#include "scenario/scenario.h"
#include "scenario_fixture.h"


static void test_overlap_and_repeat(void **state)
{
    struct scenario_list list = {0};

    (void)state;
    LOAD_OK("name: one\n", &list);
    assert_int_equal(list.items[0].overlap, 1);
    assert_int_equal(list.items[0].repeat, 1);
    assert_int_equal(scenario_call_count(&list.items[0]), 1);
    LOAD_OK("name: many\nsync: {overlap: 3, repeat: 4}\n", &list);
    assert_int_equal(list.items[1].overlap, 3);
    assert_int_equal(list.items[1].repeat, 4);
    assert_int_equal(scenario_call_count(&list.items[1]), 12);
    LOAD_OK("name: most\nsync: {overlap: 16, repeat: 1000}\n", &list);
    assert_int_equal(scenario_call_count(&list.items[2]), 16000);
    scenario_list_free(&list);
    LOAD_FAILS("name: a\nsync: {overlap: 17}\n", 2, 17,
               "sync.overlap: expected a whole number from 1 to 16, got '17'");
    LOAD_FAILS("name: a\nsync: {overlap: 0}\n", 2, 17,
               "sync.overlap: expected a whole number from 1 to 16, got '0'");
    LOAD_FAILS("name: a\nsync: {repeat: \"2\"}\n", 2, 16,
               "sync.repeat: expected a whole number from 1 to 1000, got '2'");
    LOAD_FAILS("name: a\nsync: {repeat: [2]}\n", 2, 16,
               "sync.repeat: expected a whole number from 1 to 1000, got a list");
}

static void test_callback_returns(void **state)
{
    struct scenario_list list = {0};
    const struct scenario *sc;

    (void)state;
    LOAD_OK("name: scripted\n"
            "host:\n"
            "  progress_returns:\n"
            "    - { from_call: 2, to_call: 4, hresult: E_FAIL }\n"
            "    - { call: 7, hresult: MAPI_E_USER_CANCEL }\n"
            "    - { from_call: 9 }\n"
            "  error_returns: [{ from_call: 1, hresult: 0x80004005 }]\n"
            "  done_returns: [{ call: 1, hresult: E_UNEXPECTED }]\n",
            &list);
    sc = &list.items[0];
    assert_int_equal(sc->progress_return_count, 3);
    assert_int_equal(sc->progress_returns[0].from_call, 2);
    assert_int_equal(sc->progress_returns[0].to_call, 4);
    assert_int_equal(sc->progress_returns[0].hresult, 0x80004005u);
    assert_int_equal(sc->progress_returns[1].from_call, 7);
    assert_int_equal(sc->progress_returns[1].to_call, 7);
    assert_int_equal(sc->progress_returns[2].from_call, 9);
    assert_int_equal(sc->progress_returns[2].to_call, 0);
    assert_int_equal(sc->progress_returns[2].hresult, 0);
    assert_int_equal(sc->error_return_count, 1);
    assert_int_equal(sc->error_returns[0].from_call, 1);
    assert_int_equal(sc->done_return_count, 1);
    assert_int_equal(sc->done_returns[0].hresult, 0x8000FFFFu);
    scenario_list_free(&list);
    LOAD_FAILS("name: a\nhost: {error_returns: [{call: 2, from_call: 1}]}\n", 2, 24,
               "host.error_returns: an entry takes call: (one call) or from_call: with an "
               "optional to_call: (a range), not both");
    LOAD_FAILS("name: a\nhost: {done_returns: [{from_call: 5, to_call: 4}]}\n", 2, 23,
               "host.done_returns: to_call (4) is before from_call (5)");
    LOAD_FAILS("name: a\nhost: {done_returns: [{to_call: 4}]}\n", 2, 23,
               "host.done_returns: each entry needs from_call: (the first call it answers, from "
               "1) or call: (the one call it answers)");
    LOAD_FAILS("name: a\nhost: {error_returns: [{call: 1, hresult: E_FAILED}]}\n", 2, 43,
               "host.error_returns.hresult: unknown HRESULT 'E_FAILED'; did you mean E_FAIL?");
    LOAD_FAILS("name: a\nhost: {done_returns: [{call: x}]}\n", 2, 30,
               "host.done_returns.call: expected a whole number from 1 to 4294967295, got 'x'");
}

static void test_delays_and_logoff(void **state)
{
    struct scenario_list list = {0};
    const struct scenario *sc;

    (void)state;
    LOAD_OK("name: slow-host\nhost:\n  delay_ms: { progress: 5, error: 0, done: 60000 }\n"
            "  logoff_after_ms: 10\n",
            &list);
    sc = &list.items[0];
    assert_int_equal(sc->delay_ms[SCENARIO_METHOD_PROGRESS], 5);
    assert_int_equal(sc->delay_ms[SCENARIO_METHOD_ERROR], 0);
    assert_int_equal(sc->delay_ms[SCENARIO_METHOD_DONE], 60000);
    assert_true(sc->has_logoff_after);
    assert_int_equal(sc->logoff_after_ms, 10);
    LOAD_OK("name: no-logoff\nhost: {logoff_after_ms: null}\n", &list);
    assert_false(list.items[1].has_logoff_after);
    LOAD_OK("name: at-once\nhost: {logoff_after_ms: 0}\n", &list);
    assert_true(list.items[2].has_logoff_after);
    scenario_list_free(&list);
    LOAD_FAILS("name: a\nhost: {delay_ms: {done: 60001}}\n", 2, 25,
               "host.delay_ms.done: must be from 0 to 60000 ms (1 minute at most), got '60001'");
    LOAD_FAILS("name: a\nhost: {delay_ms: 5}\n", 2, 18,
               "host.delay_ms: expected a mapping, got '5'");
    LOAD_FAILS("name: a\nhost: {delay_ms: {progres: 5}}\n", 2, 19,
               "unknown key 'progres' in host.delay_ms; did you mean 'progress'? (it takes "
               "progress, error, done)");
    LOAD_OK("name: jittery\nhost: {jitter_ms: 7}\n", &list);
    assert_int_equal(list.items[0].jitter_ms, 7);
    scenario_list_free(&list);
    LOAD_FAILS("name: a\nhost: {jitter_ms: 60001}\n", 2, 19,
               "host.jitter_ms: must be from 0 to 60000 ms (1 minute at most), got '60001'");
    LOAD_FAILS("name: a\nhost: {logoff_after_ms: soon}\n", 2, 25,
               "host.logoff_after_ms: expected a whole number of milliseconds, got 'soon'");
    LOAD_FAILS("name: a\nsync: {repeat: 2}\nhost: {logoff_after_ms: 5}\n", 3, 7,
               "host.logoff_after_ms: the host cannot sync again after it logged off; leave "
               "sync.repeat at 1 with it");
}

/* memory_growth_mib: unset (0, the default applies) unless written; 1 MiB to
 * 64 GiB; only where sync.repeat makes rounds to measure between. */
static void test_memory_growth(void **state)
{
    struct scenario_list list = {0};

    (void)state;
    LOAD_OK("name: a\n", &list);
    assert_int_equal(list.items[0].memory_growth_mib, 0);
    LOAD_OK("name: b\nsync: {repeat: 3}\nmemory_growth_mib: 512\n", &list);
    assert_int_equal(list.items[1].memory_growth_mib, 512);
    LOAD_OK("name: c\nmemory_growth_mib: 65536\nsync: {repeat: 2}\n", &list);
    assert_int_equal(list.items[2].memory_growth_mib, SCENARIO_MEMORY_GROWTH_MAX_MIB);
    scenario_list_free(&list);
    LOAD_FAILS("name: a\nsync: {repeat: 3}\nmemory_growth_mib: 0\n", 3, 20,
               "memory_growth_mib: expected a whole number from 1 to 65536, got '0'");
    LOAD_FAILS("name: a\nsync: {repeat: 3}\nmemory_growth_mib: 65537\n", 3, 20,
               "memory_growth_mib: expected a whole number from 1 to 65536, got '65537'");
    LOAD_FAILS("name: a\nsync: {repeat: 3}\nmemory_growth_mib: 64MiB\n", 3, 20,
               "memory_growth_mib: expected a whole number from 1 to 65536, got '64MiB'");
    LOAD_FAILS("name: a\nmemory_growth_mib: 128\n", 2, 20,
               "memory_growth_mib: growth is measured between sync.repeat's rounds; set "
               "sync.repeat to 2 or more with it");
    LOAD_FAILS("name: a\nmemory_growth_mb: 128\n", 2, 1,
               "unknown key 'memory_growth_mb'; did you mean 'memory_growth_mib'? (a scenario "
               "takes name, description, provider, sync, timeout_ms, return_within_ms, "
               "settle_ms, load_timeout_ms, shutdown_timeout_ms, memory_growth_mib, expect, "
               "rules, host)");
}

/* host.shutdown: plain (the default) or fast; nothing else. */
static void test_shutdown(void **state)
{
    struct scenario_list list = {0};

    (void)state;
    LOAD_OK("name: a\n", &list);
    assert_int_equal(list.items[0].shutdown, SCENARIO_SHUTDOWN_PLAIN);
    LOAD_OK("name: b\nhost: {shutdown: fast}\n", &list);
    assert_int_equal(list.items[1].shutdown, SCENARIO_SHUTDOWN_FAST);
    LOAD_OK("name: c\nhost:\n  shutdown: plain\n", &list);
    assert_int_equal(list.items[2].shutdown, SCENARIO_SHUTDOWN_PLAIN);
    scenario_list_free(&list);
    LOAD_FAILS("name: a\nhost: {shutdown: quick}\n", 2, 18,
               "host.shutdown: expected one of plain, fast, got 'quick'");
    LOAD_FAILS("name: a\nhost: {shutdown: [fast]}\n", 2, 18,
               "host.shutdown: expected one of plain, fast, got a list");
    LOAD_FAILS("name: a\nhost: {shutdwn: fast}\n", 2, 8,
               "unknown key 'shutdwn' in host; did you mean 'shutdown'? (it takes "
               "progress_returns, error_returns, done_returns, delay_ms, logoff_after_ms, "
               "faults, shutdown, jitter_ms)");
}

static void test_expectations(void **state)
{
    struct scenario_list list = {0};
    const struct scenario_expect *e;

    (void)state;
    LOAD_OK("name: expects\n"
            "expect:\n"
            "  returns: S_OK\n"
            "  done: { hresult: MAPI_E_USER_CANCEL }\n"
            "  progress: { min: 1, max: 4, final_index: 3 }\n"
            "  errors: { count: 2, codes: [MAPI_E_NETWORK_ERROR, 0x80004005] }\n"
            "  event: { signaled: true }\n",
            &list);
    e = &list.items[0].expect;
    assert_true(e->has_progress_min && e->has_progress_max && e->has_final_index);
    assert_int_equal(e->progress_min, 1);
    assert_int_equal(e->progress_max, 4);
    assert_int_equal(e->final_index, 3);
    assert_int_equal(e->error_count, 2);
    assert_int_equal(e->error_code_count, 2);
    assert_int_equal(e->error_codes[0], 0x80040115u);
    assert_int_equal(e->error_codes[1], 0x80004005u);
    assert_true(e->has_signaled && e->signaled);
    LOAD_OK("name: none\nexpect: { errors: { count: 0 }, event: { signaled: false } }\n", &list);
    e = &list.items[1].expect;
    assert_true(e->has_error_count && !e->has_error_codes);
    assert_true(e->has_signaled && !e->signaled);
    scenario_list_free(&list);
    LOAD_FAILS("name: a\nexpect: {progress: {min: 5, max: 4}}\n", 2, 9,
               "expect.progress: min (5) is above max (4)");
    LOAD_FAILS("name: a\nexpect: {errors: {count: 1, codes: []}}\n", 2, 9,
               "expect.errors: count (1) and the 0 codes listed disagree");
    LOAD_FAILS("name: a\nexpect: {event: {signaled: yes}}\n", 2, 28,
               "expect.event.signaled: expected true or false, got 'yes'");
    LOAD_FAILS("name: a\nexpect: {errors: {codes: NOPE}}\n", 2, 26,
               "expect.errors.codes: expected a list of HRESULTs ([MAPI_E_NETWORK_ERROR, ...]), "
               "got 'NOPE'");
    LOAD_FAILS("name: a\nexpect: {progress: {min: -1}}\n", 2, 26,
               "expect.progress.min: expected a whole number from 0 to 4294967295, got '-1'");
    LOAD_FAILS("name: a\nexpect: {progres: {min: 1}}\n", 2, 10,
               "unknown key 'progres' in expect; did you mean 'progress'? (it takes returns, "
               "done, progress, errors, event)");
}

static void test_flag_names(void **state)
{
    (void)state;
    LOAD_FAILS("name: a\nsync: {flags: [SYNC_ON_DEMNAD]}\n", 2, 16,
               "sync.flags: unknown flag 'SYNC_ON_DEMNAD'; did you mean SYNC_ON_DEMAND?");
    LOAD_FAILS("name: a\nsync: {flags: SYNC_EVERYTHING}\n", 2, 15,
               "sync.flags: unknown flag 'SYNC_EVERYTHING'; write SYNC_* names "
               "(SYNC_DOWNLOAD_CONTENTS, SYNC_ON_DEMAND, ...) or numbers");
}

static void test_nearest(void **state)
{
    static const char *const names[] = {"overlap", "repeat", "flags", NULL, "size"};

    (void)state;
    assert_int_equal(nearest_distance("overlap", 7, "overlap"), 0);
    assert_int_equal(nearest_distance("ovelrap", 7, "overlap"), 1); /* a swap is one edit */
    assert_int_equal(nearest_distance("OVERLAP", 7, "overlap"), 0);
    assert_int_equal(nearest_distance("", 0, "abc"), 3);
    assert_string_equal(nearest_name("repaet", 6, names, 5), "repeat");
    assert_string_equal(nearest_name("sise", 4, names, 5), "size");
    assert_null(nearest_name("timeout", 7, names, 5));
    assert_null(nearest_name("x", 1, names, 5));
}

#include "test_scenario_keys.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
