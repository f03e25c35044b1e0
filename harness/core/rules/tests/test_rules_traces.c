/*
 * test_rules_traces.c: the judge on traces written as files, one per case,
 * in the worker's line format (protocol/wire.h): each event as the worker
 * run by hand prints it, fed to the judge in order. Lines starting with '#'
 * are comments, but for what the trace expects:
 *
 *   # status: failed                  the verdict (default: passed)
 *   # violation: done-called-once 9   a rule and the seq of the event it
 *                                     points at, one line each; none: no
 *                                     violation, and no others in any case
 *   # ending: died                    how the worker ended: finished
 *                                     (default), died or killed
 *
 * A trace is the shortest way to pin how a rule reads a sequence of events:
 * add a file to traces/ and its line to meson.build (docs/hacking.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/tests/wire_read.h"
#include "rules/rules.h"

struct expected {
    enum scenario_status status;
    enum worker_ending ending;
    char rules[16][64];
    int64_t seqs[16];
    size_t count;
};

static const char *const *trace_files;
static int trace_count;

static char *trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) {
        s[--n] = '\0';
    }
    while (*s == ' ') {
        s++;
    }
    return s;
}

/* A "# key: value" line into want; other comments are skipped. */
static void directive(const char *path, unsigned line, char *text, struct expected *want)
{
    char *colon = strchr(text, ':');
    char *value = colon != NULL ? trim(colon + 1) : NULL;

    if (colon == NULL) {
        return;
    }
    *colon = '\0';
    text = trim(text);
    if (strcmp(text, "status") == 0) {
        for (int s = 0; s < STATUS_COUNT; s++) {
            if (strcmp(value, scenario_status_name((enum scenario_status)s)) == 0) {
                want->status = (enum scenario_status)s;
                return;
            }
        }
        fail_msg("%s:%u: no status %s", path, line, value);
    } else if (strcmp(text, "ending") == 0) {
        want->ending = strcmp(value, "died") == 0     ? WORKER_DIED
                       : strcmp(value, "killed") == 0 ? WORKER_KILLED
                                                      : WORKER_FINISHED;
    } else if (strcmp(text, "violation") == 0) {
        long long at;
        assert_true(want->count < 16);
        if (sscanf(value, "%63s %lld", want->rules[want->count], &at) != 2) {
            fail_msg("%s:%u: a violation is a rule and a seq", path, line);
        }
        want->seqs[want->count++] = at;
    }
}

static void run_trace(const char *path)
{
    struct scenario sc;
    struct judge j;
    struct judge_options opts = {RULE_RECOMMENDED, NULL, 0};
    struct expected want = {STATUS_PASSED, WORKER_FINISHED, {{0}}, {0}, 0};
    char buf[4096], text[EVENT_TEXT_MAX];
    unsigned line = 0;
    FILE *f = fopen(path, "r");

    if (f == NULL) {
        fail_msg("%s: cannot open", path);
    }
    memset(&sc, 0, sizeof sc);
    sc.name = "trace";
    sc.flags = 0x80;
    sc.sib_size = SCENARIO_SIB_SIZE;
    judge_init(&j, &sc, &opts);
    while (fgets(buf, sizeof buf, f) != NULL) {
        char *s = trim(buf);
        struct event ev;

        line++;
        if (*s == '#') {
            directive(path, line, s + 1, &want);
        } else if (*s != '\0') {
            if (wire_read(s, strlen(s), &ev, text, sizeof text) != 0) {
                fail_msg("%s:%u: not an event line", path, line);
            }
            judge_event(&j, &ev);
        }
    }
    fclose(f);
    enum scenario_status got = judge_finish(&j, want.ending, NULL);
    if (got != want.status) {
        fail_msg("%s: status %s, expected %s", path, scenario_status_name(got),
                 scenario_status_name(want.status));
    }
    for (size_t i = 0; i < j.violation_count; i++) {
        size_t k = 0;
        while (k < want.count && (strcmp(want.rules[k], j.violations[i].rule) != 0 ||
                                  want.seqs[k] != j.violations[i].event)) {
            k++;
        }
        if (k == want.count) {
            fail_msg("%s: unexpected %s at event %lld: %s", path, j.violations[i].rule,
                     (long long)j.violations[i].event, j.violations[i].message);
        }
    }
    if (j.violation_count != want.count) {
        fail_msg("%s: %zu violation(s), expected %zu", path, j.violation_count, want.count);
    }
    judge_free(&j);
}

static void test_every_trace(void **state)
{
    (void)state;
    assert_true(trace_count > 0);
    for (int i = 0; i < trace_count; i++) {
        run_trace(trace_files[i]);
        print_message("# %s: as expected\n", trace_files[i]);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_trace),
    };
    trace_files = (const char *const *)argv + 1;
    trace_count = argc - 1;
    return cmocka_run_group_tests_name("rules-traces", tests, NULL, NULL);
}
