/*
 * test_console.c: what synchost prints for text it does not control (scenario
 * names, provider strings, the worker's stderr) cannot forge a console line
 * or drive the terminal; and the JSON report escapes the same text. Then the
 * console of a run: no escape codes when not on a terminal, NO_COLOR, the
 * live progress line on one, --only-failed, the verdict as the last line, and
 * the default console short (the context under --verbose).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcntl.h>
#include <termios.h>

#include <cmocka.h>

#include "console.h"
#include "console_run.h"
#include "report/result.h"

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
    res.worker_stderr_len = strlen(res.worker_stderr);
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
    res.worker_stderr_len = strlen(res.worker_stderr);
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

/* A run of two scenarios: "good" passed, "bad" failed with one violation
 * unless passing. */
struct fake_run {
    struct scenario sc[2];
    struct scenario_result res[2];
    struct violation v;
    struct run_report r;
};

static void fake_run_init(struct fake_run *f, int passing)
{
    memset(f, 0, sizeof *f);
    f->sc[0].name = "good";
    f->sc[1].name = "bad";
    for (int i = 0; i < 2; i++) {
        f->res[i].sc = &f->sc[i];
        f->res[i].status = STATUS_PASSED;
        f->res[i].duration_ms = 100;
    }
    if (!passing) {
        f->res[1].status = STATUS_FAILED;
        snprintf(f->v.rule, sizeof f->v.rule, "done-called-once");
        snprintf(f->v.message, sizeof f->v.message, "Done called 2 times");
        f->v.event = -1;
        f->res[1].judge.violations = &f->v;
        f->res[1].judge.violation_count = 1;
    }
    f->r.version = "0";
    f->r.results = f->res;
    f->r.count = 2;
}

/* What main does with a console, from the header to the verdict; total:
 * the scenarios the progress line expects (2, or more: it is still shown at
 * the end). */
static void console_whole_run(struct console *con, struct fake_run *f, int rc, size_t total)
{
    console_header(con, &f->r);
    console_progress_start(con, total, 4);
    for (int i = 0; i < 2; i++) {
        console_result(&f->res[i], con);
        console_progress(con);
    }
    console_summary(con, &f->r);
    console_failures(con, &f->r);
    console_report_file(con, "report.json");
    console_verdict(con, &f->r, rc, NULL);
}

/* The text after the last line end but one: the last line, with its "\n". */
static const char *last_line(const char *s, size_t len)
{
    assert_true(len > 0 && s[len - 1] == '\n');
    for (size_t i = len - 1; i > 0; i--) {
        if (s[i - 1] == '\n') {
            return s + i;
        }
    }
    return s;
}

static void test_not_a_tty_is_plain(void **state)
{
    struct fake_run f;
    struct console con;
    struct capture c;

    (void)state;
    unsetenv("NO_COLOR");
    fake_run_init(&f, 0);
    capture_start(&c, &con);
    assert_false(con.tty);
    assert_false(con.color);
    console_whole_run(&con, &f, 1, 2);
    capture_end(&c);
    assert_only_newlines(c.text, c.len);
    assert_null(strchr(c.text, '\r'));
    assert_null(strchr(c.text, '\x1b'));
    assert_non_null(strstr(c.text, "\nfailures:\n  bad: done-called-once: Done called 2 times\n"));
    assert_non_null(strstr(c.text, "\nreport: report.json\nsynchost: FAIL"));
    free(c.text);
}

static void test_last_line_is_the_verdict(void **state)
{
    struct fake_run f;
    struct console con;
    struct capture c;

    (void)state;
    for (int passing = 0; passing < 2; passing++) {
        fake_run_init(&f, passing);
        capture_start(&c, &con);
        con.tty = 1; /* the progress line drawn too: it must not follow the verdict */
        console_whole_run(&con, &f, passing ? 0 : 1, 3);
        capture_end(&c);
        assert_string_equal(last_line(c.text, c.len), passing ? "synchost: PASS, 2 scenarios\n"
                                                              : "synchost: FAIL, 1 of 2 failed\n");
        /* The progress line was drawn, and erased before the end. */
        assert_non_null(strstr(c.text, "\r\x1b[K[2/3] "));
        assert_non_null(strstr(c.text, "\r\x1b[K2 scenarios: "));
        free(c.text);
    }
    fake_run_init(&f, 0);
    f.res[1].status = STATUS_INTERRUPTED;
    f.res[1].judge.violation_count = 0;
    capture_start(&c, &con);
    console_whole_run(&con, &f, 130, 2);
    console_verdict(&con, &f.r, 3, "the harness failed on 1 of 2 scenarios");
    capture_end(&c);
    assert_non_null(strstr(c.text, "\nsynchost: INTERRUPTED, 1 of 2 ran\n"));
    assert_string_equal(last_line(c.text, c.len),
                        "synchost: ERROR, the harness failed on 1 of 2 scenarios\n");
    free(c.text);
}

static void test_progress_line_on_a_tty(void **state)
{
    struct fake_run f;
    struct console con;
    struct capture c;

    (void)state;
    fake_run_init(&f, 0);
    capture_start(&c, &con);
    con.tty = 1;
    console_progress_start(&con, 2, 4);
    console_result(&f.res[1], &con);
    console_progress(&con);
    console_result(&f.res[0], &con);
    console_progress(&con);
    capture_end(&c);
    assert_non_null(strstr(c.text, "\r\x1b[K[0/2] 0 failed, 0:00 elapsed, ETA ?"));
    /* One ended (100 ms), one left, 4 workers: 0.1 s left. */
    assert_non_null(strstr(c.text, "\r\x1b[KFAIL"));
    assert_non_null(strstr(c.text, "\r\x1b[K[1/2] 1 failed, 0:00 elapsed, ETA 0:00"));
    /* All ended: the line was erased for the last result, not drawn again. */
    assert_null(strstr(c.text, "[2/2]"));
    assert_int_equal(c.text[c.len - 1], '\n');
    assert_false(con.progress_shown);
    free(c.text);
}

/* A console on a pseudo-terminal: isatty says yes; NO_COLOR decides the
 * colours when set and not empty. */
static void test_no_color_on_a_tty(void **state)
{
    static const char *const values[] = {NULL, "", "1", "0"};
    static const int colored[] = {1, 1, 0, 0};
    struct console con;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    int slave;
    FILE *out;

    (void)state;
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        skip();
    }
    slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    out = fdopen(slave, "w");
    assert_non_null(out);
    setenv("TERM", "xterm", 1);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        if (values[i] == NULL) {
            unsetenv("NO_COLOR");
        } else {
            setenv("NO_COLOR", values[i], 1);
        }
        console_init(&con, out, 0, 0);
        assert_true(con.tty);
        assert_int_equal(con.color, colored[i]);
    }
    setenv("TERM", "dumb", 1);
    console_init(&con, out, 0, 0);
    assert_false(con.tty); /* no "\r" and erase on a terminal that cannot */
    unsetenv("NO_COLOR");
    fclose(out);
    close(master);
}

static void test_only_failed_hides_passes(void **state)
{
    struct fake_run f;
    struct console con;
    struct capture c;

    (void)state;
    fake_run_init(&f, 0);
    capture_start(&c, &con);
    con.only_failed = 1;
    console_whole_run(&con, &f, 1, 2);
    capture_end(&c);
    assert_null(strstr(c.text, "PASS    good"));
    assert_non_null(strstr(c.text, "FAIL    bad"));
    assert_non_null(strstr(c.text, "synchost 0: 2 scenarios")); /* the header */
    assert_non_null(strstr(c.text, "2 scenarios: 1 passed, 1 failed")); /* the summary */
    assert_string_equal(last_line(c.text, c.len), "synchost: FAIL, 1 of 2 failed\n");
    free(c.text);
    /* Without it, the pass is shown. */
    capture_start(&c, &con);
    console_whole_run(&con, &f, 1, 2);
    capture_end(&c);
    assert_non_null(strstr(c.text, "PASS    good"));
    free(c.text);
}

/* A timed-out scenario with everything the verbose console shows: a host
 * call, frames of two threads (the second in the provider's DLL), a note,
 * both rerun commands. */
struct hung_run {
    struct fake_run f;
    struct violation v2;
    struct violation vs[2];
};

static void append(struct trace *t, enum event_kind kind, uint32_t thread, uint32_t index,
                   const char *text)
{
    struct event ev = {0};

    ev.kind = kind;
    ev.thread = thread;
    ev.index = index;
    ev.text = (char *)text;
    ev.seq = t->total;
    assert_int_equal(trace_append(t, &ev), 0);
}

static void hung_run_init(struct hung_run *h)
{
    struct scenario_result *res = &h->f.res[1];

    fake_run_init(&h->f, 0);
    res->status = STATUS_TIMED_OUT;
    res->provider = "/p/defect-hang.dll";
    h->vs[0] = h->f.v;
    h->vs[1] = h->f.v;
    snprintf(h->vs[1].rule, sizeof h->vs[1].rule, "no-hang");
    res->judge.violations = h->vs;
    res->judge.violation_count = 2;
    snprintf(res->note, sizeof res->note, "worker killed by signal 9");
    res->rerun_synchost = "synchost trace --provider /p/defect-hang.dll --filter '^bad$'";
    res->rerun_winedbg = "printf x > synchost-rerun.script && winedbg worker.exe";
    trace_init(&res->trace);
    append(&res->trace, EVENT_DONE, 7, 0, NULL);
    append(&res->trace, EVENT_FRAME, 5, 0, "ntdll.dll+0xebe4 (NtWaitForMultipleObjects+0x14)");
    append(&res->trace, EVENT_FRAME, 9, 0, "ntdll.dll+0xebe4 (NtWaitForMultipleObjects+0x14)");
    append(&res->trace, EVENT_FRAME, 9, 1, "DEFECT-HANG.DLL+0x1971 (logon_Logoff+0x61)");
    append(&res->trace, EVENT_STACKS, 5, 0, "gave up");
}

/* By default the console tells and the reports keep: a failing scenario is
 * its status line with the first violation, one line per further violation
 * and its faulting frame; the end gives one rerun command and where the rest
 * is. Stacks, last events, the note and the winedbg command come back with
 * verbose. A pass gets no line of its own. */
static void test_default_console_is_short(void **state)
{
    static const char *const verbose_only[] = {
        "stack of thread", "last events:", "last host call:", "under winedbg:",
        "rerun alone:",    "note: ",       "PASS    good",    "failures:\n",
    };
    struct hung_run h;
    struct console con;
    struct capture c;

    (void)state;
    hung_run_init(&h);
    for (int verbose = 0; verbose < 2; verbose++) {
        capture_start(&c, &con);
        con.verbose = verbose;
        con.detail_json = "r.json";
        console_whole_run(&con, &h.f, 1, 2);
        capture_end(&c);
        for (size_t i = 0; i < sizeof verbose_only / sizeof verbose_only[0]; i++) {
            if ((strstr(c.text, verbose_only[i]) != NULL) != verbose) {
                print_error("%s \"%s\" with verbose %d:\n%s\n", verbose ? "no" : "a",
                            verbose_only[i], verbose, c.text);
                fail();
            }
        }
        if (!verbose) {
            assert_non_null(strstr(c.text, "TIMEOUT bad                            100 ms | "
                                           "done-called-once [required] Done called 2 times\n"
                                           "        no-hang [required] Done called 2 times\n"
                                           "        at frame #1 of thread 9: DEFECT-HANG.DLL+0x1971 "
                                           "(logon_Logoff+0x61)\n"));
            assert_non_null(strstr(c.text, "\nrerun one alone: synchost trace --provider "
                                           "/p/defect-hang.dll --filter '^bad$'\nmore: "));
            assert_non_null(strstr(c.text, " are in r.json (or use --verbose)\n"));
            /* Header (1), status and violation (2), frame, summary, rerun,
             * where, report, verdict. */
            assert_int_equal(count_lines(c.text), 9);
        }
        free(c.text);
    }
    trace_free(&h.f.res[1].trace);
}

#include "test_console.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
