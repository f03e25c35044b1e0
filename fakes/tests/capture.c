/* capture.c: an in-memory recorder sink for unit tests (see capture.h). */
#include "capture.h"

#include <stdlib.h>
#include <string.h>

#include "recorder.h"
#include "protocol/wire.h"
#include "wire_read.h"

static char *capture_buf;
static size_t capture_len, capture_cap;
static size_t *capture_starts;
static size_t capture_lines, capture_starts_cap;
static struct event capture_ev;
static char capture_text[EVENT_TEXT_MAX + 1];

/* Grows *p to hold at least need elements of size elem; aborts the test
 * program when out of memory (a test with no memory cannot say anything). */
static void grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t n = *cap ? *cap : 4096;
    void *q;

    if (need <= *cap) {
        return;
    }
    while (n < need) {
        n *= 2;
    }
    q = realloc(*p, n * elem);
    if (q == NULL) {
        abort();
    }
    *p = q;
    *cap = n;
}

static void capture_sink(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    grow((void **)&capture_buf, &capture_cap, capture_len + len, 1);
    grow((void **)&capture_starts, &capture_starts_cap, capture_lines + 1, sizeof(size_t));
    capture_starts[capture_lines++] = capture_len;
    memcpy(capture_buf + capture_len, line, len);
    capture_len += len;
}

void capture_start(void)
{
    /* recorder_init takes the recorder's lock, so no sink call is running
     * when the counters are reset below it (tests start quiet anyway). */
    recorder_init(capture_sink, NULL);
    capture_len = 0;
    capture_lines = 0;
}

size_t capture_count(void)
{
    return capture_lines;
}

const char *capture_raw(size_t *len)
{
    *len = capture_len;
    return capture_buf;
}

const struct event *capture_at(size_t i)
{
    size_t start, end;

    if (i >= capture_lines) {
        return NULL;
    }
    start = capture_starts[i];
    end = i + 1 < capture_lines ? capture_starts[i + 1] : capture_len;
    if (end > start && capture_buf[end - 1] == '\n') {
        end--;
    }
    if (wire_read(
            capture_buf + start, end - start, &capture_ev, capture_text, sizeof capture_text) !=
        0) {
        return NULL;
    }
    return &capture_ev;
}

const struct event *capture_last_of(enum event_kind kind, size_t from)
{
    for (size_t i = capture_lines; i > from; i--) {
        const struct event *ev = capture_at(i - 1);
        if (ev != NULL && ev->kind == kind) {
            return ev;
        }
    }
    return NULL;
}

size_t capture_count_of(enum event_kind kind, size_t from)
{
    size_t n = 0;

    for (size_t i = from; i < capture_lines; i++) {
        const struct event *ev = capture_at(i);
        if (ev != NULL && ev->kind == kind) {
            n++;
        }
    }
    return n;
}
