/*
 * test_number.c: whole numbers read from text (number.h): what is a number,
 * what is too large by one, and every leniency strtoul has that inputs do
 * not get.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text/number.h"

static int parse(const char *s, unsigned flags, uint64_t max, uint64_t *out)
{
    return text_parse_u64(s, strlen(s), flags, max, out);
}

static void test_numbers(void **state)
{
    uint64_t v = 7;

    (void)state;
    assert_int_equal(parse("0", 0, UINT64_MAX, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(parse("42", 0, UINT64_MAX, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(parse("0x1F", TEXT_NUMBER_HEX, UINT64_MAX, &v), 0);
    assert_int_equal(v, 31);
    assert_int_equal(parse("0XfF", TEXT_NUMBER_HEX, UINT64_MAX, &v), 0);
    assert_int_equal(v, 255);
    assert_int_equal(parse("010", TEXT_NUMBER_HEX, UINT64_MAX, &v), 0);
    assert_int_equal(v, 10); /* never octal */
    assert_int_equal(parse("18446744073709551615", 0, UINT64_MAX, &v), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(parse("0xFFFFFFFF", TEXT_NUMBER_HEX, 0xFFFFFFFFu, &v), 0);
    assert_int_equal(v, 0xFFFFFFFFu);
    assert_int_equal(text_parse_u64z("12", 0, 12, &v), 0);
    assert_int_equal(v, 12);
}

static void test_too_large(void **state)
{
    uint64_t v = 7;

    (void)state;
    assert_int_equal(parse("18446744073709551616", 0, UINT64_MAX, &v), -2);
    assert_int_equal(parse("4294967296", 0, 0xFFFFFFFFu, &v), -2);
    assert_int_equal(parse("0x100000000", TEXT_NUMBER_HEX, 0xFFFFFFFFu, &v), -2);
    assert_int_equal(parse("13", 0, 12, &v), -2);
    assert_int_equal(parse("5", 0, 0, &v), -2);
    assert_int_equal(parse("99999999999999999999999999", 0, UINT64_MAX, &v), -2);
    assert_int_equal(v, 7); /* left alone */
}

static void test_not_numbers(void **state)
{
    static const char *const bad[] = {"", " 1", "1 ", "+1", "-1", "1a", "0x", "1.5", "1e3", "12ms"};
    uint64_t v = 7;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse(bad[i], TEXT_NUMBER_HEX, UINT64_MAX, &v), -1);
    }
    assert_int_equal(parse("0x1F", 0, UINT64_MAX, &v), -1); /* hex only when allowed */
    assert_int_equal(parse("99999999999999999999x", 0, UINT64_MAX, &v), -1);
    assert_int_equal(text_parse_u64z(NULL, 0, UINT64_MAX, &v), -1);
    assert_int_equal(text_parse_u64("12", 1, 0, UINT64_MAX, &v), 0); /* len bounds it */
    assert_int_equal(v, 1);
}

#include "test_number.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
