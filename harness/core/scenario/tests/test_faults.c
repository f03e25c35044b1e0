/* test_faults.c: host.faults and provider.profile, from YAML through the
 * script line to what the worker reads, and every error they can give. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scenario/faults.h"
#include "scenario/scenario.h"
#include "scenario_fixture.h"
#include "protocol/script.h"

/* A list of what text holds, loaded (asserted). */
static struct scenario_list load_list(const char *text, const char *file, int line)
{
    struct scenario_list list = {0};

    fixture_load_ok(text, &list, file, line);
    return list;
}
#define LOAD_LIST(text) load_list((text), __FILE__, __LINE__)

static void test_catalogue(void **state)
{
    (void)state;
    assert_int_equal(fault_service_find("MAPIAllocateBuffer", 18), FAULT_SVC_MAPI_ALLOCATE_BUFFER);
    assert_string_equal(fault_service_name(FAULT_SVC_SUP_OPEN_PROFILE_SECTION),
                        "IMAPISupport::OpenProfileSection");
    assert_int_equal(fault_service_find("mapiallocatebuffer", 18), -1);
    assert_null(fault_service_name(FAULT_SERVICE_COUNT));
    /* Every name is unique and found again. */
    for (uint32_t i = 0; i < FAULT_SERVICE_COUNT; i++) {
        const char *n = fault_service_name(i);
        assert_int_equal(fault_service_find(n, strlen(n)), (int)i);
    }
    assert_int_equal(fault_service_default_hr(FAULT_SVC_MAPI_ALLOCATE_MORE),
                     FAULT_HR_NOT_ENOUGH_MEMORY);
    assert_int_equal(fault_service_default_hr(FAULT_SVC_MALLOC_ALLOC), FAULT_HR_NOT_ENOUGH_MEMORY);
    assert_int_equal(fault_service_default_hr(FAULT_SVC_SES_OPEN_ENTRY), FAULT_HR_CALL_FAILED);
    assert_string_equal(fault_service_nearest("OpenProfileSection", 18),
                        "IMAPISupport::OpenProfileSection");
    assert_string_equal(fault_service_nearest("MAPIAllocBuffer", 15), "MAPIAllocateBuffer");
    assert_string_equal(fault_service_nearest("IProfSect::getprops", 19), "IProfSect::GetProps");
}

static void test_faults_load(void **state)
{
    struct scenario_list l =
        LOAD_LIST("name: f\n"
                "host:\n"
                "  faults:\n"
                "    - { service: MAPIAllocateBuffer, nth: 2 }\n"
                "    - service: IMAPISupport::OpenProfileSection\n"
                "      from: 3\n"
                "      to: 5\n"
                "      hresult: MAPI_E_NOT_FOUND\n"
                "    - { service: IMAPISession::OpenEntry }\n"
                "    - { service: IProfSect::GetProps, from: 4 }\n"
                "    - { service: IMalloc::Alloc, to: 2, hresult: 0x80040001 }\n");
    const struct fault_spec *f = l.items[0].faults;

    (void)state;
    assert_int_equal(l.items[0].fault_count, 5);
    assert_int_equal(f[0].service, FAULT_SVC_MAPI_ALLOCATE_BUFFER);
    assert_int_equal(f[0].from, 2);
    assert_int_equal(f[0].to, 2);
    assert_int_equal(f[0].hresult, FAULT_HR_NOT_ENOUGH_MEMORY);
    assert_int_equal(f[1].service, FAULT_SVC_SUP_OPEN_PROFILE_SECTION);
    assert_int_equal(f[1].from, 3);
    assert_int_equal(f[1].to, 5);
    assert_int_equal(f[1].hresult, 0x8004010Fu);
    assert_int_equal(f[2].from, 1);
    assert_int_equal(f[2].to, FAULT_TO_END);
    assert_int_equal(f[2].hresult, FAULT_HR_CALL_FAILED);
    assert_int_equal(f[3].from, 4);
    assert_int_equal(f[3].to, FAULT_TO_END);
    assert_int_equal(f[4].from, 1);
    assert_int_equal(f[4].to, 2);
    assert_int_equal(f[4].hresult, 0x80040001u);
    assert_true(fault_spec_covers(&f[1], 3) && fault_spec_covers(&f[1], 5));
    assert_false(fault_spec_covers(&f[1], 2) || fault_spec_covers(&f[1], 6));
    scenario_list_free(&l);
}

static void test_faults_errors(void **state)
{
    (void)state;
    LOAD_FAILS("name: f\nhost:\n  faults:\n    - { service: MAPIAllocBuffer, nth: 1 }\n", 4, 18,
               "host.faults.service: unknown service 'MAPIAllocBuffer'; did you mean "
               "'MAPIAllocateBuffer'? (docs/faults.md lists them)");
    LOAD_FAILS("name: f\nhost:\n  faults:\n    - { service: OpenProfileSection }\n", 4, 18,
               "host.faults.service: unknown service 'OpenProfileSection'; did you mean "
               "'IMAPISupport::OpenProfileSection'? (docs/faults.md lists them)");
    LOAD_FAILS("name: f\nhost:\n  faults:\n    - { nth: 1 }\n", 4, 7,
               "host.faults: each entry needs service: (the host service to fail)");
    LOAD_FAILS("name: f\nhost:\n  faults:\n    - { service: MAPIFreeBuffer, nth: 0 }\n", 4, 39,
               "host.faults.nth: expected a call number (1 is the first call), got '0'");
    LOAD_FAILS("name: f\nhost:\n  faults:\n    - { service: MAPIFreeBuffer, nth: 1, from: 2 }\n", 4,
               48, "host.faults: nth: names one call; from:/to: a range; not both");
    LOAD_FAILS("name: f\nhost:\n  faults:\n    - { service: MAPIFreeBuffer, from: 3, to: 2 }\n", 4,
               47, "host.faults.to: 2 comes before from: 3");
    LOAD_FAILS("name: f\nhost:\n  faults:\n    - { service: MAPIFreeBuffer, hresult: S_OK }\n", 4,
               43,
               "host.faults.hresult: S_OK is not a failure; write the HRESULT the service "
               "answers instead (a failure code or a warning)");
    LOAD_FAILS("name: f\nhost:\n  faults:\n    - { service: MAPIFreeBuffer, when: 1 }\n", 4, 34,
               "unknown key 'when' in host.faults (it takes service, nth, from, to, hresult)");
    LOAD_FAILS("name: f\nhost:\n  faults: MAPIAllocateBuffer\n", 3, 11,
               "host.faults: expected a list of { service: NAME, nth: N } entries, got "
               "'MAPIAllocateBuffer'");
    LOAD_FAILS("name: f\nhost:\n  faults:\n    - { service: MAPIFreeBuffer, from: '2' }\n", 4, 40,
               "host.faults.from: expected a call number (1 is the first call), got '2'");
}

static void test_too_many_faults(void **state)
{
    char text[4096] = "name: f\nhost:\n  faults:\n";
    size_t len = strlen(text);

    (void)state;
    for (int i = 0; i <= FAULT_MAX_SPECS; i++) {
        int n = snprintf(text + len, sizeof text - len, "    - { service: MAPIAllocateMore }\n");
        assert_true(n > 0 && (size_t)n < sizeof text - len);
        len += (size_t)n;
    }
    LOAD_FAILS(text, 4, 5, "host.faults: at most 16 entries, got 17");
}

static void test_profile_load(void **state)
{
    struct scenario_list l = LOAD_LIST("name: p\n"
                                     "provider:\n"
                                     "  profile:\n"
                                     "    PR_DISPLAY_NAME: \"Test store\"\n"
                                     "    PR_RESOURCE_FLAGS: 0x40\n"
                                     "    PR_DEFAULT_STORE: true\n"
                                     "    PR_PROVIDER_UID: \"00ff10\"\n"
                                     "    0x66000014: -2\n"
                                     "    0x6601001E: 123\n");
    const struct profile_prop *p = l.items[0].profile;

    (void)state;
    assert_null(l.items[0].provider_path);
    assert_int_equal(l.items[0].profile_count, 6);
    assert_int_equal(p[0].tag, 0x3001001Fu);
    assert_int_equal(p[0].len, 10);
    assert_memory_equal(p[0].data, "Test store", 10);
    assert_int_equal(p[1].tag, 0x30090003u);
    assert_int_equal(p[1].number, 0x40);
    assert_int_equal(p[2].tag, 0x3400000Bu);
    assert_int_equal(p[2].number, 1);
    assert_int_equal(p[3].tag, 0x300C0102u);
    assert_int_equal(p[3].len, 3);
    assert_memory_equal(p[3].data, "\x00\xff\x10", 3);
    assert_int_equal((int64_t)p[4].number, -2);
    assert_int_equal(p[5].len, 3);
    assert_memory_equal(p[5].data, "123", 3);
    scenario_list_free(&l);

    /* Set and empty is not the same as not set. */
    l = LOAD_LIST("name: p\nprovider:\n  profile: {}\n");
    assert_non_null(l.items[0].profile);
    assert_int_equal(l.items[0].profile_count, 0);
    scenario_list_free(&l);
    l = LOAD_LIST("name: p\n");
    assert_null(l.items[0].profile);
    scenario_list_free(&l);
}

static void test_profile_errors(void **state)
{
    (void)state;
    LOAD_FAILS("name: p\nprovider:\n  profile:\n    PR_NO_SUCH: 1\n", 4, 5,
               "provider.profile: unknown property 'PR_NO_SUCH'; write a PR_* name "
               "(PR_DISPLAY_NAME, PR_PROVIDER_UID, ... docs/faults.md lists them) or the 32-bit "
               "tag with its type (0x3001001F)");
    LOAD_FAILS("name: p\nprovider:\n  profile:\n    0x30010040: 1\n", 4, 5,
               "provider.profile: tag '0x30010040' has type 0x0040; a profile value is a string "
               "(0x001E, 0x001F), an integer (0x0003, 0x0014), a boolean (0x000B) or binary "
               "(0x0102)");
    LOAD_FAILS("name: p\nprovider:\n  profile:\n    PR_RESOURCE_FLAGS: lots\n", 4, 24,
               "provider.profile: expected a 32-bit integer (decimal or 0x-hex) for tag "
               "0x30090003, got 'lots'");
    LOAD_FAILS("name: p\nprovider:\n  profile:\n    PR_RESOURCE_FLAGS: 0x100000000\n", 4, 24,
               "provider.profile: expected a 32-bit integer (decimal or 0x-hex) for tag "
               "0x30090003, got '0x100000000'");
    LOAD_FAILS("name: p\nprovider:\n  profile:\n    PR_DEFAULT_STORE: 1\n", 4, 23,
               "provider.profile: expected true or false, got '1'");
    LOAD_FAILS("name: p\nprovider:\n  profile:\n    PR_PROVIDER_UID: abc\n", 4, 22,
               "provider.profile: a binary value is an even number of hex digits, at most 512 "
               "bytes; got 'abc'");
    LOAD_FAILS("name: p\nprovider:\n  profile:\n    PR_PROVIDER_UID: zz\n", 4, 22,
               "provider.profile: a binary value is written in hex digits (\"0a1b2c\"); got 'zz'");
    LOAD_FAILS("name: p\nprovider:\n  profile:\n    PR_DISPLAY_NAME: a\n    0x3001001E: b\n", 5, 5,
               "provider.profile: property 0x3001 is given twice");
    LOAD_FAILS("name: p\nprovider:\n  profile:\n    PR_DISPLAY_NAME: [a]\n", 4, 22,
               "provider.profile: expected a value for tag 0x3001001F, got a list");
    LOAD_FAILS("name: p\nprovider:\n  profile: [a]\n", 3, 12,
               "provider.profile: expected a mapping of properties (PR_DISPLAY_NAME: \"Test "
               "store\"), got a list");
}

/* Faults and profile survive the script line: binary with NUL bytes,
 * strings with spaces and '=' and '%', the largest value, an empty profile
 * that is set. */
static void test_script_round_trip(void **state)
{
    struct scenario_list l = LOAD_LIST("name: r\n"
                                     "provider:\n"
                                     "  profile:\n"
                                     "    PR_DISPLAY_NAME: \"a b=c%d,e\"\n"
                                     "    PR_PROVIDER_UID: \"0000ff00\"\n"
                                     "    0x66000014: -1\n"
                                     "host:\n"
                                     "  faults:\n"
                                     "    - { service: IMAPISupport::GetSvcConfigSupportObj, "
                                     "from: 4294967294 }\n"
                                     "    - { service: MAPIAllocateBuffer, nth: 2 }\n");
    static struct host_script a, b;
    static char line[SCRIPT_LINE_MAX];
    size_t len;

    (void)state;
    l.items[0].profile[1].len = PROFILE_VALUE_MAX;
    memset(l.items[0].profile[1].data, 0xA5, PROFILE_VALUE_MAX);
    script_from_scenario(&l.items[0], "p.dll", 0, 0, &a);
    len = script_format(&a, line, sizeof line);
    assert_int_equal(script_parse(line, len - 1, &b), 0);
    assert_int_equal(b.fault_count, 2);
    assert_memory_equal(b.faults, a.faults, 2 * sizeof a.faults[0]);
    assert_int_equal(b.faults[0].to, FAULT_TO_END);
    assert_true(b.has_profile);
    assert_int_equal(b.profile_count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(b.profile[i].tag, a.profile[i].tag);
        assert_int_equal(b.profile[i].number, a.profile[i].number);
        assert_int_equal(b.profile[i].len, a.profile[i].len);
        assert_memory_equal(b.profile[i].data, a.profile[i].data, a.profile[i].len);
    }
    scenario_list_free(&l);

    l = LOAD_LIST("name: e\nprovider:\n  profile: {}\n");
    script_from_scenario(&l.items[0], "p.dll", 0, 0, &a);
    len = script_format(&a, line, sizeof line);
    assert_int_equal(script_parse(line, len - 1, &b), 0);
    assert_true(b.has_profile);
    assert_int_equal(b.profile_count, 0);
    assert_int_equal(script_parse("script provider=p", 17, &b), 0);
    assert_false(b.has_profile);
    assert_int_equal(b.fault_count, 0);
    scenario_list_free(&l);
}

static void test_script_refuses_bad_fields(void **state)
{
    static const char *const bad[] = {
        "script provider=a fault=NoSuchService,1,1,0x1",
        "script provider=a fault=MAPIAllocateBuffer,0,1,0x1",
        "script provider=a fault=MAPIAllocateBuffer,3,2,0x1",
        "script provider=a fault=MAPIAllocateBuffer,1,1",
        "script provider=a fault=MAPIAllocateBuffer,1,1,0x1,9",
        "script provider=a profiles=17",
        "script provider=a profile=0x3001001f,0,abc",
        "script provider=a profile=0x3001001f,0,zz",
        "script provider=a profile=0x30010040,0,",
        "script provider=a profile=0x3001001f,0",
    };
    static struct host_script s;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (script_parse(bad[i], strlen(bad[i]), &s) != -1) {
            fail_msg("parsed: '%s'", bad[i]);
        }
    }
}

#include "test_faults.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
