/*
 * seal.h: the keyed hashes that make the worker's event ring tamper-evident.
 *
 * The threat. A provider runs inside the worker process and can write into
 * any memory the worker has, the event ring included (ring.h): it could
 * forge a clean ending ("done", "event_signaled") and exit, or alter a
 * record the supervisor has not read yet. So every record carries a tag
 * under a per-run key the supervisor hands the worker on its standard input
 * before the provider is loaded; a forged or altered record fails it, and
 * the supervisor trusts nothing from there on.
 *
 * What the key cannot be: out of the provider's reach. The worker must
 * compute tags, so the key (or what is derived from it) is somewhere in the
 * memory the provider shares; a provider that deliberately searches the
 * worker's memory for it and reimplements the tag defeats any in-process
 * scheme, however strong the hash. That is reverse engineering of the host,
 * out of scope (CONTRACT.md, host-integrity). What the tag must give, then:
 * (1) without the key, no record the reader accepts, except by a guess
 * that succeeds with a negligible probability; (2) no key from what the
 * provider can see without searching for it, the valid records in the
 * ring themselves; (3) every accidental or opportunistic write into the
 * ring shows. A guess gets one try: the first record that fails its tag
 * ends the stream with a host-integrity violation.
 *
 * Hence, for a record without text (a Progress flood is nothing else), a
 * Wegman-Carter tag, cheaper than a PRF over the whole record:
 *
 *     tag = NH(K_nh, the record's 56 bytes) + SipHash-1-3(K_pad, seq)  mod 2^64
 *
 * NH (UMAC's hash, Black et al., 1999: the sum of products of 32-bit word
 * pairs, each word added to its key word) is 2^-32-almost-delta-universal
 * over equal-length inputs, with respect to addition mod 2^64; the record's
 * sequence number is used once per run, so the pad is a one-time PRF output
 * and the tags of the records in the ring say nothing about K_nh (2).
 * Forging or altering one record succeeds with probability at most 2^-32
 * plus SipHash's advantage as a PRF (1); the reader's resync after a dead
 * writer gives a forger at most RING_RESYNC_TRIES more tries (ring.h).
 * Seven multiplications and four SipHash rounds, where SipHash-1-3 over the
 * 52 bytes took ten rounds in a row. A record with text takes SipHash-1-3
 * (K_text) over its fields and its text (rare: not the hot path).
 *
 * Per record, not per batch or per chain: a record must be checkable on its
 * own, since a worker can die (crash, TerminateProcess, killed at a
 * deadline) between any two records, and every record before the death is
 * to be read and believed; a batch's seal would leave its unsealed tail
 * either lost or forgeable.
 *
 * K_pad, K_text and K_nh are derived from the run key with SipHash-2-4
 * under distinct labels (seal_mac_init). Portable C, no state.
 */
#ifndef SYNCHOST_SEAL_H
#define SYNCHOST_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define SEAL_KEY_BYTES 16
#define SEAL_KEY_HEX   (2 * SEAL_KEY_BYTES)

/* SipHash-2-4 of data under key (the reference algorithm by Aumasson and
 * Bernstein, 2012). */
uint64_t seal_siphash(const uint8_t key[SEAL_KEY_BYTES], const void *data, size_t len);

/* SipHash-c-d over data given in pieces (seal_siphash is 2-4 in one). */
struct sip {
    uint64_t v[4];
    uint8_t buf[8];
    size_t buffered, len;
    int c_rounds, d_rounds;
};
void sip_init(struct sip *st, const uint8_t key[SEAL_KEY_BYTES], int c_rounds, int d_rounds);
void sip_update(struct sip *st, const void *data, size_t len);
uint64_t sip_final(struct sip *st);

/* The record tags' keys, derived from the run key (see above). */
#define SEAL_NH_WORDS 14 /* 56 bytes: a text-less record's fields, then a constant word */
struct seal_mac {
    uint64_t pad_v[4];  /* SipHash-1-3's state after K_pad */
    uint64_t text_v[4]; /* SipHash-1-3's state after K_text */
    uint32_t nh[SEAL_NH_WORDS];
};
void seal_mac_init(struct seal_mac *m, const uint8_t key[SEAL_KEY_BYTES]);

/* The Wegman-Carter tag, under the nonce, of the 56 bytes that are the
 * seven little-endian words m; a nonce must not tag two different blocks
 * in a run. Inline: the writer's hot path keeps the words in registers. */
#define SEAL_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SEAL_SIP_ROUND(v0, v1, v2, v3) \
    do {                               \
        v0 += v1;                      \
        v1 = SEAL_ROTL(v1, 13);        \
        v1 ^= v0;                      \
        v0 = SEAL_ROTL(v0, 32);        \
        v2 += v3;                      \
        v3 = SEAL_ROTL(v3, 16);        \
        v3 ^= v2;                      \
        v0 += v3;                      \
        v3 = SEAL_ROTL(v3, 21);        \
        v3 ^= v0;                      \
        v2 += v1;                      \
        v1 = SEAL_ROTL(v1, 17);        \
        v1 ^= v2;                      \
        v2 = SEAL_ROTL(v2, 32);        \
    } while (0)
#define SEAL_INLINE static inline __attribute__((always_inline))
SEAL_INLINE uint64_t seal_mac_block(const struct seal_mac *m, uint32_t nonce,
                                    const uint64_t words[7])
{
    uint64_t v0 = m->pad_v[0], v1 = m->pad_v[1], v2 = m->pad_v[2], v3 = m->pad_v[3];
    uint64_t nh = 0, msg = (uint64_t)nonce | (uint64_t)4 << 56; /* 4 bytes, and the length */

    /* NH: independent multiplications, overlapping with the pad's rounds. */
    for (int i = 0; i < 7; i++) {
        nh += (uint64_t)(uint32_t)((uint32_t)words[i] + m->nh[2 * i]) *
              (uint32_t)((uint32_t)(words[i] >> 32) + m->nh[2 * i + 1]);
    }
    /* SipHash-1-3 of the nonce's 4 bytes, from K_pad's state. */
    v3 ^= msg;
    SEAL_SIP_ROUND(v0, v1, v2, v3);
    v0 ^= msg;
    v2 ^= 0xff;
    SEAL_SIP_ROUND(v0, v1, v2, v3);
    SEAL_SIP_ROUND(v0, v1, v2, v3);
    SEAL_SIP_ROUND(v0, v1, v2, v3);
    return nh + (v0 ^ v1 ^ v2 ^ v3);
}

/* SipHash-1-3 under K_text of a, then b (either may be empty). */
uint64_t seal_mac_bytes(const struct seal_mac *m, const void *a, size_t alen, const void *b,
                        size_t blen);

/* Key from and to hex (SEAL_KEY_HEX digits). Parse returns 0 or -1. */
int seal_key_parse(const char *hex, size_t len, uint8_t key[SEAL_KEY_BYTES]);
void seal_key_format(const uint8_t key[SEAL_KEY_BYTES], char out[SEAL_KEY_HEX + 1]);

#endif /* SYNCHOST_SEAL_H */
