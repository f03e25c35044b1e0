/* test_stream.c: the sealed stream read back: every event the worker sealed
 * arrives in order, in chunks of any size, and a forged, altered, injected,
 * skipped or overlong line breaks the stream where it stands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "stream.h"
#include "wire.h"

static const uint8_t key[SEAL_KEY_BYTES] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};

struct got {
    uint32_t seqs[64];
    size_t n;
    char why[320];
    int breaks;
};

static void on_event(void *ctx, const struct event *ev)
{
    struct got *g = ctx;
    g->seqs[g->n++] = ev->seq;
}

static void on_broken(void *ctx, const char *why)
{
    struct got *g = ctx;
    g->breaks++;
    snprintf(g->why, sizeof g->why, "%s", why);
}

/* n sealed lines, as the worker writes them, one after the other. */
static size_t worker_lines(char *out, size_t cap, uint32_t from, size_t n, struct seal *w)
{
    size_t len = 0;

    for (size_t i = 0; i < n; i++) {
        struct event ev;
        char line[WIRE_LINE_MAX + SEAL_SUFFIX_LEN + 1];
        size_t l;

        memset(&ev, 0, sizeof ev);
        ev.kind = EVENT_PROGRESS;
        ev.seq = from + (uint32_t)i;
        ev.index = 1;
        ev.index_max = 2;
        ev.text = "a";
        l = wire_format(&ev, line, WIRE_LINE_MAX);
        l = seal_line(w, line, l, sizeof line);
        assert_true(len + l < cap);
        memcpy(out + len, line, l);
        len += l;
    }
    return len;
}

static void test_every_chunking_gives_every_event(void **state)
{
    char buf[4096];
    struct seal w;
    size_t len;

    (void)state;
    seal_init(&w, key);
    len = worker_lines(buf, sizeof buf, 0, 10, &w);
    for (size_t chunk = 1; chunk <= 64; chunk *= 3) {
        struct stream_reader r;
        struct got g = {0};

        assert_int_equal(stream_reader_init(&r, key, on_event, on_broken, &g), 0);
        for (size_t at = 0; at < len; at += chunk) {
            stream_reader_feed(&r, buf + at, len - at < chunk ? len - at : chunk);
        }
        assert_int_equal(g.n, 10);
        assert_int_equal(g.breaks, 0);
        for (size_t i = 0; i < 10; i++) {
            assert_int_equal(g.seqs[i], i);
        }
        stream_reader_free(&r);
    }
}

static void test_forged_line_breaks_and_later_lines_are_counted(void **state)
{
    static const char forged[] = "end seq=3 t=9 tid=1\n";
    char buf[4096];
    struct stream_reader r;
    struct got g = {0};
    struct seal w;
    size_t len;

    (void)state;
    seal_init(&w, key);
    len = worker_lines(buf, sizeof buf, 0, 3, &w);
    memcpy(buf + len, forged, sizeof forged - 1);
    len += sizeof forged - 1;
    len += worker_lines(buf + len, sizeof buf - len, 3, 2, &w);
    assert_int_equal(stream_reader_init(&r, key, on_event, on_broken, &g), 0);
    stream_reader_feed(&r, buf, len);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.breaks, 1);
    assert_non_null(strstr(g.why, "after event 2 does not carry the host's seal"));
    assert_int_equal(r.dropped, 2);
    stream_reader_free(&r);
}

static void test_wrong_key_and_skipped_event(void **state)
{
    const uint8_t other[SEAL_KEY_BYTES] = {0};
    char buf[4096];
    struct stream_reader r;
    struct got g = {0};
    struct seal w;
    size_t len;

    (void)state;
    seal_init(&w, other);
    len = worker_lines(buf, sizeof buf, 0, 2, &w);
    assert_int_equal(stream_reader_init(&r, key, on_event, on_broken, &g), 0);
    stream_reader_feed(&r, buf, len);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.breaks, 1);
    stream_reader_free(&r);

    /* Sealed right, but numbered 0 then 2: the chain holds, the order does not. */
    memset(&g, 0, sizeof g);
    seal_init(&w, key);
    len = worker_lines(buf, sizeof buf, 0, 1, &w);
    len += worker_lines(buf + len, sizeof buf - len, 2, 1, &w);
    assert_int_equal(stream_reader_init(&r, key, on_event, on_broken, &g), 0);
    stream_reader_feed(&r, buf, len);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.why, "the event stream went from event 0 to 2");
    stream_reader_free(&r);
}

static void test_overlong_line_and_torn_tail(void **state)
{
    static char big[70000];
    char buf[4096];
    struct stream_reader r;
    struct got g = {0};
    struct seal w;
    size_t len;

    (void)state;
    /* A torn last line is not an event and breaks nothing. */
    seal_init(&w, key);
    len = worker_lines(buf, sizeof buf, 0, 2, &w);
    assert_int_equal(stream_reader_init(&r, key, on_event, on_broken, &g), 0);
    stream_reader_feed(&r, buf, len - 5);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.breaks, 0);
    stream_reader_free(&r);

    memset(big, 'x', sizeof big);
    big[sizeof big - 1] = '\n';
    memset(&g, 0, sizeof g);
    assert_int_equal(stream_reader_init(&r, key, on_event, on_broken, &g), 0);
    stream_reader_feed(&r, big, sizeof big);
    assert_int_equal(g.breaks, 1);
    assert_non_null(strstr(g.why, "the host writes no such line"));
    stream_reader_break(&r, "%s", "again");
    assert_int_equal(g.breaks, 1);
    stream_reader_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_chunking_gives_every_event),
        cmocka_unit_test(test_forged_line_breaks_and_later_lines_are_counted),
        cmocka_unit_test(test_wrong_key_and_skipped_event),
        cmocka_unit_test(test_overlong_line_and_torn_tail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
