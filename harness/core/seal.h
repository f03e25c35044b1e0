/*
 * seal.h: makes the worker's event stream tamper-evident.
 *
 * A provider runs inside the worker process and can write into any handle
 * the worker holds, the event stream's pipe included: it could forge a clean
 * ending ("done", "event_signaled", "end") and exit. So every line the
 * worker sends ends in a seal, " mac=0x" and 16 hex digits: a SipHash-2-4 of
 * the line, keyed with a per-run key the supervisor hands the worker on its
 * standard input before the provider is loaded, and chained through the
 * previous line's seal. A forged, altered, dropped, reordered or injected
 * line breaks the chain at that line, and the supervisor trusts nothing from
 * there on.
 *
 * What this does not stop: a provider that reads the key out of the
 * worker's memory and reimplements the seal. That takes deliberate reverse
 * engineering of the host, not a stray write; the seal is meant to make
 * every accidental or opportunistic corruption of the stream visible.
 *
 * Portable C, no state beyond struct seal; not thread-safe (the worker seals
 * under its recorder's lock, the supervisor on its loop thread).
 */
#ifndef SYNCHOST_SEAL_H
#define SYNCHOST_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define SEAL_KEY_BYTES 16
#define SEAL_KEY_HEX   (2 * SEAL_KEY_BYTES)
/* What seal_line appends: " mac=0x" and 16 hex digits (a field any wire
 * reader skips as unknown). */
#define SEAL_SUFFIX_LEN 23

struct seal {
    uint8_t key[SEAL_KEY_BYTES];
    uint64_t chain; /* the previous line's seal, 0 before the first */
};

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

/* Starts a chain with the key. */
void seal_init(struct seal *s, const uint8_t key[SEAL_KEY_BYTES]);

/* Key from and to hex (SEAL_KEY_HEX digits). Parse returns 0 or -1. */
int seal_key_parse(const char *hex, size_t len, uint8_t key[SEAL_KEY_BYTES]);
void seal_key_format(const uint8_t key[SEAL_KEY_BYTES], char out[SEAL_KEY_HEX + 1]);

/* Seals the line in buf (len bytes, ending in '\n'): the seal goes before
 * the newline. cap must leave SEAL_SUFFIX_LEN bytes more (and a NUL).
 * Returns the new length, or len unchanged when there is no room. */
size_t seal_line(struct seal *s, char *buf, size_t len, size_t cap);

/* Checks the seal of a line (len bytes, without its newline) and advances
 * the chain. Returns the length of the line without its seal, or -1 when
 * the seal is missing or wrong (the chain is left as it was). */
long seal_check(struct seal *s, const char *line, size_t len);

#endif /* SYNCHOST_SEAL_H */
