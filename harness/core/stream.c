/* stream.c: the sealed event stream, read back (see stream.h). */
#include "stream.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

size_t stream_line_max(void)
{
    return WIRE_LINE_MAX + SEAL_SUFFIX_LEN;
}

int stream_reader_init(struct stream_reader *r, const uint8_t key[SEAL_KEY_BYTES],
                       void (*on_event)(void *ctx, const struct event *ev),
                       void (*on_broken)(void *ctx, const char *why), void *ctx)
{
    memset(r, 0, sizeof *r);
    seal_init(&r->seal, key);
    r->last_seq = -1;
    r->on_event = on_event;
    r->on_broken = on_broken;
    r->ctx = ctx;
    r->line = malloc(stream_line_max() + 1);
    return r->line != NULL ? 0 : -1;
}

void stream_reader_free(struct stream_reader *r)
{
    free(r->line);
    r->line = NULL;
}

void stream_reader_break(struct stream_reader *r, const char *fmt, ...)
{
    char why[320];
    va_list ap;

    if (r->broken) {
        return;
    }
    r->broken = 1;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    r->on_broken(r->ctx, why);
}

static void take_line(struct stream_reader *r, const char *line, size_t len)
{
    struct event ev;
    long body;

    if (len > 0 && line[len - 1] == '\r') {
        len--;
    }
    body = seal_check(&r->seal, line, len);
    if (body < 0 || wire_parse(line, (size_t)body, &ev, r->text, sizeof r->text) != 0) {
        stream_reader_break(r,
                            "a line of the event stream after event %lld does not carry the "
                            "host's seal (%zu bytes): something other than the host wrote it",
                            (long long)r->last_seq, len);
        return;
    }
    if ((int64_t)ev.seq != r->last_seq + 1) {
        stream_reader_break(r, "the event stream went from event %lld to %lld",
                            (long long)r->last_seq, (long long)ev.seq);
        return;
    }
    r->last_seq = ev.seq;
    r->on_event(r->ctx, &ev);
}

void stream_reader_feed(struct stream_reader *r, const char *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = data[i];

        if (c != '\n') {
            if (r->line_len < stream_line_max()) {
                r->line[r->line_len++] = c;
            } else {
                r->line_overflow = 1;
            }
            continue;
        }
        if (r->broken) {
            r->dropped++;
        } else if (r->line_overflow) {
            stream_reader_break(r,
                                "a line of over %zu bytes after event %lld: the host writes no "
                                "such line",
                                stream_line_max(), (long long)r->last_seq);
        } else {
            take_line(r, r->line, r->line_len);
        }
        r->line_len = 0;
        r->line_overflow = 0;
    }
}
