/*
 * test_reports.c: the JUnit and TAP writers (report_junit.c, report_tap.c)
 * with text they do not control (scenario names, violation messages, notes,
 * the worker's stderr): the XML stays well-formed XML 1.0 (no character it
 * forbids, no ill-formed UTF-8, markup escaped) and a TAP name cannot forge
 * a test line or a directive; the worker's stderr is kept whole, past a
 * NUL, in the JUnit and the JSON report.
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

#include "report/report_file.h"
#include "text/utf8.h"
#include "report_written.h"
#include "report/result.h"

/* Hostile text: markup, a CDATA end, control characters, a NUL-free
 * ill-formed sequence set (stray continuation, overlong, surrogate, past
 * U+10FFFF, truncated), U+FFFE, and a TAP directive after a line break. */
#define HOSTILE                                                                                 \
    "a<b>&c\"d'e ]]> \x01\x08\x0b\x0c\x1b[31m\x7f \x80 \xc0\x80 \xed\xa0\x80 \xf4\x90\x80\x80 " \
    "\xef\xbf\xbe \r\nok 99 - forged # SKIP forged \xe2\x82"

struct fixture {
    struct scenario sc[2];
    struct scenario_result res[2];
    struct violation v;
    struct run_report r;
};

static void fixture_init(struct fixture *fx)
{
    static char *const names[2] = {HOSTILE, "skipped # one"};
    static char *const files[2] = {"<builtin>/x.yaml", "dir/with \x01/y.yaml"};

    memset(fx, 0, sizeof *fx);
    two_scenarios_init(fx->sc, fx->res, &fx->v, names, files, HOSTILE);
    for (int i = 0; i < 2; i++) {
        snprintf(fx->res[i].note, sizeof fx->res[i].note, "%s", HOSTILE);
    }
    fx->res[0].status = STATUS_FAILED;
    fx->res[0].judge.violations = &fx->v;
    fx->res[0].judge.violation_count = 1;
    fx->res[0].worker_stderr = HOSTILE;
    fx->res[0].worker_stderr_len = strlen(HOSTILE);
    fx->res[0].provider = "C:\\p\\" HOSTILE ".dll";
    fx->res[1].status = STATUS_SKIPPED;
    fx->r.version = "test";
    fx->r.level = RULE_RECOMMENDED;
    fx->r.results = fx->res;
    fx->r.count = 2;
}


static void test_utf8_next(void **state)
{
    uint32_t cp = 0;

    (void)state;
    assert_int_equal(text_utf8_next((const unsigned char *)"A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(text_utf8_next((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(text_utf8_next((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(text_utf8_next((const unsigned char *)"\x80", 1, &cp), 0);
    assert_int_equal(text_utf8_next((const unsigned char *)"\xc0\x80", 2, &cp), 0);
    assert_int_equal(text_utf8_next((const unsigned char *)"\xe0\x80\x80", 3, &cp), 0);
    assert_int_equal(text_utf8_next((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);
    assert_int_equal(text_utf8_next((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
    assert_int_equal(text_utf8_next((const unsigned char *)"\xe2\x82", 2, &cp), 0);
    assert_int_equal(text_utf8_next((const unsigned char *)"\xff", 1, &cp), 0);
}

/* Every character XML 1.0 allows, in well-formed UTF-8; no markup but ours. */
static void test_junit_is_xml(void **state)
{
    struct fixture fx;
    char *x;
    size_t n;
    uint32_t cp;

    (void)state;
    fixture_init(&fx);
    x = write_report(report_junit_write, &fx.r);
    n = strlen(x);
    for (size_t i = 0; i < n;) {
        size_t len = text_utf8_next((const unsigned char *)x + i, n - i, &cp);
        if (len == 0 || cp == 0xFFFE || cp == 0xFFFF || (cp < 0x20 && cp != '\n' && cp != '\t')) {
            print_error("byte 0x%02x at %zu is not XML 1.0 text:\n%s\n", (unsigned char)x[i], i, x);
            fail();
        }
        i += len;
    }
    assert_null(strstr(x, "<b>"));
    assert_null(strstr(x, "]]>"));
    assert_non_null(strstr(x, "a&lt;b&gt;&amp;c&quot;d'e"));
    assert_non_null(strstr(x, "\\x01\\x08\\x0B\\x0C\\x1B[31m"));
    assert_non_null(strstr(x, "&#13;"));
    assert_non_null(strstr(x, "<testsuite name=\""));
    assert_non_null(strstr(x, "tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"1\""));
    assert_non_null(strstr(x, "<failure message=\"progress-text-valid: a&lt;b"));
    assert_non_null(strstr(x, "progress-text-valid [recommended] a&lt;b"));
    assert_non_null(strstr(x, "(event 7)"));
    assert_non_null(strstr(x, "classname=\"synchost.recommended\""));
    assert_non_null(strstr(x, "classname=\"dir/with \\x01/y.yaml\""));
    assert_non_null(strstr(x, "<skipped message=\"a&lt;b"));
    assert_non_null(strstr(x, "<system-err>a&lt;b"));
    free(x);
}

/* Each line is TAP's: the plan, a test line per run, or diagnostics indented. */
static void test_tap_cannot_be_forged(void **state)
{
    struct fixture fx;
    char *t, *line, *save = NULL;
    int tests = 0, skips = 0;

    (void)state;
    fixture_init(&fx);
    t = write_report(report_tap_write, &fx.r);
    assert_true(strncmp(t, "TAP version 13\n1..2\n", 20) == 0);
    for (const char *p = t; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        assert_false((c < 0x20 && c != '\n') || c == 0x7f);
    }
    for (line = strtok_r(t, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "ok ", 3) == 0 || strncmp(line, "not ok ", 7) == 0) {
            tests++;
            skips += strstr(line, " # SKIP ") != NULL;
        } else if (strncmp(line, "  ", 2) != 0 && strncmp(line, "TAP version", 11) != 0 &&
                   strcmp(line, "1..2") != 0) {
            print_error("not a TAP line: %s\n", line);
            fail();
        }
    }
    assert_int_equal(tests, 2);
    assert_int_equal(skips, 1);
    free(t);
    t = write_report(report_tap_write, &fx.r);
    assert_non_null(strstr(t, "not ok 1 - a<b>&c\"d'e ]]> \\x01"));
    assert_non_null(strstr(t, "\\# SKIP forged"));
    assert_non_null(strstr(t, "ok 2 - skipped \\# one # SKIP a<b>"));
    assert_non_null(strstr(t, "    - rule: \"progress-text-valid\"\n      level: recommended\n"));
    assert_non_null(strstr(t, "      event: 7\n"));
    assert_non_null(strstr(t, "  note: \"a<b>&c\\\"d'e ]]> \\u0001"));
    free(t);
}

/* What the console escapes, TAP escapes too: a CSI (U+009B) and a
 * right-to-left override (U+202E), raw in a name and a note. */
static void test_tap_escapes_what_console_does(void **state)
{
    struct fixture fx;
    char *t;

    (void)state;
    fixture_init(&fx);
    fx.sc[0].name = "csi \xc2\x9b" "31m rlo \xe2\x80\xae" "gnp.exe";
    snprintf(fx.res[0].note, sizeof fx.res[0].note, "%s", fx.sc[0].name);
    t = write_report(report_tap_write, &fx.r);
    assert_null(strstr(t, "\xc2\x9b"));
    assert_null(strstr(t, "\xe2\x80\xae"));
    assert_non_null(strstr(t, "not ok 1 - csi \\u009B31m rlo \\u202Egnp.exe\n"));
    assert_non_null(strstr(t, "  note: \"csi \\u009B31m rlo \\u202Egnp.exe\"\n"));
    free(t);
}

/* A testsuite is named after the provider's whole file name: a backslash is
 * part of a Linux file name, not a folder's end. */
static void test_junit_suite_whole_file_name(void **state)
{
    struct fixture fx;
    char *x;

    (void)state;
    fixture_init(&fx);
    fx.res[0].provider = "/tmp/dir/a\\b.dll";
    fx.res[1].provider = "/tmp/dir/a\\b.dll";
    x = write_report(report_junit_write, &fx.r);
    assert_non_null(strstr(x, "<testsuite name=\"a\\b.dll\""));
    free(x);
}

/* Rules skipped for the run, with their reasons: in every report shape,
 * hostile reasons escaped. */
/* A NUL does not cut the worker's stderr: JSON writes it \u0000, JUnit
 * \x00 (XML 1.0 cannot hold it), and what follows it is kept; a cut one
 * says so in the JSON, with the whole length. */
static void test_stderr_nul_kept(void **state)
{
    static const char err[] = "before\0after \x80 end";
    struct fixture fx;
    char *x;

    (void)state;
    fixture_init(&fx);
    fx.res[0].worker_stderr = (char *)err;
    fx.res[0].worker_stderr_len = sizeof err - 1;
    x = write_report(report_junit_write, &fx.r);
    assert_non_null(strstr(x, "<system-err>before\\x00after \\x80 end</system-err>"));
    free(x);
    x = write_report(report_json_write, &fx.r);
    assert_non_null(strstr(x, "\"worker_stderr\": \"before\\u0000after \\\\x80 end\""));
    assert_non_null(strstr(x, "\"worker_stderr_state\": \"ok\""));
    assert_null(strstr(x, "worker_stderr_length"));
    free(x);
    fx.res[0].worker_stderr_dropped = 5;
    x = write_report(report_json_write, &fx.r);
    assert_non_null(strstr(x, "\"worker_stderr_state\": \"too_long\""));
    assert_non_null(strstr(x, "\"worker_stderr_length\": 1048581"));
    free(x);
}

static void test_rule_skips_in_every_report(void **state)
{
    static const struct rule_skip skips[] = {
        {"done-last", "bug 1234", "synchost.yaml:8:5"},
        {"progress-monotonic", HOSTILE, "--skip-rule"},
    };
    struct fixture fx;
    char *text;

    (void)state;
    fixture_init(&fx);
    text = write_report(report_json_write, &fx.r);
    assert_non_null(strstr(text, "\"skipped_rules\": []"));
    free(text);
    fx.r.rule_skips = skips;
    fx.r.rule_skip_count = 2;
    text = write_report(report_json_write, &fx.r);
    assert_non_null(strstr(text, "\"skipped_rules\": [\n    {\n      \"rule\": \"done-last\",\n"
                                 "      \"reason\": \"bug 1234\",\n"
                                 "      \"source\": \"synchost.yaml:8:5\"\n    },"));
    free(text);
    text = write_report(report_junit_write, &fx.r);
    assert_non_null(
        strstr(text, "<property name=\"skipped-rule\" value=\"done-last: bug 1234\"/>"));
    assert_non_null(strstr(text, "<property name=\"skipped-rule\" value=\"progress-monotonic: "
                                 "a&lt;b&gt;"));
    free(text);
    text = write_report(report_tap_write, &fx.r);
    assert_non_null(strstr(text, "1..2\n# skipped rule done-last: bug 1234\n"
                                 "# skipped rule progress-monotonic: a<b>&c"));
    assert_null(strstr(text, "\nok 99"));
    free(text);
}

#include "test_reports.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
