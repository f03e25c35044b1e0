/* test_seal.c: SipHash-2-4 against the reference vectors, and the chained
 * line seals catching every kind of tampering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "seal.h"

static const uint8_t key16[SEAL_KEY_BYTES] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

/* The paper's vectors: key 00..0f, message 00..len-1. */
static void test_siphash_reference_vectors(void **state)
{
    uint8_t msg[64];

    (void)state;
    for (int i = 0; i < 64; i++) {
        msg[i] = (uint8_t)i;
    }
    assert_true(seal_siphash(key16, msg, 0) == 0x726fdb47dd0e0e31ull);
    assert_true(seal_siphash(key16, msg, 1) == 0x74f839c593dc67fdull);
    assert_true(seal_siphash(key16, msg, 8) == 0x93f5f5799a932462ull);
    assert_true(seal_siphash(key16, msg, 15) == 0xa129ca6149be45e5ull);
    assert_true(seal_siphash(key16, msg, 63) == 0x958a324ceb064572ull);
}

static void test_key_hex_round_trip(void **state)
{
    char hex[SEAL_KEY_HEX + 1];
    uint8_t back[SEAL_KEY_BYTES];

    (void)state;
    seal_key_format(key16, hex);
    assert_string_equal(hex, "000102030405060708090a0b0c0d0e0f");
    assert_int_equal(seal_key_parse(hex, strlen(hex), back), 0);
    assert_memory_equal(back, key16, sizeof back);
    assert_int_equal(seal_key_parse(hex, strlen(hex) - 1, back), -1);
    hex[3] = 'G';
    assert_int_equal(seal_key_parse(hex, strlen(hex), back), -1);
}

/* Seals n lines "progress seq=I\n" into lines[], as the worker would. */
static void seal_lines(char lines[][96], size_t *lens, size_t n)
{
    struct seal w;

    seal_init(&w, key16);
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(lines[i], 96, "progress seq=%zu\n", i);
        lens[i] = seal_line(&w, lines[i], (size_t)len, 96);
        assert_int_equal(lens[i], (size_t)len + SEAL_SUFFIX_LEN);
        assert_int_equal(lines[i][lens[i] - 1], '\n');
    }
}

static void test_sealed_stream_checks(void **state)
{
    char lines[4][96];
    size_t lens[4];
    struct seal r;

    (void)state;
    seal_lines(lines, lens, 4);
    seal_init(&r, key16);
    for (size_t i = 0; i < 4; i++) {
        long body = seal_check(&r, lines[i], lens[i] - 1);
        assert_true(body > 0);
        assert_int_equal(strncmp(lines[i], "progress seq=", 13), 0);
        assert_int_equal(lines[i][body], ' ');
    }
}

static void test_tampering_is_caught(void **state)
{
    char lines[4][96];
    size_t lens[4];
    struct seal r;
    static const char forged[] = "end seq=2 t=5 tid=1";

    (void)state;
    seal_lines(lines, lens, 4);

    /* A changed byte. */
    seal_init(&r, key16);
    assert_true(seal_check(&r, lines[0], lens[0] - 1) > 0);
    lines[1][0] = 'P';
    assert_int_equal(seal_check(&r, lines[1], lens[1] - 1), -1);

    /* A dropped line: line 2 after line 0. */
    seal_lines(lines, lens, 4);
    seal_init(&r, key16);
    assert_true(seal_check(&r, lines[0], lens[0] - 1) > 0);
    assert_int_equal(seal_check(&r, lines[2], lens[2] - 1), -1);
    /* The chain did not move: line 1 still checks. */
    assert_true(seal_check(&r, lines[1], lens[1] - 1) > 0);

    /* A line without a seal, and a line sealed under another key. */
    assert_int_equal(seal_check(&r, forged, strlen(forged)), -1);
    {
        uint8_t other[SEAL_KEY_BYTES] = {0};
        struct seal w;
        char line[96] = "progress seq=2\n";
        size_t len;

        seal_init(&w, other);
        w.chain = r.chain;
        len = seal_line(&w, line, strlen(line), sizeof line);
        assert_int_equal(seal_check(&r, line, len - 1), -1);
    }
    /* A replayed line. */
    assert_int_equal(seal_check(&r, lines[1], lens[1] - 1), -1);
}

static void test_no_room_leaves_line(void **state)
{
    struct seal w;
    char buf[24] = "progress seq=1\n";

    (void)state;
    seal_init(&w, key16);
    assert_int_equal(seal_line(&w, buf, 15, sizeof buf), 15);
    assert_true(w.chain == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_siphash_reference_vectors),
        cmocka_unit_test(test_key_hex_round_trip),
        cmocka_unit_test(test_sealed_stream_checks),
        cmocka_unit_test(test_tampering_is_caught),
        cmocka_unit_test(test_no_room_leaves_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
