/* test_wire.c: the worker's event line codec (wire.c) and the names in event.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/event.h"
#include "protocol/wire.h"
#include "wire_read.h"

/* Formats ev, checks the line's shape, parses it back into out (texts into textbuf). */
static void round_trip(const struct event *ev, struct event *out, char *textbuf, size_t textcap,
                       const char *file, int line)
{
    char buf[WIRE_LINE_MAX];
    size_t len = wire_format(ev, buf, sizeof buf);

    _assert_true(len > 0 && len < sizeof buf, "length", file, line);
    _assert_int_equal(strlen(buf), len, file, line);
    _assert_int_equal(buf[len - 1], '\n', file, line);
    _assert_true(memchr(buf, '\n', len - 1) == NULL, "one line", file, line);
    for (size_t i = 0; i + 1 < len; i++) {
        _assert_true(buf[i] >= ' ' && buf[i] <= '~', "printable ASCII", file, line);
    }
    _assert_int_equal(wire_read(buf, len - 1, out, textbuf, textcap), 0, file, line);
}
#define ROUND_TRIP(ev, out, tb) round_trip((ev), (out), (tb), sizeof(tb), __FILE__, __LINE__)

static void assert_same(const struct event *a, const struct event *b, const char *file, int line)
{
    _assert_int_equal(a->seq, b->seq, file, line);
    _assert_int_equal(a->t_us, b->t_us, file, line);
    _assert_int_equal(a->thread, b->thread, file, line);
    _assert_int_equal(a->kind, b->kind, file, line);
    _assert_int_equal(a->hr, b->hr, file, line);
    _assert_int_equal(a->step, b->step, file, line);
    _assert_int_equal(a->flags, b->flags, file, line);
    _assert_int_equal(a->index, b->index, file, line);
    _assert_int_equal(a->index_max, b->index_max, file, line);
    _assert_int_equal(a->handle, b->handle, file, line);
    _assert_int_equal(a->value, b->value, file, line);
    _assert_int_equal(a->text_state, b->text_state, file, line);
    _assert_int_equal(a->call, b->call, file, line);
    if (a->text == NULL) {
        _assert_true(b->text == NULL, "no text", file, line);
    } else {
        _assert_true(b->text != NULL, "text", file, line);
        _assert_string_equal(a->text, b->text, file, line);
    }
}
#define ASSERT_SAME(a, b) assert_same((a), (b), __FILE__, __LINE__)

static void test_every_field_round_trips(void **state)
{
    struct event ev = {
        .seq = 4000000000u,
        .t_us = UINT64_MAX,
        .thread = 0xFFFFFFFFu,
        .kind = EVENT_PROGRESS,
        .hr = 0x80040113u,
        .step = 3,
        .flags = 0x20000080u,
        .index = 7,
        .index_max = 4294967295u,
        .handle = 0xFFFFFFFFFFFFFFFFull,
        .value = 18446744073709551615ull,
        .text_state = TEXT_OK,
        .text = "Syncing inbox",
        .call = EVENT_CALL_MAX,
    };
    struct event out;
    char textbuf[EVENT_TEXT_MAX + 1];

    (void)state;
    ROUND_TRIP(&ev, &out, textbuf);
    ASSERT_SAME(&ev, &out);
    assert_ptr_equal(out.text, textbuf);
}

static void test_every_kind_and_text_state(void **state)
{
    struct event out;
    char textbuf[64];

    (void)state;
    for (int k = 0; k < EVENT_KIND_COUNT; k++) {
        for (int ts = TEXT_NONE; ts <= TEXT_ILL_FORMED; ts++) {
            struct event ev = {.seq = (uint32_t)k,
                               .kind = (enum event_kind)k,
                               .text_state = (enum text_state)ts,
                               .value = 1};
            ROUND_TRIP(&ev, &out, textbuf);
            ASSERT_SAME(&ev, &out);
        }
        assert_int_equal(event_kind_from_name(event_kind_name((enum event_kind)k),
                                              strlen(event_kind_name((enum event_kind)k))),
                         k);
    }
    assert_string_equal(event_kind_name(EVENT_EVENT_SIGNALED), "event_signaled");
    assert_string_equal(event_kind_name(EVENT_KIND_COUNT), "unknown");
    assert_int_equal(event_kind_from_name("progresss", 9), -1);
    assert_int_equal(event_kind_from_name("progresss", 8), EVENT_PROGRESS);
    assert_int_equal(event_kind_from_name("", 0), -1);
    assert_string_equal(load_step_name(LOAD_STEP_QI_IMAPISYNC), "load-qi-imapisync");
    assert_string_equal(load_step_name(LOAD_STEP_COUNT), "load-unknown");
    assert_string_equal(text_state_name(TEXT_TOO_LONG), "too_long");
    assert_string_equal(text_state_name((enum text_state)99), "unknown");
}

static void test_zero_fields_are_left_out(void **state)
{
    struct event ev = {.kind = EVENT_CALL, .flags = 0x80};
    char buf[WIRE_LINE_MAX];
    struct event out;
    char textbuf[16];
    const char *line;

    (void)state;
    wire_format(&ev, buf, sizeof buf);
    assert_string_equal(buf, "call seq=0 t=0 tid=0 flags=0x80\n");
    ev.kind = EVENT_END;
    ev.flags = 0;
    wire_format(&ev, buf, sizeof buf);
    assert_string_equal(buf, "end seq=0 t=0 tid=0\n");
    /* The example in wire.h. */
    ev = (struct event){.kind = EVENT_PROGRESS,
                        .seq = 4,
                        .t_us = 1532,
                        .thread = 36,
                        .index = 2,
                        .index_max = 5,
                        .text_state = TEXT_OK,
                        .text = "Syncing inbox"};
    wire_format(&ev, buf, sizeof buf);
    assert_string_equal(buf,
                        "progress seq=4 t=1532 tid=36 index=2 max=5 ts=ok text=Syncing%20inbox\n");
    /* A line written by hand, hr=0x0 included, parses. */
    line = "progress seq=4 t=1532 tid=36 hr=0x0 index=2 max=5 ts=ok text=Syncing%20inbox";
    assert_int_equal(wire_read(line, strlen(line), &out, textbuf, sizeof textbuf), 0);
    ASSERT_SAME(&ev, &out);
}

static void test_texts(void **state)
{
    static const char *const texts[] = {
        "",
        "with spaces  and\ttabs",
        "100% done",
        "key=value&x==y",
        "%20 is not a space here",
        "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", /* é, 日本, an emoji */
        "\xef\xbf\xbd replaced",
        "line\nbreak\r\n",
        "\x01\x7f\xff",
        "~!\"#$&'()*+,-./:;<>?@[\\]^_`{|}",
    };
    struct event out;
    char textbuf[EVENT_TEXT_MAX + 1];

    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct event ev = {
            .kind = EVENT_DEBUG_OUTPUT, .seq = 9, .text_state = TEXT_OK, .text = texts[i]};
        ROUND_TRIP(&ev, &out, textbuf);
        ASSERT_SAME(&ev, &out);
    }
}

static void test_percent_decoding(void **state)
{
    struct event out;
    char textbuf[32];
    const char *line = "error seq=1 t=2 tid=3 text=a%3db%3Dc%25";

    (void)state;
    assert_int_equal(wire_read(line, strlen(line), &out, textbuf, sizeof textbuf), 0);
    assert_string_equal(out.text, "a=b=c%");
    /* Bad escapes. */
    line = "error seq=1 text=50%";
    assert_int_equal(wire_read(line, strlen(line), &out, textbuf, sizeof textbuf), -1);
    line = "error seq=1 text=50%2";
    assert_int_equal(wire_read(line, strlen(line), &out, textbuf, sizeof textbuf), -1);
    line = "error seq=1 text=%zz";
    assert_int_equal(wire_read(line, strlen(line), &out, textbuf, sizeof textbuf), -1);
    /* A text longer than the buffer is cut, still terminated. */
    line = "error seq=1 text=abcdefghij";
    assert_int_equal(wire_read(line, strlen(line), &out, textbuf, 5), 0);
    assert_string_equal(out.text, "abcd");
}

static void test_unknown_kind_and_garbage(void **state)
{
    static const char *const bad[] = {
        "",
        "progresss seq=1",
        "unknown seq=1",
        "PROGRESS seq=1",
        " progress seq=1",
        "progress seq",
        "progress seq=",
        "progress seq=x",
        "progress seq=-1",
        "progress seq=1 t=15 tid",
        "progress seq=1 ts=maybe",
        "progress seq=1 text=Sync%2",
        "\x01\x02\x03",
        "progress=1",
    };
    struct event ev = {.kind = (enum event_kind)99, .seq = 1};
    struct event out;
    char buf[WIRE_LINE_MAX], textbuf[64];
    size_t len;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (wire_read(bad[i], strlen(bad[i]), &out, textbuf, sizeof textbuf) != -1) {
            fail_msg("parsed: '%s'", bad[i]);
        }
    }
    /* An event of no known kind is written, but not read back. */
    len = wire_format(&ev, buf, sizeof buf);
    assert_string_equal(buf, "unknown seq=1 t=0 tid=0\n");
    assert_int_equal(wire_read(buf, len - 1, &out, textbuf, sizeof textbuf), -1);
    /* Unknown fields are skipped: newer workers stay readable. */
    assert_int_equal(
        wire_read("done seq=2 future=7 hr=0x80040113", 33, &out, textbuf, sizeof textbuf), 0);
    assert_int_equal(out.kind, EVENT_DONE);
    assert_int_equal(out.hr, 0x80040113u);
    /* A line torn inside a field name or a value is refused... */
    assert_int_equal(wire_read("done seq=2 hr=0x8004", 14, &out, textbuf, sizeof textbuf), -1);
    assert_int_equal(wire_read("done seq=2 h", 12, &out, textbuf, sizeof textbuf), -1);
    /* ...and only len bytes are read. */
    assert_int_equal(wire_read("done seq=2 hr=0x80040113", 10, &out, textbuf, sizeof textbuf), 0);
    assert_int_equal(out.seq, 2);
    assert_int_equal(out.hr, 0);
}

/* A text as long as the limit allows, of multi-byte characters, in a full
 * line: nothing is cut with the documented buffer size. */
static void test_longest_line_fits(void **state)
{
    char *text = malloc(EVENT_TEXT_MAX + 1);
    char buf[WIRE_LINE_MAX];
    struct event out;
    char textbuf[EVENT_TEXT_MAX + 1];
    struct event ev = {
        .seq = UINT32_MAX,
        .t_us = UINT64_MAX,
        .thread = UINT32_MAX,
        .kind = EVENT_EVENT_SIGNALED,
        .hr = UINT32_MAX,
        .step = UINT32_MAX,
        .flags = UINT32_MAX,
        .index = UINT32_MAX,
        .index_max = UINT32_MAX,
        .handle = UINT64_MAX,
        .value = UINT64_MAX,
        .text_state = TEXT_ILL_FORMED,
    };

    (void)state;
    assert_non_null(text);
    for (size_t i = 0; i + 3 <= EVENT_TEXT_MAX; i += 3) {
        memcpy(text + i, "\xe6\x97\xa5", 3);
    }
    text[EVENT_TEXT_MAX - EVENT_TEXT_MAX % 3] = '\0';
    ev.text = text;
    assert_true(wire_format(&ev, buf, sizeof buf) < sizeof buf - 1);
    assert_int_equal(wire_read(buf, strlen(buf) - 1, &out, textbuf, sizeof textbuf), 0);
    ASSERT_SAME(&ev, &out);
    free(text);
}

/* Cut short: the line stays within cap, ends in a newline, parses, and the
 * text is a prefix cut at a character boundary. */
static void check_truncated(const struct event *ev, size_t cap, const char *file, int line)
{
    char *buf = malloc(cap + 16);
    char textbuf[EVENT_TEXT_MAX * 2];
    struct event out;
    size_t len;

    _assert_true(buf != NULL, "malloc", file, line);
    memset(buf, '#', cap + 16);
    len = wire_format(ev, buf, cap);
    _assert_true(len < cap, "within cap", file, line);
    _assert_int_equal(buf[len], '\0', file, line);
    _assert_int_equal(buf[cap], '#', file, line);
    _assert_int_equal(buf[len - 1], '\n', file, line);
    _assert_int_equal(wire_read(buf, len - 1, &out, textbuf, sizeof textbuf), 0, file, line);
    _assert_int_equal(out.kind, ev->kind, file, line);
    _assert_int_equal(out.seq, ev->seq, file, line);
    if (out.text != NULL) {
        size_t n = strlen(out.text);
        _assert_true(n <= strlen(ev->text), "shorter", file, line);
        _assert_true(memcmp(out.text, ev->text, n) == 0, "a prefix", file, line);
        _assert_true(ev->text[n] == '\0' || ((unsigned char)ev->text[n] & 0xC0) != 0x80,
                     "cut at a character boundary", file, line);
    }
    /* Whatever survived of the numeric fields is exact, never altered. */
    if (out.hr != 0) {
        _assert_int_equal(out.hr, ev->hr, file, line);
    }
    if (out.value != 0) {
        _assert_int_equal(out.value, ev->value, file, line);
    }
    free(buf);
}

static void test_truncation(void **state)
{
    size_t big = EVENT_TEXT_MAX * 2;
    char *text = malloc(big + 1);
    struct event ev = {.kind = EVENT_DEBUG_OUTPUT,
                       .seq = 12,
                       .t_us = 99,
                       .thread = 7,
                       .hr = 0x80040113u,
                       .value = 123456789,
                       .text_state = TEXT_OK};

    (void)state;
    assert_non_null(text);
    /* Too long for the documented buffer, of 1- to 4-byte characters and escapes. */
    for (size_t i = 0, k = 0; i < big; k++) {
        static const char *const pieces[] = {
            "a", " ", "\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80", "%", "="};
        const char *p = pieces[k % 7];
        size_t n = strlen(p);
        if (i + n > big) {
            break;
        }
        memcpy(text + i, p, n);
        i += n;
        text[i] = '\0';
    }
    ev.text = text;
    check_truncated(&ev, WIRE_LINE_MAX, __FILE__, __LINE__);
    /* Every small cap, down to the bare minimum. */
    for (size_t cap = 40; cap < 400; cap++) {
        check_truncated(&ev, cap, __FILE__, __LINE__);
    }
    /* Short texts under every cap where the numeric fields run out. */
    ev.text = "short";
    for (size_t cap = 40; cap < 120; cap++) {
        check_truncated(&ev, cap, __FILE__, __LINE__);
    }
    free(text);
}

/* Caps too small for even the first word: no overrun, a line that does not parse. */
static void test_tiny_caps(void **state)
{
    struct event ev = {.kind = EVENT_PROGRESS, .seq = 1, .text = "x"};
    char buf[40];
    struct event out;
    char textbuf[8];

    (void)state;
    for (size_t cap = 0; cap < 24; cap++) {
        size_t len;
        memset(buf, '#', sizeof buf);
        len = wire_format(&ev, buf, cap);
        if (cap == 0) {
            assert_int_equal(len, 0);
            assert_int_equal(buf[0], '#');
            continue;
        }
        assert_true(len < cap);
        assert_int_equal(buf[len], '\0');
        assert_int_equal(buf[cap], '#');
        if (len > 0) {
            assert_int_equal(wire_read(buf, len - 1, &out, textbuf, sizeof textbuf), -1);
        }
    }
}

#include "test_wire.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests_name("wire", tests, NULL, NULL);
}
