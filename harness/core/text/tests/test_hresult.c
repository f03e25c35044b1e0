/* test_hresult.c: HRESULT and SYNC_* flag names, both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text/hresult.h"

static uint32_t parse_ok(const char *s, const char *file, int line)
{
    uint32_t v = 0xDEADBEEFu;

    _assert_int_equal(hresult_parse(s, strlen(s), &v), 0, file, line);
    return v;
}
#define PARSE_OK(s) parse_ok((s), __FILE__, __LINE__)

/* A code and a name that stands for it. */
struct code_name {
    uint32_t value;
    const char *name;
};

/* Each name parses to its code. */
static void check_parses(const struct code_name *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        uint32_t v = 0xDEADBEEFu;

        if (hresult_parse(cases[i].name, strlen(cases[i].name), &v) != 0 || v != cases[i].value) {
            fail_msg("\"%s\" does not parse to 0x%08X", cases[i].name,
                     (unsigned)cases[i].value);
        }
    }
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Codes with the name hresult_name gives them, and the names that only parse: aliases, which
 * print as the generic name, and the MAPI names checked one way. MAPI values are as MAKE_MAPI_E /
 * MAKE_MAPI_S give them (mapicode.h). */
static const struct known_name {
    uint32_t value;
    const char *name;
    bool printed;
} known[] = {
    {0, "S_OK", true},
    {1, "S_FALSE", true},
    {0x80070057u, "E_INVALIDARG", true},
    {0x80004005u, "E_FAIL", true},
    {0x80004002u, "E_NOINTERFACE", true},
    {0x80004003u, "E_POINTER", true},
    {0x8007000Eu, "E_OUTOFMEMORY", true},
    {0x80004001u, "E_NOTIMPL", true},
    {0x8000FFFFu, "E_UNEXPECTED", true},
    {0x80070005u, "E_ACCESSDENIED", true},
    {0x80070006u, "E_HANDLE", true},
    {0x80004004u, "E_ABORT", true},
    {0x8000000Au, "E_PENDING", true},
    {0x80040113u, "MAPI_E_USER_CANCEL", true},
    {0x80040102u, "MAPI_E_NO_SUPPORT", true},
    {0x8004010Fu, "MAPI_E_NOT_FOUND", true},
    {0x80040700u, "MAPI_E_AMBIGUOUS_RECIP", true},
    {0x00040380u, "MAPI_W_ERRORS_RETURNED", true},
    {0x00040680u, "MAPI_W_PARTIAL_COMPLETION", true},
    {0x00040203u, "MAPI_W_NO_SERVICE", true},
    {0x80040122u, "MAPI_E_INVALID_WORKSTATION_ACCOUNT", false},
    {0x8004060Bu, "MAPI_E_FOLDER_CYCLE", false},
    {0x00040482u, "MAPI_W_APPROX_COUNT", false},
    {0x80004005u, "MAPI_E_CALL_FAILED", false},
    {0x8007000Eu, "MAPI_E_NOT_ENOUGH_MEMORY", false},
    {0x80070057u, "MAPI_E_INVALID_PARAMETER", false},
    {0x80004002u, "MAPI_E_INTERFACE_NOT_SUPPORTED", false},
    {0x80070005u, "MAPI_E_NO_ACCESS", false},
    {0u, "SUCCESS_SUCCESS", false},
};

static void test_known_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(known); i++) {
        const struct known_name *k = &known[i];
        const char *got = hresult_name(k->value);
        uint32_t v = 0xDEADBEEFu;

        if (hresult_parse(k->name, strlen(k->name), &v) != 0 || v != k->value) {
            fail_msg("\"%s\" does not parse to 0x%08X", k->name, (unsigned)k->value);
        }
        if (k->printed && (!got || strcmp(got, k->name) != 0)) {
            fail_msg("hresult_name(0x%08X) is %s, not %s", (unsigned)k->value,
                     got ? got : "NULL", k->name);
        }
    }
    assert_null(hresult_name(0x12345678u));
    /* An alias prints as the generic name. */
    assert_string_equal(hresult_name(0x8007000Eu), "E_OUTOFMEMORY");
}

static void test_parse_numbers(void **state)
{
    static const struct code_name numbers[] = {
        {0x80040113u, "0x80040113"}, {0x8004011Fu, "0X8004011f"}, {0xFFFFFFFFu, "0xFFFFFFFF"},
        {0u, "0"},                   {0xFFFFFFFFu, "4294967295"},
    };
    static const char *const refused[] = {
        "0x100000000", "4294967296", "0x", "", "-1", " 1", "0x1g", "s_ok", "S_OKAY",
    };
    uint32_t v = 7;

    (void)state;
    check_parses(numbers, COUNT(numbers));
    for (size_t i = 0; i < COUNT(refused); i++) {
        if (hresult_parse(refused[i], strlen(refused[i]), &v) != -1) {
            fail_msg("\"%s\" parses", refused[i]);
        }
    }
    assert_int_equal(v, 7); /* untouched on failure */
    /* Only len bytes are read: "S_OK" out of "S_OKAY". */
    assert_int_equal(hresult_parse("S_OKAY", 4, &v), 0);
    assert_int_equal(v, 0);
}

static void test_every_name_round_trips(void **state)
{
    static const char *const names[] = {
        "S_OK",
        "S_FALSE",
        "E_INVALIDARG",
        "E_FAIL",
        "E_NOINTERFACE",
        "E_POINTER",
        "E_OUTOFMEMORY",
        "E_NOTIMPL",
        "E_UNEXPECTED",
        "E_ACCESSDENIED",
        "E_HANDLE",
        "E_ABORT",
        "E_PENDING",
        "MAPI_E_USER_CANCEL",
        "MAPI_E_TIMEOUT",
        "MAPI_E_NETWORK_ERROR",
        "MAPI_W_CANCEL_MESSAGE",
        "MAPI_E_UNCONFIGURED",
        "MAPI_E_TABLE_TOO_BIG",
    };
    char buf[HRESULT_NAME_MAX];

    (void)state;
    for (size_t i = 0; i < COUNT(names); i++) {
        uint32_t v = PARSE_OK(names[i]);
        assert_string_equal(hresult_format(v, buf, sizeof buf), names[i]);
        assert_string_equal(buf, names[i]);
    }
}

static void test_format_and_describe(void **state)
{
    char buf[HRESULT_DESCRIBE_MAX], small[8];
    const char *longest = "MAPI_E_INVALID_WORKSTATION_ACCOUNT";

    (void)state;
    assert_string_equal(hresult_format(0x8004ABCDu, buf, sizeof buf), "0x8004ABCD");
    assert_string_equal(hresult_format(0x1u, buf, sizeof buf), "S_FALSE");
    assert_string_equal(hresult_describe(0x80040113u, buf, sizeof buf),
                        "MAPI_E_USER_CANCEL (0x80040113)");
    assert_string_equal(hresult_describe(0x00000000u, buf, sizeof buf), "S_OK (0x00000000)");
    assert_string_equal(hresult_describe(0x8004ABCDu, buf, sizeof buf), "0x8004ABCD");
    assert_string_equal(hresult_describe(0x80040122u, buf, sizeof buf),
                        "MAPI_E_INVALID_WORKSTATION_ACCOUNT (0x80040122)");
    assert_int_equal(strlen(longest) + 1, HRESULT_NAME_MAX);
    /* A small buffer: the name returned is whole, the copy is cut and terminated. */
    assert_string_equal(hresult_format(0x80040122u, small, sizeof small), longest);
    assert_string_equal(small, "MAPI_E_");
    assert_string_equal(hresult_describe(0x80040113u, small, sizeof small), "MAPI_E_");
    /* cap 0 writes nothing. */
    small[0] = 'x';
    hresult_format(0x8004ABCDu, small, 0);
    hresult_describe(0x80040113u, small, 0);
    assert_int_equal(small[0], 'x');
}

static void test_hr_failed(void **state)
{
    (void)state;
    assert_true(HR_FAILED(0x80040113u));
    assert_false(HR_FAILED(HR_S_OK));
    assert_false(HR_FAILED(0x00040380u));
}

static void test_sync_flag_names(void **state)
{
    static const struct {
        const char *name;
        uint32_t value;
    } flags[] = {
        {"SYNC_UPLOAD_HIERARCHY", 0x1u},  {"SYNC_DOWNLOAD_HIERARCHY", 0x2u},
        {"SYNC_UPLOAD_CONTENTS", 0x40u},  {"SYNC_DOWNLOAD_CONTENTS", 0x80u},
        {"SYNC_OUTGOING_MAIL", 0x200u},   {"SYNC_BACKGROUND", 0x1000u},
        {"SYNC_THESE_FOLDERS", 0x20000u}, {"SYNC_GLOBAL_HEADERS", 0x02000000u},
        {"SYNC_HEADERS", 0x02000000u},    {"SYNC_ON_DEMAND", 0x20000000u},
    };
    static const char *const refused[] = {"SYNC_NOT_A_FLAG", "0x80", "", "sync_background"};
    uint32_t v = 5;

    (void)state;
    for (size_t i = 0; i < COUNT(flags); i++) {
        assert_int_equal(sync_flag_parse(flags[i].name, strlen(flags[i].name), &v), 0);
        assert_int_equal(v, flags[i].value);
    }
    v = 5;
    for (size_t i = 0; i < COUNT(refused); i++) {
        if (sync_flag_parse(refused[i], strlen(refused[i]), &v) != -1) {
            fail_msg("\"%s\" parses as a flag", refused[i]);
        }
    }
    assert_int_equal(v, 5);
}

static void test_sync_flags_format(void **state)
{
    static const struct code_name cases[] = {
        {0, "0"},
        {0x80u, "SYNC_DOWNLOAD_CONTENTS"},
        {0x20000080u, "SYNC_DOWNLOAD_CONTENTS|SYNC_ON_DEMAND"},
        {0x02000000u, "SYNC_GLOBAL_HEADERS"},
        {0x4u, "0x4"},
        {0x80000084u, "SYNC_DOWNLOAD_CONTENTS|0x80000004"},
        {0xFFFFFFFFu, "SYNC_UPLOAD_HIERARCHY|SYNC_DOWNLOAD_HIERARCHY|SYNC_UPLOAD_CONTENTS|"
                      "SYNC_DOWNLOAD_CONTENTS|SYNC_OUTGOING_MAIL|SYNC_BACKGROUND|"
                      "SYNC_THESE_FOLDERS|SYNC_GLOBAL_HEADERS|SYNC_ON_DEMAND|0xDDFDED3C"},
    };
    char buf[SYNC_FLAGS_FORMAT_MAX], small[12];

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        assert_string_equal(sync_flags_format(cases[i].value, buf, sizeof buf), cases[i].name);
    }
    assert_true(strlen(buf) < SYNC_FLAGS_FORMAT_MAX);
    /* Truncated, terminated, never overrun. */
    memset(small, '#', sizeof small);
    assert_string_equal(sync_flags_format(0x20000080u, small, 8), "SYNC_DO");
    assert_int_equal(small[8], '#');
    small[0] = 'x';
    sync_flags_format(0x80u, small, 0);
    assert_int_equal(small[0], 'x');
    assert_string_equal(sync_flags_format(0x80u, small, 1), "");
}

#include "test_hresult.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests_name("hresult", tests, NULL, NULL);
}
