/*
 * test_console.c: what synchost prints for text it does not control (scenario
 * names, provider strings, the worker's stderr) cannot forge a console line
 * or drive the terminal; and the JSON report escapes the same text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "console.h"
#include "result.h"

/* The bytes a console call wrote, NUL-terminated (free them). */
struct capture {
    char *text;
    size_t len;
    FILE *f;
};

static void capture_start(struct capture *c, struct console *con)
{
    memset(c, 0, sizeof *c);
    c->f = open_memstream(&c->text, &c->len);
    assert_non_null(c->f);
    console_init(con, c->f, 0, 1);
}

static void capture_end(struct capture *c)
{
    fclose(c->f);
}

/* No byte a terminal acts on but the line ends synchost writes itself. */
static void assert_only_newlines(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f) {
            print_error("raw control byte 0x%02x at %zu in:\n%s\n", c, i, s);
            fail();
        }
    }
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++) {
        n += *s == '\n';
    }
    return n;
}

static void test_result_line_cannot_be_forged(void **state)
{
    struct scenario sc = {0};
    struct scenario_result res = {0};
    struct violation v = {0};
    struct console con;
    struct capture c;

    (void)state;
    sc.name = "evil\x1b[2J\r\nPASS    forged";
    res.sc = &sc;
    res.status = STATUS_FAILED;
    snprintf(v.rule, sizeof v.rule, "progress-text-valid");
    v.level = RULE_RECOMMENDED;
    snprintf(v.message, sizeof v.message, "text \"a\x07\x1b]0;title\x07\"");
    v.event = -1;
    res.judge.violations = &v;
    res.judge.violation_count = 1;
    snprintf(res.note, sizeof res.note, "note\twith\x1b[31m colour");
    res.worker_stderr = "first line\nPASS    also forged\x1b[0m\n";
    capture_start(&c, &con);
    console_result(&res, &con);
    capture_end(&c);
    assert_only_newlines(c.text, c.len);
    /* One line each: the result, the violation, the note, "worker stderr:",
     * and the three lines of stderr, each marked as such. */
    assert_int_equal(count_lines(c.text), 7);
    assert_non_null(strstr(c.text, "evil\\x1b[2J\\r\\nPASS    forged"));
    assert_non_null(strstr(c.text, "\"a\\x07\\x1b]0;title\\x07\""));
    assert_non_null(strstr(c.text, "note: note\\twith\\x1b[31m colour\n"));
    assert_non_null(strstr(c.text, "\n          | PASS    also forged\\x1b[0m\n"));
    free(c.text);
}

static void test_event_text_is_escaped(void **state)
{
    struct scenario_result res = {0};
    struct event ev = {0};
    struct console con;
    struct capture c;

    (void)state;
    ev.kind = EVENT_PROGRESS;
    ev.text_state = TEXT_OK;
    /* ESC, a C1 CSI (U+009B), a byte that is not UTF-8, a right-to-left
     * override, then text that stays as it is. */
    ev.text = "a\x1b[1Ab\xc2\x9b"
              "c\xff"
              "d\xe2\x80\xae"
              "e caf\xc3\xa9 \\ end\n";
    capture_start(&c, &con);
    console_event(&res, &ev, &con);
    ev.kind = EVENT_DEBUG_OUTPUT;
    ev.text = "dbg\r\x1b[K\r\n";
    console_event(&res, &ev, &con);
    ev.kind = EVENT_LOAD;
    ev.text = "C:\\p\\x.dll\n  #9999 fake event";
    console_event(&res, &ev, &con);
    capture_end(&c);
    assert_only_newlines(c.text, c.len);
    assert_int_equal(count_lines(c.text), 3);
    assert_non_null(strstr(c.text, "\"a\\x1b[1Ab\\u009bc\\xffd\\u202ee caf\xc3\xa9 \\ end\\n\""));
    assert_non_null(strstr(c.text, " dbg\\r\\x1b[K\n")); /* the last line end dropped */
    assert_non_null(strstr(c.text, ": C:\\p\\x.dll\\n  #9999 fake event\n"));
    free(c.text);
}

/* The JSON report needs no escaping of its own: jansson escapes every
 * control character in strings. */
static void test_json_report_escapes(void **state)
{
    struct scenario sc = {0};
    struct scenario_result res = {0};
    struct run_report r = {0};
    char path[] = "/tmp/synchost-test-console-XXXXXX";
    char buf[65536];
    size_t n;
    FILE *f;
    int fd;

    (void)state;
    sc.name = "evil\x1b[2J\r\nname";
    sc.file = "t.yaml";
    res.sc = &sc;
    res.status = STATUS_FAILED;
    snprintf(res.note, sizeof res.note, "note\x07");
    res.worker_stderr = "stderr\x1b[0m\n";
    trace_init(&res.trace);
    r.version = "0";
    r.results = &res;
    r.count = 1;
    fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(report_json_write(&r, path), 0);
    f = fopen(path, "rb");
    assert_non_null(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    remove(path);
    trace_free(&res.trace);
    assert_only_newlines(buf, n);
    assert_non_null(strstr(buf, "\"evil\\u001B[2J\\r\\nname\""));
    assert_non_null(strstr(buf, "\"note\\u0007\""));
    assert_non_null(strstr(buf, "\"stderr\\u001B[0m\\n\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_result_line_cannot_be_forged),
        cmocka_unit_test(test_event_text_is_escaped),
        cmocka_unit_test(test_json_report_escapes),
    };
    return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
