/*
 * utf8.h: UTF-8 read one code point at a time, strictly: what every report
 * writer and the supervisor's own messages use to tell text from bytes that
 * are not. Portable C.
 */
#ifndef SYNCHOST_TEXT_UTF8_H
#define SYNCHOST_TEXT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length (1 to 4) of the well-formed UTF-8 sequence at s (n bytes
 * available), its code point in *cp; 0 when the bytes there are not one
 * (a stray or missing continuation byte, an overlong form, a surrogate,
 * past U+10FFFF). */
size_t text_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

#endif /* SYNCHOST_TEXT_UTF8_H */
