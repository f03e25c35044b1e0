/*
 * test_escape.c: the walk every writer of text shares, and its escapes
 * (text/escape.h): characters come whole with their code points, NULs
 * included; a byte of no character comes alone; the escapes are spelt in the
 * case asked for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "text/escape.h"

struct seen {
    int32_t cp[16];
    size_t len[16];
    size_t n;
};

static void collect(void *ctx, const unsigned char *p, size_t len, int32_t cp)
{
    struct seen *s = ctx;

    (void)p;
    if (s->n < 16) {
        s->cp[s->n] = cp;
        s->len[s->n++] = len;
    }
}

static void test_walk(void **state)
{
    /* 'a', NUL, U+00E9, a stray continuation byte, U+202E, a cut U+20AC, 'z' */
    static const char text[] = "a\0\xC3\xA9\x80\xE2\x80\xAE\xE2\x82z";
    struct seen s = {{0}, {0}, 0};

    (void)state;
    text_walk(text, sizeof text - 1, collect, &s);
    assert_int_equal(s.n, 8);
    assert_int_equal(s.cp[0], 'a');
    assert_int_equal(s.cp[1], 0);
    assert_int_equal(s.cp[2], 0xE9);
    assert_int_equal(s.len[2], 2);
    assert_int_equal(s.cp[3], TEXT_WALK_BYTE);
    assert_int_equal(s.cp[4], 0x202E);
    assert_int_equal(s.len[4], 3);
    assert_int_equal(s.cp[5], TEXT_WALK_BYTE); /* the cut sequence: each byte alone */
    assert_int_equal(s.cp[6], TEXT_WALK_BYTE);
    assert_int_equal(s.cp[7], 'z');
}

static void test_escapes(void **state)
{
    char out[TEXT_ESCAPE_MAX];

    (void)state;
    assert_int_equal(text_escape_byte(out, 0x1b, TEXT_HEX_LOWER), 4);
    assert_string_equal(out, "\\x1b");
    text_escape_byte(out, 0xAF, TEXT_HEX_UPPER);
    assert_string_equal(out, "\\xAF");
    assert_int_equal(text_escape_cp(out, 0x202e, TEXT_HEX_LOWER), 6);
    assert_string_equal(out, "\\u202e");
    text_escape_cp(out, 0x9B, TEXT_HEX_UPPER);
    assert_string_equal(out, "\\u009B");
    assert_int_equal(text_escape_cp(out, 0x10FFFF, TEXT_HEX_UPPER), 8);
    assert_string_equal(out, "\\u10FFFF");
}

#include "test_escape.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
