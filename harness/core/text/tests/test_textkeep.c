/* test_textkeep.c: a stream kept whole up to its bound, NULs included; past
 * it the first and the last half with the count between, whatever the
 * pieces it came in; emptied by a take. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/textkeep.h"

/* Byte i of the test stream: every value, NUL included. */
static char byte_at(size_t i)
{
    return (char)(i * 31u + i / 251u);
}

/* Adds bytes [from, to) of the stream in pieces of step bytes. */
static void add_range(struct textkeep *k, size_t from, size_t to, size_t step)
{
    char piece[4096];

    while (from < to) {
        size_t n = to - from < step ? to - from : step;
        for (size_t i = 0; i < n; i++) {
            piece[i] = byte_at(from + i);
        }
        textkeep_add(k, piece, n);
        from += n;
    }
}

static void test_whole_when_it_fits(void **state)
{
    struct textkeep k;
    size_t len;
    uint64_t dropped;
    char *s;

    (void)state;
    textkeep_init(&k, 1000);
    textkeep_add(&k, "a\0b", 3);
    add_range(&k, 3, 1000, 7);
    s = textkeep_take(&k, &len, &dropped);
    assert_non_null(s);
    assert_int_equal(len, 1000);
    assert_int_equal(dropped, 0);
    assert_memory_equal(s, "a\0b", 3);
    for (size_t i = 3; i < len; i++) {
        assert_int_equal(s[i], byte_at(i));
    }
    assert_int_equal(s[len], '\0');
    free(s);
    /* Taken: empty again. */
    assert_null(textkeep_take(&k, &len, &dropped));
    assert_int_equal(len, 0);
    textkeep_free(&k);
}

/* Past the bound, in any pieces: the first 500 bytes, the marker with the
 * count, the last 500 bytes, in order. */
static void test_first_and_last_half_past_the_bound(void **state)
{
    static const size_t steps[] = {1, 13, 499, 500, 501, 4096};
    const size_t total = 12345;

    (void)state;
    for (size_t t = 0; t < sizeof steps / sizeof steps[0]; t++) {
        struct textkeep k;
        char mark[64];
        size_t len, mark_len;
        uint64_t dropped;
        char *s;

        textkeep_init(&k, 1000);
        add_range(&k, 0, total, steps[t]);
        s = textkeep_take(&k, &len, &dropped);
        mark_len =
            (size_t)snprintf(mark, sizeof mark, TEXTKEEP_MARK, (unsigned long long)(total - 1000));
        assert_non_null(s);
        assert_int_equal(dropped, total - 1000);
        assert_int_equal(len, 1000 + mark_len);
        for (size_t i = 0; i < 500; i++) {
            assert_int_equal(s[i], byte_at(i));
            assert_int_equal(s[500 + mark_len + i], byte_at(total - 500 + i));
        }
        assert_memory_equal(s + 500, mark, mark_len);
        free(s);
        textkeep_free(&k);
    }
}

/* One more byte than the bound: one left out. */
static void test_one_past_the_bound(void **state)
{
    struct textkeep k;
    size_t len;
    uint64_t dropped;
    char *s;

    (void)state;
    textkeep_init(&k, 10);
    add_range(&k, 0, 11, 11);
    s = textkeep_take(&k, &len, &dropped);
    assert_int_equal(dropped, 1);
    assert_int_equal(s[0], byte_at(0));
    assert_int_equal(s[len - 1], byte_at(10));
    assert_int_equal(s[len - 5], byte_at(6));
    free(s);
}

#include "test_textkeep.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
