/* seal.c: SipHash and the run key (see seal.h). */
#include "protocol/seal.h"

#include <string.h>

#include "text/number.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

/* Both builds are x86-64, little-endian: a little-endian load is a load. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "SipHash reads words little-endian");
static uint64_t load_le64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof v);
    return v;
}

static void sip_round(uint64_t v[4])
{
    v[0] += v[1];
    v[1] = ROTL(v[1], 13);
    v[1] ^= v[0];
    v[0] = ROTL(v[0], 32);
    v[2] += v[3];
    v[3] = ROTL(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = ROTL(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = ROTL(v[1], 17);
    v[1] ^= v[2];
    v[2] = ROTL(v[2], 32);
}

static void sip_absorb(struct sip *st, uint64_t m)
{
    st->v[3] ^= m;
    for (int i = 0; i < st->c_rounds; i++) {
        sip_round(st->v);
    }
    st->v[0] ^= m;
}

void sip_init(struct sip *st, const uint8_t key[SEAL_KEY_BYTES], int c_rounds, int d_rounds)
{
    uint64_t k0 = load_le64(key), k1 = load_le64(key + 8);

    st->v[0] = k0 ^ 0x736f6d6570736575ull;
    st->v[1] = k1 ^ 0x646f72616e646f6dull;
    st->v[2] = k0 ^ 0x6c7967656e657261ull;
    st->v[3] = k1 ^ 0x7465646279746573ull;
    st->c_rounds = c_rounds;
    st->d_rounds = d_rounds;
    st->len = 0;
    st->buffered = 0;
}

void sip_update(struct sip *st, const void *data, size_t len)
{
    const uint8_t *p = data;

    st->len += len;
    while (st->buffered > 0 && len > 0) {
        st->buf[st->buffered++] = *p++;
        len--;
        if (st->buffered == 8) {
            sip_absorb(st, load_le64(st->buf));
            st->buffered = 0;
        }
    }
    if (st->buffered > 0) {
        return; /* all of data went into the partial word */
    }
    for (; len >= 8; p += 8, len -= 8) {
        sip_absorb(st, load_le64(p));
    }
    memcpy(st->buf, p, len);
    st->buffered = len;
}

uint64_t sip_final(struct sip *st)
{
    uint8_t last[8] = {0};

    memcpy(last, st->buf, st->buffered);
    last[7] = (uint8_t)st->len;
    sip_absorb(st, load_le64(last));
    st->v[2] ^= 0xff;
    for (int i = 0; i < st->d_rounds; i++) {
        sip_round(st->v);
    }
    return st->v[0] ^ st->v[1] ^ st->v[2] ^ st->v[3];
}

uint64_t seal_siphash(const uint8_t key[SEAL_KEY_BYTES], const void *data, size_t len)
{
    struct sip st;

    sip_init(&st, key, 2, 4);
    sip_update(&st, data, len);
    return sip_final(&st);
}

/* Derived 64-bit words: SipHash-2-4 of "synchost-seal", then a label byte. */
static uint64_t derive(const uint8_t key[SEAL_KEY_BYTES], uint8_t label)
{
    uint8_t msg[14] = {'s', 'y', 'n', 'c', 'h', 'o', 's', 't', '-', 's', 'e', 'a', 'l', 0};

    msg[13] = label;
    return seal_siphash(key, msg, sizeof msg);
}

static void keyed_state(const uint8_t key[SEAL_KEY_BYTES], uint8_t label, uint64_t v[4])
{
    uint8_t sub[SEAL_KEY_BYTES];
    uint64_t k0 = derive(key, label), k1 = derive(key, (uint8_t)(label + 1));
    struct sip st;

    memcpy(sub, &k0, 8);
    memcpy(sub + 8, &k1, 8);
    sip_init(&st, sub, 1, 3);
    memcpy(v, st.v, sizeof st.v);
}

void seal_mac_init(struct seal_mac *m, const uint8_t key[SEAL_KEY_BYTES])
{
    keyed_state(key, 0, m->pad_v);
    keyed_state(key, 2, m->text_v);
    for (int i = 0; i < SEAL_NH_WORDS / 2; i++) {
        uint64_t d = derive(key, (uint8_t)(16 + i));
        m->nh[2 * i] = (uint32_t)d;
        m->nh[2 * i + 1] = (uint32_t)(d >> 32);
    }
}

uint64_t seal_mac_bytes(const struct seal_mac *m, const void *a, size_t alen, const void *b,
                        size_t blen)
{
    struct sip st;

    memcpy(st.v, m->text_v, sizeof st.v);
    st.c_rounds = 1;
    st.d_rounds = 3;
    st.len = 0;
    st.buffered = 0;
    if (alen > 0) {
        sip_update(&st, a, alen);
    }
    if (blen > 0) {
        sip_update(&st, b, blen);
    }
    return sip_final(&st);
}

int seal_key_parse(const char *hex, size_t len, uint8_t key[SEAL_KEY_BYTES])
{
    if (len != SEAL_KEY_HEX) {
        return -1;
    }
    for (size_t i = 0; i < SEAL_KEY_BYTES; i++) {
        int hi = text_hex_digit(hex[2 * i]), lo = text_hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        key[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

static void hex_format(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

void seal_key_format(const uint8_t key[SEAL_KEY_BYTES], char out[SEAL_KEY_HEX + 1])
{
    hex_format(key, SEAL_KEY_BYTES, out);
}
