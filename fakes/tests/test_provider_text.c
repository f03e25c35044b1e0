/*
 * test_provider_text.c: provider strings are read without trusting them:
 * limits, surrogates, truncation, and a string that runs into an
 * inaccessible page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <windows.h>

#include "provider_text.h"

static char out[EVENT_TEXT_MAX];

/* A buffer of n units of c, terminated at n when terminate is set. */
static WCHAR *units(size_t n, WCHAR c, int terminate)
{
    static WCHAR buf[PROVIDER_TEXT_SCAN_UNITS + 2];

    assert_true(n + 1 <= sizeof buf / sizeof buf[0]);
    for (size_t i = 0; i < n; i++) {
        buf[i] = c;
    }
    buf[n] = terminate ? 0 : c;
    for (size_t i = n + 1; i < sizeof buf / sizeof buf[0]; i++) {
        buf[i] = c;
    }
    return buf;
}

static void test_null_and_empty(void **state)
{
    (void)state;
    assert_int_equal(provider_text_read(NULL, out, sizeof out), TEXT_NULL);
    assert_string_equal(out, "");
    assert_int_equal(provider_text_read(L"", out, sizeof out), TEXT_OK);
    assert_string_equal(out, "");
}

static void test_utf8_conversion(void **state)
{
    /* A, e-acute, euro, U+1F600 as a surrogate pair. */
    static const WCHAR s[] = {0x41, 0xe9, 0x20ac, 0xd83d, 0xde00, 0};

    (void)state;
    assert_int_equal(provider_text_read(s, out, sizeof out), TEXT_OK);
    assert_string_equal(out, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

static void test_lone_surrogates(void **state)
{
    static const WCHAR high[] = {'a', 0xd800, 'b', 0};
    static const WCHAR low[] = {0xdc00, 'x', 0};
    static const WCHAR high_at_end[] = {'z', 0xdbff, 0};

    (void)state;
    assert_int_equal(provider_text_read(high, out, sizeof out), TEXT_ILL_FORMED);
    assert_string_equal(out,
                        "a\xef\xbf\xbd"
                        "b");
    assert_int_equal(provider_text_read(low, out, sizeof out), TEXT_ILL_FORMED);
    assert_string_equal(out, "\xef\xbf\xbdx");
    assert_int_equal(provider_text_read(high_at_end, out, sizeof out), TEXT_ILL_FORMED);
    assert_string_equal(out, "z\xef\xbf\xbd");
}

static void test_length_limit(void **state)
{
    size_t n;

    (void)state;
    /* Exactly the recorded length, terminated: fine. */
    assert_int_equal(provider_text_read(units(PROVIDER_TEXT_MAX_UNITS, 'a', 1), out, sizeof out),
                     TEXT_OK);
    assert_int_equal(strlen(out), PROVIDER_TEXT_MAX_UNITS);
    /* One more, terminated: long, not unterminated; the text is the first
     * 1024 units and the length is told in full. */
    assert_int_equal(
        provider_text_read_n(units(PROVIDER_TEXT_MAX_UNITS + 1, 'b', 1), out, sizeof out, &n),
        TEXT_LONG);
    assert_int_equal(strlen(out), PROVIDER_TEXT_MAX_UNITS);
    assert_int_equal(out[0], 'b');
    assert_int_equal(n, PROVIDER_TEXT_MAX_UNITS + 1);
    /* A 64 KiB text (32767 units and the NUL) is long, too. */
    assert_int_equal(provider_text_read_n(units(32767, 'c', 1), out, sizeof out, &n), TEXT_LONG);
    assert_int_equal(n, 32767);
}

static void test_scan_bound(void **state)
{
    size_t n;

    (void)state;
    /* The scan bound's worth of units and the NUL: still terminated. */
    assert_int_equal(
        provider_text_read_n(units(PROVIDER_TEXT_SCAN_UNITS, 'd', 1), out, sizeof out, &n),
        TEXT_LONG);
    assert_int_equal(n, PROVIDER_TEXT_SCAN_UNITS);
    /* One more: no NUL within the bound, so unterminated as far as the host
     * may read. */
    assert_int_equal(provider_text_read(units(PROVIDER_TEXT_SCAN_UNITS + 1, 'e', 1), out, sizeof out),
                     TEXT_TOO_LONG);
    assert_int_equal(strlen(out), PROVIDER_TEXT_MAX_UNITS);
    assert_int_equal(out[0], 'e');
}

static void test_pair_cut_by_limit(void **state)
{
    WCHAR *s = units(PROVIDER_TEXT_MAX_UNITS + 1, 'c', 1);

    (void)state;
    /* A pair across the recorded length is well-formed: left out whole. */
    s[PROVIDER_TEXT_MAX_UNITS - 1] = 0xd83d;
    s[PROVIDER_TEXT_MAX_UNITS] = 0xde00;
    assert_int_equal(provider_text_read(s, out, sizeof out), TEXT_LONG);
    assert_int_equal(strlen(out), PROVIDER_TEXT_MAX_UNITS - 1);
    /* A lone surrogate past the recorded length still makes it ill-formed. */
    s = units(PROVIDER_TEXT_MAX_UNITS + 10, 'c', 1);
    s[PROVIDER_TEXT_MAX_UNITS + 5] = 0xdc00;
    assert_int_equal(provider_text_read(s, out, sizeof out), TEXT_ILL_FORMED);
    assert_int_equal(strlen(out), PROVIDER_TEXT_MAX_UNITS);
}

static void test_worst_case_fits(void **state)
{
    /* 1024 units of a 3-byte character: the largest text there is. */
    (void)state;
    assert_int_equal(provider_text_read(units(PROVIDER_TEXT_MAX_UNITS, 0x20ac, 1), out, sizeof out),
                     TEXT_OK);
    assert_int_equal(strlen(out), 3 * PROVIDER_TEXT_MAX_UNITS);
}

static void test_small_buffer_cuts_at_character(void **state)
{
    static const WCHAR s[] = {'a', 'b', 0x20ac, 'c', 0xd800, 0};
    char small[5];

    (void)state;
    /* "ab" fits, the euro (3 bytes) does not with the NUL: cut before it, but
     * the state still reflects the whole string. */
    assert_int_equal(provider_text_read(s, small, sizeof small), TEXT_ILL_FORMED);
    assert_string_equal(small, "ab");
    assert_int_equal(provider_text_read(s, small, 0), TEXT_ILL_FORMED);
}

static void test_unreadable_pointers(void **state)
{
    (void)state;
    assert_int_equal(provider_text_read((const WCHAR *)(uintptr_t)0x10, out, sizeof out),
                     TEXT_UNREADABLE);
    assert_string_equal(out, "");
    assert_int_equal(provider_text_read((const WCHAR *)(uintptr_t)0xfffff0000ull, out, sizeof out),
                     TEXT_UNREADABLE);
}

/* A string at the very end of a readable page, with an inaccessible page
 * after it: terminated in time is fine, unterminated is unreadable, and
 * neither faults. */
static void test_string_running_into_guard_page(void **state)
{
    SYSTEM_INFO si;
    BYTE *mem;
    WCHAR *s;
    DWORD old;

    (void)state;
    GetSystemInfo(&si);
    mem = VirtualAlloc(NULL, 2 * si.dwPageSize, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    assert_non_null(mem);
    assert_true(VirtualProtect(mem + si.dwPageSize, si.dwPageSize, PAGE_NOACCESS, &old));

    s = (WCHAR *)(mem + si.dwPageSize) - 3;
    s[0] = 'h';
    s[1] = 'i';
    s[2] = 0;
    assert_int_equal(provider_text_read(s, out, sizeof out), TEXT_OK);
    assert_string_equal(out, "hi");

    s[2] = '!';
    assert_int_equal(provider_text_read(s, out, sizeof out), TEXT_UNREADABLE);
    assert_string_equal(out, "");

    VirtualFree(mem, 0, MEM_RELEASE);
}

#include "test_provider_text.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
