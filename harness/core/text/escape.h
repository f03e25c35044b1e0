/*
 * escape.h: how every writer of text walks a string it cannot trust and
 * spells what cannot stand as it is. A text is read as UTF-8, strictly
 * (utf8.h): each well-formed character is handed over with its code point,
 * each byte that is not part of one alone, as TEXT_WALK_BYTE; the writer
 * decides, by its own format, what to write for each (the console, TAP and
 * YAML, HTML and XML, a shell command, JSON). Escapes are spelt here once:
 * "\xNN" for a byte, "\uNNNN" for a code point, in lower- or upper-case hex
 * as the format has it. Which code points a terminal acts on: text_acts.h.
 * Portable C.
 */
#ifndef SYNCHOST_TEXT_ESCAPE_H
#define SYNCHOST_TEXT_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

/* The code point a walk gives a byte that is no well-formed character. */
#define TEXT_WALK_BYTE (-1)

/* Called for each character (cp >= 0, len its bytes at p) or ill-formed
 * byte (cp TEXT_WALK_BYTE, len 1) of the text, in order. */
typedef void text_walk_fn(void *ctx, const unsigned char *p, size_t len, int32_t cp);

/* Walks n bytes of s (NULs included: each is the character U+0000). */
void text_walk(const char *s, size_t n, text_walk_fn *fn, void *ctx);

/* Room for any escape below, NUL included. */
#define TEXT_ESCAPE_MAX 12

/* Letter case of an escape's hex digits. */
enum text_hex_case { TEXT_HEX_LOWER, TEXT_HEX_UPPER };

/* "\xNN" for byte b, into out; returns its length (4). */
size_t text_escape_byte(char out[TEXT_ESCAPE_MAX], unsigned char b, enum text_hex_case hc);
/* "\uNNNN" for a code point up to U+FFFF, more digits past it, into out;
 * returns its length. */
size_t text_escape_cp(char out[TEXT_ESCAPE_MAX], uint32_t cp, enum text_hex_case hc);

#endif /* SYNCHOST_TEXT_ESCAPE_H */
