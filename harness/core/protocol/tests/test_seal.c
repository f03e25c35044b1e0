/* test_seal.c: SipHash-2-4 against the reference vectors, in pieces and in
 * one, and the run key's hex form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/seal.h"

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

/* SipHash over data given in pieces is SipHash over the whole, whatever the
 * cut; 1-3 and 2-4 differ, and so do two keys. */
static void test_pieces_and_rounds(void **state)
{
    uint8_t msg[100];
    uint64_t whole;

    (void)state;
    for (int i = 0; i < 100; i++) {
        msg[i] = (uint8_t)(i * 7);
    }
    whole = seal_siphash(key16, msg, sizeof msg);
    for (size_t cut = 0; cut <= sizeof msg; cut += 3) {
        struct sip st;
        sip_init(&st, key16, 2, 4);
        sip_update(&st, msg, cut);
        sip_update(&st, msg + cut, sizeof msg - cut);
        assert_true(sip_final(&st) == whole);
    }
    {
        struct sip a, b;
        uint8_t other[SEAL_KEY_BYTES] = {0};
        sip_init(&a, key16, 1, 3);
        sip_update(&a, msg, sizeof msg);
        sip_init(&b, other, 1, 3);
        sip_update(&b, msg, sizeof msg);
        uint64_t ha = sip_final(&a), hb = sip_final(&b);
        assert_true(ha != whole);
        assert_true(ha != hb);
    }
}

/* The record tag: any change of the 56 bytes, of the nonce or of the key
 * changes it; the text path differs from it and covers both of its parts. */
static void test_record_tag(void **state)
{
    struct seal_mac m, other;
    uint64_t block[7];
    uint8_t key2[SEAL_KEY_BYTES];
    uint64_t tag;

    (void)state;
    for (size_t i = 0; i < 7; i++) {
        block[i] = 0x0123456789abcdefull * (i + 1);
    }
    seal_mac_init(&m, key16);
    tag = seal_mac_block(&m, 5, block);
    assert_true(seal_mac_block(&m, 5, block) == tag);
    assert_true(seal_mac_block(&m, 6, block) != tag);
    for (size_t i = 0; i < 7; i++) {
        for (int bit = 0; bit < 64; bit += 9) {
            block[i] ^= (uint64_t)1 << bit;
            assert_true(seal_mac_block(&m, 5, block) != tag);
            block[i] ^= (uint64_t)1 << bit;
        }
    }
    memcpy(key2, key16, sizeof key2);
    key2[15] ^= 1;
    seal_mac_init(&other, key2);
    assert_true(seal_mac_block(&other, 5, block) != tag);
    assert_true(seal_mac_bytes(&m, block, sizeof block, NULL, 0) != tag);
    assert_true(seal_mac_bytes(&m, block, 52, "a", 2) != seal_mac_bytes(&m, block, 52, "b", 2));
    assert_true(seal_mac_bytes(&m, block, 52, "a", 2) != seal_mac_bytes(&m, block, 51, "a", 2));
}

#include "test_seal.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
