/*
 * number.h: whole numbers read from text, one way for every input of
 * synchost (scenario files, synchost.yaml, the wire's fields, the command
 * line): digits only, hex after "0x" where the caller allows it; no sign,
 * no space, no octal, nothing after. strtoul's leniencies (leading space,
 * '+', "010" as eight, a trailing unit silently dropped) are none of
 * these. Portable C.
 */
#ifndef SYNCHOST_TEXT_NUMBER_H
#define SYNCHOST_TEXT_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* text_parse_u64's flags. */
#define TEXT_NUMBER_HEX 1u /* "0x1F" (or "0X1f") is read as hex */

/* Parses the len bytes of s as one whole number no larger than max.
 * Returns 0 with *out set; -1 when it is not a number; -2 when it is one
 * larger than max (*out is left alone). */
int text_parse_u64(const char *s, size_t len, unsigned flags, uint64_t max, uint64_t *out);

/* The same for the NUL-terminated s (NULL is not a number). */
int text_parse_u64z(const char *s, unsigned flags, uint64_t max, uint64_t *out);

/* The value of the hex digit c (0-9, a-f, A-F), or -1. */
int text_hex_digit(int c);

#endif /* SYNCHOST_TEXT_NUMBER_H */
