/* test_hresult.c: HRESULT and SYNC_* flag names, both ways. */
#include <setjmp.h>
#include <stdarg.h>
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

static void test_names_of_common_codes(void **state)
{
    (void)state;
    assert_string_equal(hresult_name(0), "S_OK");
    assert_string_equal(hresult_name(1), "S_FALSE");
    assert_string_equal(hresult_name(0x80070057u), "E_INVALIDARG");
    assert_string_equal(hresult_name(0x80004005u), "E_FAIL");
    assert_string_equal(hresult_name(0x80004002u), "E_NOINTERFACE");
    assert_string_equal(hresult_name(0x80004003u), "E_POINTER");
    assert_string_equal(hresult_name(0x8007000Eu), "E_OUTOFMEMORY");
    assert_string_equal(hresult_name(0x80004001u), "E_NOTIMPL");
    assert_string_equal(hresult_name(0x8000FFFFu), "E_UNEXPECTED");
    assert_string_equal(hresult_name(0x80070005u), "E_ACCESSDENIED");
    assert_string_equal(hresult_name(0x80070006u), "E_HANDLE");
    assert_string_equal(hresult_name(0x80004004u), "E_ABORT");
    assert_string_equal(hresult_name(0x8000000Au), "E_PENDING");
    assert_null(hresult_name(0x12345678u));
}

static void test_mapi_codes(void **state)
{
    (void)state;
    /* Values as MAKE_MAPI_E / MAKE_MAPI_S give them (mapicode.h). */
    assert_string_equal(hresult_name(0x80040113u), "MAPI_E_USER_CANCEL");
    assert_string_equal(hresult_name(0x80040102u), "MAPI_E_NO_SUPPORT");
    assert_string_equal(hresult_name(0x8004010Fu), "MAPI_E_NOT_FOUND");
    assert_string_equal(hresult_name(0x80040700u), "MAPI_E_AMBIGUOUS_RECIP");
    assert_string_equal(hresult_name(0x00040380u), "MAPI_W_ERRORS_RETURNED");
    assert_string_equal(hresult_name(0x00040680u), "MAPI_W_PARTIAL_COMPLETION");
    assert_string_equal(hresult_name(0x00040203u), "MAPI_W_NO_SERVICE");
    assert_int_equal(PARSE_OK("MAPI_E_INVALID_WORKSTATION_ACCOUNT"), 0x80040122u);
    assert_int_equal(PARSE_OK("MAPI_E_FOLDER_CYCLE"), 0x8004060Bu);
    assert_int_equal(PARSE_OK("MAPI_W_APPROX_COUNT"), 0x00040482u);
}

static void test_aliases_parse_and_print_the_generic_name(void **state)
{
    (void)state;
    assert_int_equal(PARSE_OK("MAPI_E_CALL_FAILED"), 0x80004005u);
    assert_int_equal(PARSE_OK("MAPI_E_NOT_ENOUGH_MEMORY"), 0x8007000Eu);
    assert_int_equal(PARSE_OK("MAPI_E_INVALID_PARAMETER"), 0x80070057u);
    assert_int_equal(PARSE_OK("MAPI_E_INTERFACE_NOT_SUPPORTED"), 0x80004002u);
    assert_int_equal(PARSE_OK("MAPI_E_NO_ACCESS"), 0x80070005u);
    assert_int_equal(PARSE_OK("SUCCESS_SUCCESS"), 0u);
    assert_string_equal(hresult_name(0x8007000Eu), "E_OUTOFMEMORY");
}

static void test_parse_numbers(void **state)
{
    uint32_t v = 7;

    (void)state;
    assert_int_equal(PARSE_OK("0x80040113"), 0x80040113u);
    assert_int_equal(PARSE_OK("0X8004011f"), 0x8004011Fu);
    assert_int_equal(PARSE_OK("0xFFFFFFFF"), 0xFFFFFFFFu);
    assert_int_equal(PARSE_OK("0"), 0u);
    assert_int_equal(PARSE_OK("4294967295"), 0xFFFFFFFFu);
    assert_int_equal(hresult_parse("0x100000000", 11, &v), -1);
    assert_int_equal(hresult_parse("4294967296", 10, &v), -1);
    assert_int_equal(hresult_parse("0x", 2, &v), -1);
    assert_int_equal(hresult_parse("", 0, &v), -1);
    assert_int_equal(hresult_parse("-1", 2, &v), -1);
    assert_int_equal(hresult_parse(" 1", 2, &v), -1);
    assert_int_equal(hresult_parse("0x1g", 4, &v), -1);
    assert_int_equal(hresult_parse("s_ok", 4, &v), -1);
    assert_int_equal(hresult_parse("S_OKAY", 6, &v), -1);
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
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
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
    uint32_t v = 5;

    (void)state;
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        assert_int_equal(sync_flag_parse(flags[i].name, strlen(flags[i].name), &v), 0);
        assert_int_equal(v, flags[i].value);
    }
    v = 5;
    assert_int_equal(sync_flag_parse("SYNC_NOT_A_FLAG", 15, &v), -1);
    assert_int_equal(sync_flag_parse("0x80", 4, &v), -1);
    assert_int_equal(sync_flag_parse("", 0, &v), -1);
    assert_int_equal(sync_flag_parse("sync_background", 15, &v), -1);
    assert_int_equal(v, 5);
}

static void test_sync_flags_format(void **state)
{
    char buf[SYNC_FLAGS_FORMAT_MAX], small[12];

    (void)state;
    assert_string_equal(sync_flags_format(0, buf, sizeof buf), "0");
    assert_string_equal(sync_flags_format(0x80u, buf, sizeof buf), "SYNC_DOWNLOAD_CONTENTS");
    assert_string_equal(sync_flags_format(0x20000080u, buf, sizeof buf),
                        "SYNC_DOWNLOAD_CONTENTS|SYNC_ON_DEMAND");
    assert_string_equal(sync_flags_format(0x02000000u, buf, sizeof buf), "SYNC_GLOBAL_HEADERS");
    assert_string_equal(sync_flags_format(0x4u, buf, sizeof buf), "0x4");
    assert_string_equal(sync_flags_format(0x80000084u, buf, sizeof buf),
                        "SYNC_DOWNLOAD_CONTENTS|0x80000004");
    assert_string_equal(sync_flags_format(0xFFFFFFFFu, buf, sizeof buf),
                        "SYNC_UPLOAD_HIERARCHY|SYNC_DOWNLOAD_HIERARCHY|SYNC_UPLOAD_CONTENTS|"
                        "SYNC_DOWNLOAD_CONTENTS|SYNC_OUTGOING_MAIL|SYNC_BACKGROUND|"
                        "SYNC_THESE_FOLDERS|SYNC_GLOBAL_HEADERS|SYNC_ON_DEMAND|0xDDFDED3C");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_of_common_codes),
        cmocka_unit_test(test_mapi_codes),
        cmocka_unit_test(test_aliases_parse_and_print_the_generic_name),
        cmocka_unit_test(test_parse_numbers),
        cmocka_unit_test(test_every_name_round_trips),
        cmocka_unit_test(test_format_and_describe),
        cmocka_unit_test(test_hr_failed),
        cmocka_unit_test(test_sync_flag_names),
        cmocka_unit_test(test_sync_flags_format),
    };
    return cmocka_run_group_tests_name("hresult", tests, NULL, NULL);
}
