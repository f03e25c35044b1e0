/*
 * report_file.h: how the text reports (JUnit, TAP) reach their file: written
 * through a callback into a temporary file beside the path ("PATH.tmp.PID"),
 * flushed and synced, then renamed over it, so that a reader never sees half
 * a report. The path "-" writes to stdout instead. Also the escaping both
 * writers share: UTF-8 checked byte by byte. Single-threaded.
 */
#ifndef SYNCHOST_REPORT_FILE_H
#define SYNCHOST_REPORT_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Writes what fn writes into f to path, atomically; fn returns 0 or -1.
 * Returns 0, or -1 with errno set (and no temporary file left behind). */
int report_file_write(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx);

/* The length (1 to 4) of the well-formed UTF-8 sequence at s (n bytes
 * available), its code point in *cp; 0 when the bytes there are not one
 * (a stray or missing continuation byte, an overlong form, a surrogate,
 * past U+10FFFF). */
size_t report_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

#endif /* SYNCHOST_REPORT_FILE_H */
