/*
 * stream.h: reads a worker's event stream (wire.h lines, each sealed as
 * seal.h says) back into events, and says where it stopped being
 * trustworthy.
 *
 * Bytes go in as they arrive from the pipe, in chunks of any size; each
 * complete line is checked (its seal, then that its sequence number follows
 * the previous one), decoded and handed to on_event. The first line that
 * fails, or a line longer than any the worker writes, breaks the stream:
 * on_broken is told why, once, and every later line is only counted. A last
 * line without its newline (a worker that died mid-write) is never handed
 * on. Single-threaded; portable C.
 */
#ifndef SYNCHOST_STREAM_H
#define SYNCHOST_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "seal.h"

struct stream_reader {
    struct seal seal;
    char *line; /* the partial line (STREAM_LINE_MAX bytes) */
    size_t line_len;
    int line_overflow;
    int broken;       /* nothing is believed any more */
    uint64_t dropped; /* lines counted, not believed, since the break */
    int64_t last_seq; /* the last event handed on, or -1 */
    char text[EVENT_TEXT_MAX + 1];
    void (*on_event)(void *ctx, const struct event *ev);
    void (*on_broken)(void *ctx, const char *why);
    void *ctx;
};

/* The longest line the worker writes, with its seal, without the newline. */
size_t stream_line_max(void);

/* Returns 0, or -1 when out of memory. */
int stream_reader_init(struct stream_reader *r, const uint8_t key[SEAL_KEY_BYTES],
                       void (*on_event)(void *ctx, const struct event *ev),
                       void (*on_broken)(void *ctx, const char *why), void *ctx);
void stream_reader_feed(struct stream_reader *r, const char *data, size_t n);

/* Breaks the stream for a reason seen outside it (how the worker ended).
 * Does nothing when it is already broken. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void stream_reader_break(struct stream_reader *r, const char *fmt, ...);

void stream_reader_free(struct stream_reader *r);

#endif /* SYNCHOST_STREAM_H */
