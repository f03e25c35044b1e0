/*
 * seal.h: the keyed hash that makes the worker's event ring tamper-evident.
 *
 * A provider runs inside the worker process and can write into any memory
 * the worker has, the event ring included (ring.h): it could forge a clean
 * ending ("done", "event_signaled") and exit. So every record carries a MAC,
 * SipHash under a per-run key the supervisor hands the worker on its
 * standard input before the provider is loaded; a forged or altered record
 * fails it, and the supervisor trusts nothing from there on.
 *
 * What this does not stop: a provider that reads the key out of the
 * worker's memory and reimplements the MAC. That takes deliberate reverse
 * engineering of the host, not a stray write; the MAC is meant to make
 * every accidental or opportunistic corruption of the stream visible.
 *
 * Portable C, no state.
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

/* Key from and to hex (SEAL_KEY_HEX digits). Parse returns 0 or -1. */
int seal_key_parse(const char *hex, size_t len, uint8_t key[SEAL_KEY_BYTES]);
void seal_key_format(const uint8_t key[SEAL_KEY_BYTES], char out[SEAL_KEY_HEX + 1]);

#endif /* SYNCHOST_SEAL_H */
