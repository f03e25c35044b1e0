/* test_scenario.c: the YAML scenario loader, its defaults and every error class. */
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


static void test_single_scenario(void **state)
{
    struct scenario_list list = {0};
    const struct scenario *sc;

    (void)state;
    LOAD_OK("# a comment first\n"
            "name: cancel-on-third-progress\n"
            "description: Outlook cancels through the progress callback.\n"
            "provider:\n"
            "  path: ../providers/reference.dll\n"
            "sync:\n"
            "  flags: [SYNC_DOWNLOAD_CONTENTS, SYNC_ON_DEMAND]\n"
            "timeout_ms: 7000\n"
            "return_within_ms: 250\n"
            "settle_ms: 0\n"
            "expect:\n"
            "  returns: S_OK\n"
            "  done: { hresult: MAPI_E_USER_CANCEL }\n"
            "rules:\n"
            "  skip: [progress-monotonic, \"done-last\"]\n",
            &list);
    assert_int_equal(list.count, 1);
    sc = &list.items[0];
    assert_string_equal(sc->name, "cancel-on-third-progress");
    assert_string_equal(sc->description, "Outlook cancels through the progress callback.");
    assert_string_equal(sc->file, "t.yaml");
    assert_int_equal(sc->line, 2);
    assert_string_equal(sc->provider_path, "/base/../providers/reference.dll");
    assert_int_equal(sc->flags, 0x20000080u);
    assert_int_equal(sc->timeout_ms, 7000);
    assert_int_equal(sc->return_within_ms, 250);
    assert_int_equal(sc->settle_ms, 0);
    assert_true(sc->has_expect_returns);
    assert_int_equal(sc->expect_returns, 0);
    assert_true(sc->has_expect_done_hr);
    assert_int_equal(sc->expect_done_hr, 0x80040113u);
    assert_int_equal(sc->skip_rule_count, 2);
    assert_string_equal(sc->skip_rules[0], "progress-monotonic");
    assert_string_equal(sc->skip_rules[1], "done-last");
    /* Each id's own place, for "no such rule" messages. */
    assert_int_equal(sc->skip_rule_marks[0].line, 15);
    assert_int_equal(sc->skip_rule_marks[0].col, 10);
    assert_int_equal(sc->skip_rule_marks[1].line, 15);
    assert_int_equal(sc->skip_rule_marks[1].col, 30);
    scenario_list_free(&list);
    assert_null(list.items);
    assert_int_equal(list.count, 0);
}

static void test_defaults(void **state)
{
    struct scenario_list list = {0};
    const struct scenario *sc;

    (void)state;
    LOAD_OK("name: minimal\n", &list);
    sc = &list.items[0];
    assert_string_equal(sc->name, "minimal");
    assert_null(sc->description);
    assert_null(sc->provider_path);
    assert_int_equal(sc->flags, 0x80u);
    assert_int_equal(sc->timeout_ms, 0);
    assert_int_equal(sc->return_within_ms, SCENARIO_DEFAULT_RETURN_WITHIN_MS);
    assert_int_equal(sc->settle_ms, SCENARIO_DEFAULT_SETTLE_MS);
    assert_int_equal(sc->load_timeout_ms, SCENARIO_DEFAULT_LOAD_TIMEOUT_MS);
    assert_int_equal(sc->shutdown_timeout_ms, SCENARIO_DEFAULT_SHUTDOWN_TIMEOUT_MS);
    assert_false(sc->has_expect_returns);
    assert_false(sc->has_expect_done_hr);
    assert_null(sc->skip_rules);
    assert_int_equal(sc->skip_rule_count, 0);
    scenario_list_free(&list);
    /* Empty sub-mappings keep the defaults too. */
    LOAD_OK("name: empty-parts\nsync: {}\nexpect: {}\nrules: {skip: []}\n", &list);
    assert_int_equal(list.items[0].flags, 0x80u);
    assert_false(list.items[0].has_expect_returns);
    assert_int_equal(list.items[0].skip_rule_count, 0);
    scenario_list_free(&list);
}

static void test_list_under_scenarios(void **state)
{
    struct scenario_list list = {0};

    (void)state;
    LOAD_OK("name: from-an-earlier-file\n", &list);
    LOAD_OK("scenarios:\n"
            "  - name: first\n"
            "    sync: { flags: SYNC_UPLOAD_CONTENTS }\n"
            "  - name: second\n"
            "    expect: { returns: 0x80040102 }\n"
            "  -\n"
            "    name: third\n",
            &list);
    assert_int_equal(list.count, 4);
    assert_string_equal(list.items[0].name, "from-an-earlier-file");
    assert_string_equal(list.items[1].name, "first");
    assert_int_equal(list.items[1].line, 2);
    assert_int_equal(list.items[1].flags, 0x40u);
    assert_string_equal(list.items[2].name, "second");
    assert_int_equal(list.items[2].line, 4);
    assert_int_equal(list.items[2].flags, 0x80u);
    assert_int_equal(list.items[2].expect_returns, 0x80040102u);
    assert_string_equal(list.items[3].name, "third");
    assert_int_equal(list.items[3].line, 7);
    /* The same name in another file is the caller's business, not an error here. */
    LOAD_OK("scenarios: [{name: first}]\n", &list);
    assert_int_equal(list.count, 5);
    scenario_list_free(&list);
}

static uint32_t flags_of(const char *flags_yaml, const char *file, int line)
{
    struct scenario_list list = {0};
    char text[512];
    uint32_t flags;

    snprintf(text, sizeof text, "name: f\nsync:\n  flags: %s\n", flags_yaml);
    fixture_load_ok(text, &list, file, line);
    flags = list.items[0].flags;
    scenario_list_free(&list);
    return flags;
}
#define FLAGS_OF(y) flags_of((y), __FILE__, __LINE__)

static void test_flags(void **state)
{
    (void)state;
    assert_int_equal(FLAGS_OF("SYNC_BACKGROUND"), 0x1000u);
    assert_int_equal(FLAGS_OF("0x20000000"), 0x20000000u);
    assert_int_equal(FLAGS_OF("128"), 0x80u);
    assert_int_equal(FLAGS_OF("[SYNC_UPLOAD_HIERARCHY, SYNC_DOWNLOAD_HIERARCHY]"), 0x3u);
    assert_int_equal(FLAGS_OF("[SYNC_DOWNLOAD_CONTENTS, 0x1000, 2]"), 0x1082u);
    assert_int_equal(FLAGS_OF("[SYNC_HEADERS]"), 0x02000000u);
    assert_int_equal(FLAGS_OF("[SYNC_GLOBAL_HEADERS, SYNC_HEADERS]"), 0x02000000u);
    assert_int_equal(FLAGS_OF("['SYNC_ON_DEMAND', \"0x40\"]"), 0x20000040u);
    assert_int_equal(FLAGS_OF("[]"), 0u);
    assert_int_equal(FLAGS_OF("0"), 0u);
    assert_int_equal(FLAGS_OF("0xFFFFFFFF"), 0xFFFFFFFFu);
    assert_int_equal(FLAGS_OF("\n    - SYNC_THESE_FOLDERS\n    - SYNC_OUTGOING_MAIL"), 0x20200u);
}

static void test_hresults_by_name_and_number(void **state)
{
    struct scenario_list list = {0};

    (void)state;
    LOAD_OK("scenarios:\n"
            "- {name: a, expect: {returns: E_INVALIDARG,\n"
            "                     done: {hresult: MAPI_W_ERRORS_RETURNED}}}\n"
            "- {name: b, expect: {returns: 0x8004010F}}\n"
            "- {name: c, expect: {returns: 1}}\n"
            "- {name: d, expect: {done: {hresult: MAPI_E_NOT_ENOUGH_MEMORY}}}\n",
            &list);
    assert_int_equal(list.items[0].expect_returns, 0x80070057u);
    assert_int_equal(list.items[0].expect_done_hr, 0x00040380u);
    assert_int_equal(list.items[1].expect_returns, 0x8004010Fu);
    assert_false(list.items[1].has_expect_done_hr);
    assert_int_equal(list.items[2].expect_returns, 1u);
    assert_false(list.items[3].has_expect_returns);
    assert_int_equal(list.items[3].expect_done_hr, 0x8007000Eu);
    scenario_list_free(&list);
}

static void test_provider_paths(void **state)
{
    struct scenario_list list = {0};
    struct scenario_error err;
    const char *text = "scenarios:\n"
                       "- {name: rel, provider: {path: x/p.dll}}\n"
                       "- {name: abs, provider: {path: /opt/p.dll}}\n"
                       "- {name: win, provider: {path: 'C:\\p.dll'}}\n";

    (void)state;
    LOAD_OK(text, &list);
    assert_string_equal(list.items[0].provider_path, "/base/x/p.dll");
    assert_string_equal(list.items[1].provider_path, "/opt/p.dll");
    assert_string_equal(list.items[2].provider_path, "C:\\p.dll");
    scenario_list_free(&list);
    /* base_dir "/" and "dir/" do not double the slash; NULL leaves it as written. */
    assert_int_equal(scenario_load_buffer("t", "/", text, strlen(text), &list, &err), 0);
    assert_string_equal(list.items[0].provider_path, "/x/p.dll");
    scenario_list_free(&list);
    assert_int_equal(scenario_load_buffer("t", "d/", text, strlen(text), &list, &err), 0);
    assert_string_equal(list.items[0].provider_path, "d/x/p.dll");
    scenario_list_free(&list);
    assert_int_equal(scenario_load_buffer("t", NULL, text, strlen(text), &list, &err), 0);
    assert_string_equal(list.items[0].provider_path, "x/p.dll");
    assert_string_equal(list.items[0].file, "t");
    scenario_list_free(&list);
}

static void test_aliases_are_accepted(void **state)
{
    struct scenario_list list = {0};

    (void)state;
    LOAD_OK("scenarios:\n"
            "- name: a\n"
            "  sync: &both {flags: [SYNC_DOWNLOAD_CONTENTS, SYNC_ON_DEMAND]}\n"
            "- name: b\n"
            "  sync: *both\n",
            &list);
    assert_int_equal(list.items[1].flags, 0x20000080u);
    scenario_list_free(&list);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    LOAD_FAILS("name: broken\n"
               "sync:\n"
               "  flags: [SYNC_DOWNLOAD_CONTENTS\n"
               "timeout_ms: 10\n",
               4, 11,
               "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence "
               "at 3:10)");
    LOAD_FAILS("name: a\n  sync: b\n", 2, 7,
               "invalid YAML: mapping values are not allowed in this context");
    LOAD_FAILS("name: \"unterminated\n", 2, 1,
               "invalid YAML: found unexpected end of stream (while scanning a quoted scalar "
               "at 1:7)");
    LOAD_FAILS("name: a\n\tsync: b\n", 2, 1,
               "invalid YAML: found a tab character that violates indentation (while scanning "
               "a plain scalar at 1:7)");
    LOAD_FAILS("name: *nowhere\n", 1, 7, "invalid YAML: found undefined alias");
    LOAD_FAILS("name: ok\nx: \xff\n", 2, 4, "invalid text: invalid leading UTF-8 octet (0xFF)");
}

static void test_empty_and_wrong_shapes(void **state)
{
    (void)state;
    LOAD_FAILS("", 1, 1,
               "empty file: expected a scenario (a mapping with name:) or a list of them "
               "under scenarios:");
    LOAD_FAILS("# only a comment\n\n", 1, 1,
               "empty file: expected a scenario (a mapping with name:) or a list of them "
               "under scenarios:");
    LOAD_FAILS("---\n", 2, 1,
               "expected a scenario (a mapping with name:) or a list of them under scenarios:, "
               "got nothing (null)");
    LOAD_FAILS("- name: a\n", 1, 1,
               "expected a scenario (a mapping with name:) or a list of them under scenarios:, "
               "got a list");
    LOAD_FAILS("just words\n", 1, 1,
               "expected a scenario (a mapping with name:) or a list of them under scenarios:, "
               "got text (not quoted here)");
    /* The top of a file that is none of ours is described, never quoted: a
     * token or a password file must not reach a log. */
    LOAD_FAILS("root:$6$salt$hashsecret:19000:0:99999:7:::\n", 1, 1,
               "unknown key (not a name; not quoted here) (a scenario takes name, description, "
               "provider, sync, timeout_ms, return_within_ms, settle_ms, load_timeout_ms, "
               "shutdown_timeout_ms, memory_growth_mib, expect, rules, host)");
    LOAD_FAILS("scenarios: []\nGITHUB_TOKEN=x: secret\n", 2, 1,
               "key (not a name; not quoted here) cannot stand beside scenarios: (a file holds "
               "one scenario, or a list of them under scenarios: and nothing else)");
    LOAD_FAILS("name: a\n---\nname: b\n", 2, 1,
               "a second YAML document: a file holds one scenario, or a list of them under "
               "scenarios:");
    LOAD_FAILS("scenarios: {name: a}\n", 1, 12,
               "scenarios: expected a list of scenarios, got a mapping");
    LOAD_FAILS("scenarios: []\n", 1, 12, "scenarios: the list is empty");
    LOAD_FAILS("scenarios:\n  - name: a\n  - just-a-name\n", 3, 5,
               "expected a scenario (a mapping with name:), got 'just-a-name'");
    LOAD_FAILS("scenarios:\n  - name: a\nname: b\n", 3, 1,
               "key 'name' cannot stand beside scenarios: (a file holds one scenario, or a "
               "list of them under scenarios: and nothing else)");
    LOAD_FAILS("scenarios: [{name: a}]\nscenarios: [{name: b}]\n", 2, 1,
               "duplicate key 'scenarios' (first at 1:1)");
    LOAD_FAILS("[a]: b\nname: x\n", 1, 1, "keys must be names, got a list");
}

static void test_missing_name(void **state)
{
    (void)state;
    LOAD_FAILS("description: no name\n", 1, 1, "the scenario has no name: (it is required)");
    LOAD_FAILS("scenarios:\n  - name: a\n  - {settle_ms: 1}\n", 3, 5,
               "the scenario has no name: (it is required)");
    LOAD_FAILS("name:\n", 1, 6, "name: expected a string, got nothing (null)");
    LOAD_FAILS("name: ''\n", 1, 7, "name: must not be empty");
    LOAD_FAILS("name: [a, b]\n", 1, 7, "name: expected a string, got a list");
    LOAD_FAILS("name: \"a\\0b\"\n", 1, 7, "name: must not contain a NUL character");
}

static void test_wrong_types(void **state)
{
    (void)state;
    LOAD_FAILS("name: a\ntimeout_ms: [5]\n", 2, 13,
               "timeout_ms: expected a number of milliseconds, got a list");
    LOAD_FAILS("name: a\ntimeout_ms: -5\n", 2, 13, "timeout_ms: must not be negative, got '-5'");
    LOAD_FAILS("name: a\nsettle_ms: 1.5\n", 2, 12,
               "settle_ms: expected a whole number of milliseconds, got '1.5'");
    LOAD_FAILS("name: a\nreturn_within_ms: 4294967296\n", 2, 19,
               "return_within_ms: must be from 1 to 3600000 ms (a deadline: 1 hour at most), got "
               "'4294967296'");
    LOAD_FAILS("name: a\ntimeout_ms: \"5000\"\n", 2, 13,
               "timeout_ms: expected a number of milliseconds, got the string '5000' (write it "
               "without quotes)");
    LOAD_FAILS("name: a\ntimeout_ms: 0x10\n", 2, 13,
               "timeout_ms: expected a whole number of milliseconds, got '0x10'");
    LOAD_FAILS("name: a\ntimeout_ms: ~\n", 2, 13,
               "timeout_ms: expected a number of milliseconds, got nothing (null)");
    LOAD_FAILS("name: a\ndescription: {x: 1}\n", 2, 14,
               "description: expected a string, got a mapping");
    LOAD_FAILS("name: a\nsync: [SYNC_BACKGROUND]\n", 2, 7, "sync: expected a mapping, got a list");
    LOAD_FAILS("name: a\nprovider: x.dll\n", 2, 11, "provider: expected a mapping, got 'x.dll'");
    LOAD_FAILS("name: a\nprovider: {}\n", 2, 11,
               "provider: needs path: (the provider DLL to load)");
    LOAD_FAILS("name: a\nexpect: {done: {}}\n", 2, 16,
               "expect.done: needs hresult: (the HRESULT Done should report)");
    LOAD_FAILS("name: a\nrules: {skip: progress-monotonic}\n", 2, 15,
               "rules.skip: expected a list of rule ids ([progress-monotonic, ...]), got "
               "'progress-monotonic'");
    LOAD_FAILS("name: a\nrules: {skip: [ok, [nested]]}\n", 2, 20,
               "rules.skip: expected a string, got a list");
}

static void test_bad_values(void **state)
{
    (void)state;
    LOAD_FAILS("name: bad-flag\nsync:\n  flags: [SYNC_DOWNLOAD_CONTENTS, SYNC_NOT_A_FLAG]\n", 3, 35,
               "sync.flags: unknown flag 'SYNC_NOT_A_FLAG'; write SYNC_* names "
               "(SYNC_DOWNLOAD_CONTENTS, SYNC_ON_DEMAND, ...) or numbers");
    LOAD_FAILS("name: a\nsync: {flags: 0x100000000}\n", 2, 15,
               "sync.flags: '0x100000000' does not fit in 32 bits");
    LOAD_FAILS("name: a\nsync: {flags: [[SYNC_BACKGROUND]]}\n", 2, 16,
               "sync.flags: expected a SYNC_* name or a number, got a list");
    LOAD_FAILS("name: a\nexpect:\n  returns: MAPI_E_NOPE\n", 3, 12,
               "expect.returns: unknown HRESULT 'MAPI_E_NOPE'; write a name (S_OK, E_INVALIDARG, "
               "MAPI_E_USER_CANCEL, ...) or 0x-hex");
    LOAD_FAILS("name: a\nexpect: {done: {hresult: {}}}\n", 2, 26,
               "expect.done.hresult: expected an HRESULT (a name like S_OK, or 0x-hex), got a "
               "mapping");
    /* Odd bytes are escaped in messages. */
    LOAD_FAILS("name: a\nexpect: {returns: \"\\x01caf\\u00e9'\"}\n", 2, 19,
               "expect.returns: unknown HRESULT '\\x01caf\\xC3\\xA9\\x27'; write a name (S_OK, "
               "E_INVALIDARG, MAPI_E_USER_CANCEL, ...) or 0x-hex");
}

static void test_duplicates(void **state)
{
    (void)state;
    LOAD_FAILS("name: a\nsettle_ms: 1\nname: b\n", 3, 1, "duplicate key 'name' (first at 1:1)");
    LOAD_FAILS("name: a\nsync:\n  flags: 1\n  flags: 2\n", 4, 3,
               "duplicate key 'flags' in sync (first at 3:3)");
    LOAD_FAILS("scenarios:\n  - name: same\n  - name: other\n  - name: same\n", 4, 11,
               "duplicate scenario name 'same' (first at 2:11)");
}

static void test_unknown_and_unsupported_keys(void **state)
{
    (void)state;
    LOAD_FAILS("name: a\nfoo: 1\n", 2, 1,
               "unknown key 'foo' (a scenario takes name, description, provider, sync, "
               "timeout_ms, return_within_ms, settle_ms, load_timeout_ms, shutdown_timeout_ms, "
               "memory_growth_mib, expect, rules, host)");
    /* A misspelt key names the one it most likely means. */
    LOAD_FAILS("name: has-a-typo\nsync:\n  flags: [SYNC_DOWNLOAD_CONTENTS]\n  flagz: 3\n", 4, 3,
               "unknown key 'flagz' in sync; did you mean 'flags'? (it takes flags, size, "
               "session, callback, done_event_ptr, psib, overlap, repeat)");
    LOAD_FAILS("name: a\nsync: {overlpa: 2}\n", 2, 8,
               "unknown key 'overlpa' in sync; did you mean 'overlap'? (it takes flags, size, "
               "session, callback, done_event_ptr, psib, overlap, repeat)");
    LOAD_FAILS("name: a\ntimeout_sm: 5\n", 2, 1,
               "unknown key 'timeout_sm'; did you mean 'timeout_ms'? (a scenario takes name, "
               "description, provider, sync, timeout_ms, return_within_ms, settle_ms, "
               "load_timeout_ms, shutdown_timeout_ms, memory_growth_mib, expect, rules, host)");
    LOAD_FAILS("name: a\nhost: {logof_after_ms: 5}\n", 2, 8,
               "unknown key 'logof_after_ms' in host; did you mean 'logoff_after_ms'? (it takes "
               "progress_returns, error_returns, done_returns, delay_ms, logoff_after_ms, "
               "faults, shutdown, jitter_ms)");
    LOAD_FAILS("name: a\nexpect: {done: {hresult: S_OK, count: 1}}\n", 2, 32,
               "unknown key 'count' in expect.done (it takes hresult)");
    /* The first problem in the file wins. */
    LOAD_FAILS("name: a\nsync: {size: default, repeat: 0}\nhost: {faults: 1}\n", 2, 31,
               "sync.repeat: expected a whole number from 1 to 1000, got '0'");
}

/* sync.size, session, callback, done_event_ptr, psib: defaults, every value,
 * and each bad value at its line and column. */
static void test_sync_arguments(void **state)
{
    struct scenario_list list = {0};
    const struct scenario *sc;

    (void)state;
    LOAD_OK("name: defaults\n", &list);
    sc = &list.items[0];
    assert_int_equal(sc->sib_size, SCENARIO_SIB_SIZE);
    assert_int_equal(sc->session, SCENARIO_SESSION_FAKE);
    assert_int_equal(sc->callback, SCENARIO_CALLBACK_FAKE);
    assert_int_equal(sc->done_event_ptr, SCENARIO_POINTER_VALID);
    assert_int_equal(sc->psib, SCENARIO_POINTER_VALID);
    assert_true(scenario_args_valid(sc));
    LOAD_OK("name: explicit-defaults\nsync: {size: default, session: fake, callback: fake, "
            "done_event_ptr: valid, psib: valid}\n",
            &list);
    assert_int_equal(list.items[1].sib_size, SCENARIO_SIB_SIZE);
    assert_true(scenario_args_valid(&list.items[1]));
    LOAD_OK("name: all-null\nsync:\n  size: 16\n  session: null\n  callback: null\n"
            "  done_event_ptr: null\n  psib: \"null\"\n",
            &list);
    sc = &list.items[2];
    assert_int_equal(sc->sib_size, 16);
    assert_int_equal(sc->session, SCENARIO_SESSION_NULL);
    assert_int_equal(sc->callback, SCENARIO_CALLBACK_NULL);
    assert_int_equal(sc->done_event_ptr, SCENARIO_POINTER_NULL);
    assert_int_equal(sc->psib, SCENARIO_POINTER_NULL);
    assert_false(scenario_args_valid(sc));
    LOAD_OK("name: big\nsync: {size: 0x1000, callback: unknown-only}\n", &list);
    sc = &list.items[3];
    assert_int_equal(sc->sib_size, 4096);
    assert_int_equal(sc->callback, SCENARIO_CALLBACK_UNKNOWN_ONLY);
    assert_false(scenario_args_valid(sc));
    LOAD_OK("name: larger-is-valid\nsync: {size: 64}\n", &list);
    assert_true(scenario_args_valid(&list.items[4]));
    LOAD_OK("name: zero\nsync: {size: 0}\n", &list);
    assert_int_equal(list.items[5].sib_size, 0);
    scenario_list_free(&list);

    LOAD_FAILS("name: a\nsync:\n  size: 4097\n", 3, 9,
               "sync.size: expected default or a number of bytes from 0 to 4096 "
               "(sizeof(MAPISIB) is 32), got '4097'");
    LOAD_FAILS("name: a\nsync: {size: -1}\n", 2, 14,
               "sync.size: expected default or a number of bytes from 0 to 4096 "
               "(sizeof(MAPISIB) is 32), got '-1'");
    LOAD_FAILS("name: a\nsync: {size: [32]}\n", 2, 14,
               "sync.size: expected default or a number of bytes from 0 to 4096 "
               "(sizeof(MAPISIB) is 32), got a list");
    LOAD_FAILS("name: a\nsync:\n  session: real\n", 3, 12,
               "sync.session: expected one of fake, null, got 'real'");
    LOAD_FAILS("name: a\nsync:\n  callback: NULL\n", 3, 13,
               "sync.callback: expected one of fake, null, unknown-only, got 'NULL'");
    LOAD_FAILS("name: a\nsync:\n  done_event_ptr: ~\n", 3, 19,
               "sync.done_event_ptr: expected one of valid, null, got '~'");
    LOAD_FAILS("name: a\nsync: {psib: {a: 1}}\n", 2, 14,
               "sync.psib: expected one of valid, null, got a mapping");
}

static void test_progress_returns(void **state)
{
    struct scenario_list list = {0};
    const struct scenario *sc;

    (void)state;
    LOAD_OK("name: cancels\n"
            "host:\n"
            "  progress_returns:\n"
            "    - { from_call: 3, hresult: MAPI_E_USER_CANCEL }\n"
            "    - { hresult: 0x80004005, from_call: 5 }\n",
            &list);
    sc = &list.items[0];
    assert_int_equal(sc->progress_return_count, 2);
    assert_int_equal(sc->progress_returns[0].from_call, 3);
    assert_int_equal(sc->progress_returns[0].hresult, 0x80040113);
    assert_int_equal(sc->progress_returns[1].from_call, 5);
    assert_int_equal(sc->progress_returns[1].hresult, 0x80004005);
    scenario_list_free(&list);
    LOAD_FAILS("name: a\nhost: {progress_returns: {from_call: 1}}\n", 2, 26,
               "host.progress_returns: expected a list of { from_call: N, hresult: NAME } or { "
               "call: N, hresult: NAME }, got a mapping");
    LOAD_FAILS("name: a\nhost: {progress_returns: [{from_call: 0, hresult: S_OK}]}\n", 2, 39,
               "host.progress_returns.from_call: calls are counted from 1, not 0");
    LOAD_FAILS("name: a\nhost: {progress_returns: [{hresult: S_OK}]}\n", 2, 27,
               "host.progress_returns: each entry needs from_call: (the first call it answers, "
               "from 1) or call: (the one call it answers)");
    LOAD_FAILS("name: a\nhost: {progress_returns: [{from_call: 1, answer: S_OK}]}\n", 2, 42,
               "unknown key 'answer' in host.progress_returns (it takes from_call, to_call, "
               "call, hresult)");
}

#define DEADLINE_RANGE "must be from 1 to 3600000 ms (a deadline: 1 hour at most)"

/* One rule for every deadline: 1 ms to 1 hour; 0 is refused, not a default. */
static void test_deadline_bounds(void **state)
{
    static const char *const keys[] = {
        "timeout_ms",
        "return_within_ms",
        "load_timeout_ms",
        "shutdown_timeout_ms",
    };
    struct scenario_list list = {0};
    char text[128], message[256];

    (void)state;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        unsigned col = (unsigned)strlen(keys[i]) + 3;
        snprintf(text, sizeof text, "name: a\n%s: 0\n", keys[i]);
        snprintf(message, sizeof message, "%s: " DEADLINE_RANGE ", got '0'", keys[i]);
        LOAD_FAILS(text, 2, col, message);
        /* 49 days, which a 32-bit tick count still holds. */
        snprintf(text, sizeof text, "name: a\n%s: 4233600000\n", keys[i]);
        snprintf(message, sizeof message, "%s: " DEADLINE_RANGE ", got '4233600000'", keys[i]);
        LOAD_FAILS(text, 2, col, message);
        snprintf(text, sizeof text, "name: a\n%s: 3600001\n", keys[i]);
        snprintf(message, sizeof message, "%s: " DEADLINE_RANGE ", got '3600001'", keys[i]);
        LOAD_FAILS(text, 2, col, message);
        /* Type errors keep their own wording. */
        snprintf(text, sizeof text, "name: a\n%s: soon\n", keys[i]);
        snprintf(message, sizeof message, "%s: expected a whole number of milliseconds, got 'soon'",
                 keys[i]);
        LOAD_FAILS(text, 2, col, message);
    }
    LOAD_OK("name: low\ntimeout_ms: 1\nreturn_within_ms: 1\nload_timeout_ms: 1\n"
            "shutdown_timeout_ms: 1\nsettle_ms: 0\n",
            &list);
    assert_int_equal(list.items[0].timeout_ms, 1);
    assert_int_equal(list.items[0].return_within_ms, 1);
    assert_int_equal(list.items[0].load_timeout_ms, 1);
    assert_int_equal(list.items[0].shutdown_timeout_ms, 1);
    assert_int_equal(list.items[0].settle_ms, 0);
    scenario_list_free(&list);
    LOAD_OK("name: high\ntimeout_ms: 3600000\nreturn_within_ms: 3600000\n"
            "load_timeout_ms: 3600000\nshutdown_timeout_ms: 3600000\nsettle_ms: 60000\n",
            &list);
    assert_int_equal(list.items[0].timeout_ms, 3600000);
    assert_int_equal(list.items[0].return_within_ms, 3600000);
    assert_int_equal(list.items[0].load_timeout_ms, 3600000);
    assert_int_equal(list.items[0].shutdown_timeout_ms, 3600000);
    assert_int_equal(list.items[0].settle_ms, 60000);
    scenario_list_free(&list);
    LOAD_FAILS("name: a\nsettle_ms: 60001\n", 2, 12,
               "settle_ms: must be from 0 to 60000 ms (1 minute at most), got '60001'");
    LOAD_FAILS("name: a\nsettle_ms: 99999999999\n", 2, 12,
               "settle_ms: must be from 0 to 60000 ms (1 minute at most), got '99999999999'");
}

#include "test_scenario.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
