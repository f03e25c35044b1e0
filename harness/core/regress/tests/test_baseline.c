/* test_baseline.c: the regression workflow's core: the baseline loader (an
 * expectations file, strictly, and a previous report), the verdict of a run
 * against it, pass rates over repeated runs and the seeded shuffle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "regress/baseline.h"
#include "report/passrate.h"
#include "regress/report_read.h"
#include "report/result.h"
#include "regress/shuffle.h"

static void load_ok(const char *text, struct baseline *b, const char *file, int line)
{
    char err[1200] = "";
    int rc = baseline_load_buffer("b.yaml", text, strlen(text), b, err, sizeof err);

    if (rc != 0) {
        print_error("unexpected error: %s\n", err);
    }
    _assert_int_equal(rc, 0, file, line);
}
#define LOAD_OK(text, b) load_ok((text), (b), __FILE__, __LINE__)

/* Loading text fails with exactly expected ("b.yaml:L:C: ..."). */
static void load_fails(const char *text, const char *expected, const char *file, int line)
{
    struct baseline b;
    char err[1200] = "";

    _assert_int_equal(baseline_load_buffer("b.yaml", text, strlen(text), &b, err, sizeof err), -1,
                      file, line);
    if (strcmp(err, expected) != 0) {
        print_error("got      %s\nexpected %s\n", err, expected);
    }
    _assert_string_equal(err, expected, file, line);
    _assert_int_equal(b.count, 0, file, line);
}
#define LOAD_FAILS(text, expected) load_fails((text), (expected), __FILE__, __LINE__)

static const char example[] =
    "known:\n"
    "  - { scenario: cancel-on-second-progress, status: failed, rule: cancel-honored,\n"
    "      reason: \"bug 1234\" }\n"
    "  - { scenario: on-demand, status: flaky, reason: \"timing under load\" }\n"
    "  - { scenario: full-background, status: skip, reason: \"not supported\" }\n"
    "  - scenario: headers-only\n"
    "    file: headers-only.yaml\n"
    "    status: crashed\n"
    "    reason: bug 99\n";

static void test_load_example(void **state)
{
    struct baseline b;

    (void)state;
    LOAD_OK(example, &b);
    assert_int_equal(b.count, 4);
    assert_false(b.from_report);
    assert_string_equal(b.entries[0].scenario, "cancel-on-second-progress");
    assert_int_equal(b.entries[0].kind, BASELINE_KIND_FAILURE);
    assert_int_equal(b.entries[0].status, STATUS_FAILED);
    assert_string_equal(b.entries[0].rule, "cancel-honored");
    assert_string_equal(b.entries[0].reason, "bug 1234");
    assert_int_equal(b.entries[0].line, 2);
    assert_int_equal(b.entries[0].col, 5);
    assert_int_equal(b.entries[1].kind, BASELINE_KIND_FLAKY);
    assert_null(b.entries[1].rule);
    assert_int_equal(b.entries[2].kind, BASELINE_KIND_SKIP);
    assert_int_equal(b.entries[3].status, STATUS_CRASHED);
    assert_string_equal(b.entries[3].file, "headers-only.yaml");
    assert_int_equal(b.entries[3].line, 6);
    baseline_free(&b);

    LOAD_OK("known:\n", &b); /* cleared: no entries */
    assert_int_equal(b.count, 0);
    baseline_free(&b);
    LOAD_OK("known: []\n", &b);
    assert_int_equal(b.count, 0);
    baseline_free(&b);
}

static void test_load_errors(void **state)
{
    (void)state;
    LOAD_FAILS("", "b.yaml:1:1: empty: expected known: and a list of entries");
    LOAD_FAILS("known: [\n", "b.yaml:2:1: invalid YAML: did not find expected node content "
                             "(while parsing a flow node at 2:1)");
    LOAD_FAILS("knwon: []\n", "b.yaml:1:1: unknown key 'knwon' in an expectations file; did "
                              "you mean 'known'? (it takes known)");
    LOAD_FAILS("other: 1\nknown: []\n", "b.yaml:1:1: unknown key 'other' in an expectations "
                                        "file (it takes known)");
    LOAD_FAILS("- a\n", "b.yaml:1:1: not a baseline: expected an expectations file (a mapping "
                        "with known:) or a synchost JSON report (an object), found a list");
    LOAD_FAILS("known: 3\n", "b.yaml:1:8: known: expected a list of entries, got '3'");
    LOAD_FAILS("known:\n  - { scenario: a, status: failed, reason: r, why: x }\n",
               "b.yaml:2:47: unknown key 'why' in a known entry (it takes scenario, file, "
               "status, rule, rules, reason)");
    LOAD_FAILS("known:\n  - { scenario: a, status: failed }\n",
               "b.yaml:2:5: a known entry needs scenario:, status: and reason: (reason is "
               "missing)");
    LOAD_FAILS("known:\n  - { scenario: a, status: broken, reason: r }\n",
               "b.yaml:2:28: status: expected failed, crashed, timed_out, flaky or skip, got "
               "'broken'");
    LOAD_FAILS("known:\n  - { scenario: a, status: failed, rule: no-such-rule, reason: r }\n",
               "b.yaml:2:42: rule: no rule 'no-such-rule' (synchost list rules)");
    LOAD_FAILS("known:\n  - { scenario: a, status: skip, rule: done-called-once, reason: r }\n",
               "b.yaml:2:40: rule: a skipped scenario does not run, so it breaks no rule; "
               "leave rule: out");
    LOAD_FAILS("known:\n  - { scenario: a, status: failed, reason: r, reason: s }\n",
               "b.yaml:2:47: duplicate key 'reason' in a known entry (first at 2:36)");
    LOAD_FAILS("known:\n  - { scenario: a, status: failed, reason: \"\" }\n",
               "b.yaml:2:44: reason: must not be empty");
    LOAD_FAILS("known:\n  - { scenario: [a], status: failed, reason: r }\n",
               "b.yaml:2:17: scenario: expected a string, got a list");
    LOAD_FAILS("known:\n"
               "  - { scenario: a, status: failed, reason: r }\n"
               "  - { scenario: a, status: failed, reason: again }\n",
               "b.yaml:3:5: the same entry as at 2:5");
    LOAD_FAILS("known:\n"
               "  - { scenario: a, status: failed, reason: r }\n"
               "  - { scenario: a, status: skip, reason: s }\n",
               "b.yaml:3:5: scenario 'a' is skipped, and has another entry at 2:5; a skipped "
               "scenario does not run, so keep one");
    /* Clashes are found by sorting, yet reported as a reading in order
     * meets them: the first clashing entry, at the first entry it clashes
     * with, and before any error further on. */
    LOAD_FAILS("known:\n"
               "  - { scenario: b, status: skip, reason: s }\n"
               "  - { scenario: c, status: failed, reason: r }\n"
               "  - { scenario: a, status: failed, rule: done-last, reason: r }\n"
               "  - { scenario: c, status: crashed, reason: r }\n"
               "  - { scenario: a, status: failed, rule: done-last, reason: r }\n"
               "  - { scenario: b, status: failed, reason: r }\n",
               "b.yaml:6:5: the same entry as at 4:5");
    LOAD_FAILS("known:\n"
               "  - { scenario: a, status: failed, reason: r }\n"
               "  - { scenario: a, status: crashed, reason: r }\n"
               "  - { scenario: \"a\\e[2J\", status: skip, reason: r }\n"
               "  - { scenario: \"a\\e[2J\", status: failed, reason: r }\n",
               "b.yaml:5:5: scenario 'a\\x1B[2J' is skipped, and has another entry at 4:5; a "
               "skipped scenario does not run, so keep one");
    LOAD_FAILS("known:\n"
               "  - { scenario: a, status: failed, reason: r }\n"
               "  - { scenario: a, status: failed, reason: r }\n"
               "  - { scenario: b, status: nope, reason: r }\n",
               "b.yaml:3:5: the same entry as at 2:5");
    LOAD_FAILS("known:\n"
               "  - { scenario: b, status: nope, reason: r }\n"
               "  - { scenario: a, status: failed, reason: r }\n"
               "  - { scenario: a, status: failed, reason: r }\n",
               "b.yaml:2:28: status: expected failed, crashed, timed_out, flaky or skip, got "
               "'nope'");
    LOAD_FAILS("known: []\n---\nknown: []\n", "b.yaml:2:1: a second YAML document: keep one");
}

static void test_load_expect_rule(void **state)
{
    struct baseline b;

    (void)state;
    LOAD_OK("known:\n  - { scenario: a, status: failed, rule: expect.done.hresult, reason: r }\n"
            "  - { scenario: a, status: failed, rule: done-called-once, reason: r }\n",
            &b);
    assert_int_equal(b.count, 2);
    baseline_free(&b);
}

static const char report[] =
    "{\"tool\": \"synchost\", \"version\": \"0.1.0\", \"scenarios\": [\n"
    " {\"name\": \"a\", \"file\": \"<builtin>/a.yaml\", \"status\": \"failed\",\n"
    "  \"violations\": [{\"rule\": \"done-called-once\"}, {\"rule\": \"done-last\"},\n"
    "                  {\"rule\": \"done-called-once\"}]},\n"
    " {\"name\": \"b\", \"file\": \"<builtin>/b.yaml\", \"status\": \"passed\", \"violations\": "
    "[]},\n"
    " {\"name\": \"c\", \"status\": \"crashed\", \"violations\": []},\n"
    " {\"name\": \"d\", \"status\": \"passed\"}, {\"name\": \"d\", \"status\": \"timed_out\"},\n"
    " {\"name\": \"e\", \"status\": \"errored\"}, {\"name\": \"f\", \"status\": \"interrupted\"}\n"
    "]}\n";

static void test_read_report(void **state)
{
    struct report_doc doc;
    char err[512];

    (void)state;
    assert_int_equal(report_read_buffer("r.json", report, strlen(report), &doc, err, sizeof err),
                     0);
    assert_int_equal(doc.count, 7);
    assert_string_equal(doc.runs[0].file, "<builtin>/a.yaml");
    assert_int_equal(doc.runs[0].rule_count, 2); /* each rule once */
    assert_string_equal(doc.runs[0].rules[1], "done-last");
    assert_string_equal(doc.runs[2].file, "");
    assert_int_equal(doc.runs[4].status, STATUS_TIMED_OUT);
    report_doc_free(&doc);

    assert_int_equal(report_read_buffer("r.json", "{\"tool\": 1}", 11, &doc, err, sizeof err), -1);
    assert_string_equal(err, "r.json: not a synchost JSON report (no \"tool\": \"synchost\")");
    assert_int_equal(report_read_buffer("r.json", "{\n\"tool\"", 8, &doc, err, sizeof err), -1);
    assert_string_equal(err, "r.json:2:7: not valid JSON: ':' expected");
    {
        static const char bad[] = "{\"tool\": \"synchost\", \"scenarios\": [{\"name\": \"a\", "
                                  "\"status\": \"fine\"}]}";
        assert_int_equal(report_read_buffer("r.json", bad, strlen(bad), &doc, err, sizeof err), -1);
    }
    assert_string_equal(err, "r.json: scenarios[0] ('a') has no known \"status\"");
}

static void test_file_matches(void **state)
{
    (void)state;
    assert_true(report_file_matches(NULL, "x/a.yaml"));
    assert_true(report_file_matches("", "x/a.yaml"));
    assert_true(report_file_matches("a.yaml", "<builtin>/a.yaml"));
    assert_true(report_file_matches("/home/me/x/a.yaml", "x/a.yaml"));
    assert_true(report_file_matches("x/a.yaml", "x/a.yaml"));
    assert_false(report_file_matches("ba.yaml", "x/a.yaml"));
    assert_false(report_file_matches("a.yaml", "x/ba.yaml"));
    assert_false(report_file_matches("a.yaml", NULL));
    assert_true(report_file_matches("<builtin>/a.yaml", "/src/suites/conformance/a.yaml"));
    assert_true(report_file_matches("suites/conformance/a.yaml", "<builtin>/a.yaml"));
    assert_false(report_file_matches("<builtin>/a.yaml", "/src/ba.yaml"));
}

/* Judges one run of scenario name ("f/NAME.yaml") with the given rules. */
static enum baseline_verdict judge(const struct baseline *b, const char *name,
                                   enum scenario_status st, const char *r1, const char *r2,
                                   struct baseline_judgement *j)
{
    const char *rules[2] = {r1, r2};
    char file[64];

    snprintf(file, sizeof file, "f/%s.yaml", name);
    baseline_judge(b, name, file, st, rules, r2 != NULL ? 2 : r1 != NULL ? 1 : 0, j);
    return j->verdict;
}

static void test_judge_expectations(void **state)
{
    struct baseline b;
    struct baseline_judgement j;
    char why[1024];

    (void)state;
    LOAD_OK(example, &b);
    /* A known failure: same scenario, same status, same rule. */
    assert_int_equal(
        judge(&b, "cancel-on-second-progress", STATUS_FAILED, "cancel-honored", NULL, &j),
        BASELINE_KNOWN_FAILURE);
    assert_string_equal(j.entry->reason, "bug 1234");
    assert_string_equal(baseline_explain(&b, &j, STATUS_FAILED, why, sizeof why),
                        "bug 1234 (b.yaml:2:5)");
    assert_false(baseline_changed(&j));
    /* Another rule, or the known one and another: still known by its
     * scenario and status, the rules it breaks changed. */
    assert_int_equal(judge(&b, "cancel-on-second-progress", STATUS_FAILED, "done-last", NULL, &j),
                     BASELINE_KNOWN_FAILURE);
    assert_null(j.uncovered_rule);
    assert_true(baseline_changed(&j));
    assert_string_equal(baseline_explain(&b, &j, STATUS_FAILED, why, sizeof why),
                        "bug 1234 (b.yaml:2:5); CHANGED: now breaks done-last, no longer "
                        "cancel-honored");
    assert_int_equal(
        judge(&b, "cancel-on-second-progress", STATUS_FAILED, "cancel-honored", "done-last", &j),
        BASELINE_KNOWN_FAILURE);
    assert_string_equal(baseline_explain(&b, &j, STATUS_FAILED, why, sizeof why),
                        "bug 1234 (b.yaml:2:5); CHANGED: now breaks done-last");
    /* --baseline-strict: the rules must match; another is a new failure. */
    b.strict = 1;
    assert_int_equal(
        judge(&b, "cancel-on-second-progress", STATUS_FAILED, "cancel-honored", "done-last", &j),
        BASELINE_NEW_FAILURE);
    assert_string_equal(j.uncovered_rule, "done-last");
    assert_false(baseline_changed(&j));
    assert_string_equal(baseline_explain(&b, &j, STATUS_FAILED, why, sizeof why),
                        "breaks done-last, which the baseline's entries for it (b.yaml:2:5) do "
                        "not list (--baseline-strict: rules are matched exactly)");
    assert_int_equal(
        judge(&b, "cancel-on-second-progress", STATUS_FAILED, "cancel-honored", NULL, &j),
        BASELINE_KNOWN_FAILURE);
    b.strict = 0;
    baseline_free(&b);
}

/* A status other than the entry's, a pass, a flaky entry, a scenario not
 * listed, a skip, runs with no verdict, entries by rule and by file. */
static void test_judge_other_outcomes(void **state)
{
    struct baseline b;
    struct baseline_judgement j;
    char why[1024];

    (void)state;
    LOAD_OK(example, &b);
    /* Another status: new. */
    assert_int_equal(
        judge(&b, "cancel-on-second-progress", STATUS_CRASHED, "cancel-honored", NULL, &j),
        BASELINE_NEW_FAILURE);
    assert_string_equal(baseline_explain(&b, &j, STATUS_CRASHED, why, sizeof why),
                        "crashed, where the baseline (b.yaml:2:5) expects failed");
    /* Passing now: fixed. */
    assert_int_equal(judge(&b, "cancel-on-second-progress", STATUS_PASSED, NULL, NULL, &j),
                     BASELINE_FIXED);
    assert_true(baseline_verdict_fails(j.verdict));
    /* Flaky passes either way. */
    assert_int_equal(judge(&b, "on-demand", STATUS_PASSED, NULL, NULL, &j), BASELINE_FLAKY);
    assert_int_equal(judge(&b, "on-demand", STATUS_TIMED_OUT, "no-hang", NULL, &j), BASELINE_FLAKY);
    assert_false(baseline_verdict_fails(j.verdict));
    /* Not listed. */
    assert_int_equal(judge(&b, "download-contents", STATUS_FAILED, "done-last", NULL, &j),
                     BASELINE_NEW_FAILURE);
    assert_null(j.entry);
    assert_string_equal(baseline_explain(&b, &j, STATUS_FAILED, why, sizeof why),
                        "failed, and the baseline does not list it");
    assert_int_equal(judge(&b, "download-contents", STATUS_PASSED, NULL, NULL, &j),
                     BASELINE_PASSED);
    /* A skip. */
    assert_non_null(baseline_skip(&b, "full-background", "x/full-background.yaml"));
    assert_null(baseline_skip(&b, "on-demand", "x/on-demand.yaml"));
    assert_int_equal(judge(&b, "full-background", STATUS_SKIPPED, NULL, NULL, &j),
                     BASELINE_SKIPPED);
    /* Errored and interrupted runs get no verdict. */
    assert_int_equal(judge(&b, "on-demand", STATUS_ERRORED, NULL, NULL, &j), BASELINE_NOT_JUDGED);
    assert_int_equal(judge(&b, "on-demand", STATUS_INTERRUPTED, NULL, NULL, &j),
                     BASELINE_NOT_JUDGED);
    /* An entry without a rule covers any rule; one with file: only that file. */
    assert_int_equal(judge(&b, "headers-only", STATUS_CRASHED, "no-crash", "done-last", &j),
                     BASELINE_KNOWN_FAILURE);
    baseline_judge(&b, "headers-only", "elsewhere.yaml", STATUS_CRASHED, NULL, 0, &j);
    assert_int_equal(j.verdict, BASELINE_NEW_FAILURE);
    baseline_free(&b);
}

static void test_judge_several_rules(void **state)
{
    struct baseline b;
    struct baseline_judgement j;

    (void)state;
    LOAD_OK("known:\n"
            "  - { scenario: s, status: failed, rule: done-called-once, reason: one }\n"
            "  - { scenario: s, status: failed, rule: done-last, reason: two }\n"
            "  - { scenario: t, status: flaky, rule: no-hang, reason: slow }\n",
            &b);
    assert_int_equal(judge(&b, "s", STATUS_FAILED, "done-last", "done-called-once", &j),
                     BASELINE_KNOWN_FAILURE);
    assert_false(baseline_changed(&j));
    /* Fewer rules than named: known, the others no longer broken. */
    assert_int_equal(judge(&b, "s", STATUS_FAILED, "done-last", NULL, &j), BASELINE_KNOWN_FAILURE);
    assert_int_equal(j.now_count, 0);
    assert_int_equal(j.gone_count, 1);
    assert_string_equal(j.gone[0], "done-called-once");
    assert_int_equal(judge(&b, "s", STATUS_FAILED, NULL, NULL, &j), BASELINE_KNOWN_FAILURE);
    assert_int_equal(j.gone_count, 2);
    /* A flaky entry with a rule is a per-rule flake: another rule is new. */
    assert_int_equal(judge(&b, "t", STATUS_TIMED_OUT, "no-hang", NULL, &j), BASELINE_FLAKY);
    assert_int_equal(judge(&b, "t", STATUS_FAILED, "done-last", NULL, &j), BASELINE_NEW_FAILURE);
    assert_int_equal(judge(&b, "t", STATUS_PASSED, NULL, NULL, &j), BASELINE_FLAKY);
    baseline_free(&b);
}

static void test_judge_report(void **state)
{
    struct baseline b;
    struct baseline_judgement j;
    char err[512], why[1024];

    (void)state;
    assert_int_equal(baseline_load_buffer("old.json", report, strlen(report), &b, err, sizeof err),
                     0);
    assert_true(b.from_report);
    /* a: both its rules known; the same failure again is known. */
    baseline_judge(&b, "a", "<builtin>/a.yaml", STATUS_FAILED,
                   (const char *const[]){"done-last", "done-called-once"}, 2, &j);
    assert_int_equal(j.verdict, BASELINE_KNOWN_FAILURE);
    assert_string_equal(baseline_explain(&b, &j, STATUS_FAILED, why, sizeof why),
                        "failed in old.json");
    baseline_judge(&b, "a", "<builtin>/a.yaml", STATUS_FAILED,
                   (const char *const[]){"progress-monotonic"}, 1, &j);
    assert_int_equal(j.verdict, BASELINE_KNOWN_FAILURE);
    assert_string_equal(baseline_explain(&b, &j, STATUS_FAILED, why, sizeof why),
                        "failed in old.json; CHANGED: now breaks progress-monotonic, no longer "
                        "done-called-once, done-last");
    b.strict = 1;
    baseline_judge(&b, "a", "<builtin>/a.yaml", STATUS_FAILED,
                   (const char *const[]){"progress-monotonic"}, 1, &j);
    assert_int_equal(j.verdict, BASELINE_NEW_FAILURE);
    b.strict = 0;
    /* A failure turned into a crash is another kind of failure: new. */
    baseline_judge(&b, "a", "<builtin>/a.yaml", STATUS_CRASHED,
                   (const char *const[]){"done-last"}, 1, &j);
    assert_int_equal(j.verdict, BASELINE_NEW_FAILURE);
    baseline_judge(&b, "a", "<builtin>/a.yaml", STATUS_PASSED, NULL, 0, &j);
    assert_int_equal(j.verdict, BASELINE_FIXED);
    /* b passed there: failing now is new. */
    baseline_judge(&b, "b", "<builtin>/b.yaml", STATUS_FAILED, (const char *const[]){"done-last"},
                   1, &j);
    assert_int_equal(j.verdict, BASELINE_NEW_FAILURE);
    /* c crashed without violations: any crash of c is known. */
    baseline_judge(&b, "c", "x.yaml", STATUS_CRASHED, (const char *const[]){"no-crash"}, 1, &j);
    assert_int_equal(j.verdict, BASELINE_KNOWN_FAILURE);
    /* d passed once and timed out once: flaky. */
    baseline_judge(&b, "d", "x.yaml", STATUS_FAILED, (const char *const[]){"done-last"}, 1, &j);
    assert_int_equal(j.verdict, BASELINE_FLAKY);
    assert_string_equal(j.entry->reason, "passed 1 of 2 runs in old.json");
    /* e errored and f was interrupted: nothing known about them. */
    baseline_judge(&b, "e", "x.yaml", STATUS_FAILED, (const char *const[]){"done-last"}, 1, &j);
    assert_int_equal(j.verdict, BASELINE_NEW_FAILURE);
    baseline_judge(&b, "f", "x.yaml", STATUS_PASSED, NULL, 0, &j);
    assert_int_equal(j.verdict, BASELINE_PASSED);
    baseline_free(&b);
}

/* rules: exact, its errors, and how a change of rules is told. */
static void test_judge_rules_exact(void **state)
{
    static const char *const many[] = {
        "done-last", "done-called-once", "progress-monotonic", "progress-index-bounded",
        "event-signaled", "no-crash", "callback-refcount", "callback-via-qi", "done-last",
        "leak-handles", "leak-threads", "leak-mapi-buffers", "cancel-honored", "flags-accepted",
        "flags-unknown", "sib-size-checked", "sib-null-callback", "progress-completes",
        "error-text-valid", "com-qi-rules",
    };
    struct baseline b;
    struct baseline_judgement j;
    char why[1024];

    (void)state;
    LOAD_OK("known:\n"
            "  - { scenario: s, status: failed, rule: done-last, rules: exact, reason: one }\n"
            "  - { scenario: s, status: failed, rule: done-called-once, reason: two }\n"
            "  - { scenario: s, status: crashed, rule: no-crash, reason: three }\n"
            "  - { scenario: t, status: failed, rule: done-last, rules: may-change, reason: r }\n",
            &b);
    assert_true(b.entries[0].exact);
    assert_false(b.entries[1].exact);
    assert_false(b.entries[3].exact);
    /* One entry of the scenario and status says exact: all its rules match
     * exactly; its crashes do not. */
    assert_int_equal(judge(&b, "s", STATUS_FAILED, "done-last", "no-hang", &j),
                     BASELINE_NEW_FAILURE);
    assert_string_equal(baseline_explain(&b, &j, STATUS_FAILED, why, sizeof why),
                        "breaks no-hang, which the baseline's entries for it (b.yaml:2:5) do not "
                        "list (rules: exact)");
    assert_int_equal(judge(&b, "s", STATUS_FAILED, "done-called-once", NULL, &j),
                     BASELINE_KNOWN_FAILURE);
    assert_int_equal(judge(&b, "s", STATUS_CRASHED, "no-hang", NULL, &j), BASELINE_KNOWN_FAILURE);
    assert_string_equal(baseline_explain(&b, &j, STATUS_CRASHED, why, sizeof why),
                        "three (b.yaml:4:5); CHANGED: now breaks no-hang, no longer no-crash");
    /* A failure where the baseline says it times out is new, loose or not. */
    assert_int_equal(judge(&b, "t", STATUS_TIMED_OUT, "done-last", NULL, &j),
                     BASELINE_NEW_FAILURE);
    /* Many rules: each once, the first BASELINE_MAX_CHANGES listed. */
    baseline_judge(&b, "t", "f/t.yaml", STATUS_FAILED, many, sizeof many / sizeof many[0], &j);
    assert_int_equal(j.verdict, BASELINE_KNOWN_FAILURE);
    assert_int_equal(j.now_count, 18);
    assert_int_equal(j.gone_count, 0);
    assert_string_equal(j.now[0], "done-called-once");
    assert_string_equal(baseline_describe_change(&j, why, sizeof why),
                        "now breaks done-called-once, progress-monotonic, progress-index-bounded, "
                        "event-signaled, no-crash, callback-refcount, callback-via-qi, "
                        "leak-handles, leak-threads, leak-mapi-buffers, cancel-honored, "
                        "flags-accepted, flags-unknown, sib-size-checked, sib-null-callback, "
                        "progress-completes and 2 more");
    /* Only rules gone. */
    baseline_judge(&b, "t", "f/t.yaml", STATUS_FAILED, NULL, 0, &j);
    assert_string_equal(baseline_describe_change(&j, why, sizeof why),
                        "no longer breaks done-last");
    baseline_free(&b);

    LOAD_FAILS("known:\n  - { scenario: a, status: failed, rule: done-last, rules: all, "
               "reason: r }\n",
               "b.yaml:2:60: rules: expected exact or may-change, got 'all'");
    LOAD_FAILS("known:\n  - { scenario: a, status: failed, rules: exact, reason: r }\n",
               "b.yaml:2:43: rules: says how the rules of a known failure are matched; it goes "
               "with rule: and a status of failed, crashed or timed_out");
    LOAD_FAILS("known:\n  - { scenario: a, status: flaky, rule: done-last, rules: exact, "
               "reason: r }\n",
               "b.yaml:2:59: rules: says how the rules of a known failure are matched; it goes "
               "with rule: and a status of failed, crashed or timed_out");
}

static void test_pass_rates(void **state)
{
    struct scenario a = {0}, b = {0}, c = {0};
    struct scenario_result res[8];
    struct pass_rate rates[8];
    static const enum scenario_status st[8] = {
        STATUS_PASSED, STATUS_FAILED, STATUS_PASSED,  STATUS_PASSED,
        STATUS_PASSED, STATUS_PASSED, STATUS_SKIPPED, STATUS_INTERRUPTED,
    };
    size_t n;

    (void)state;
    a.name = "on-demand";
    a.file = "x/on-demand.yaml";
    b.name = "download";
    b.file = "x/download.yaml";
    c.name = "skipped";
    c.file = "x/skipped.yaml";
    memset(res, 0, sizeof res);
    for (int i = 0; i < 8; i++) {
        res[i].sc = i < 3 ? &a : i < 6 ? &b : &c;
        res[i].status = st[i];
    }
    n = pass_rates_compute(res, 8, rates);
    assert_int_equal(n, 2); /* skipped and interrupted runs are no runs */
    assert_string_equal(rates[0].name, "download");
    assert_int_equal(rates[0].runs, 3);
    assert_int_equal(rates[0].passed, 3);
    assert_string_equal(rates[1].name, "on-demand");
    assert_int_equal(rates[1].runs, 3);
    assert_int_equal(rates[1].passed, 2);
}

static void shuffled(uint64_t seed, int out[20])
{
    for (int i = 0; i < 20; i++) {
        out[i] = i;
    }
    shuffle_seeded(out, 20, sizeof out[0], seed);
}

static void test_shuffle(void **state)
{
    int a[20], b[20], seen[20] = {0};
    int moved = 0;

    (void)state;
    shuffled(42, a);
    shuffled(42, b);
    assert_memory_equal(a, b, sizeof a); /* the same seed, the same order */
    for (int i = 0; i < 20; i++) {
        seen[a[i]]++;
        moved += a[i] != i;
    }
    for (int i = 0; i < 20; i++) {
        assert_int_equal(seen[i], 1); /* a permutation */
    }
    assert_true(moved > 0);
    for (uint64_t s = 0; s < 100; s++) { /* different seeds, different orders */
        shuffled(s, a);
        shuffled(s + 1, b);
        assert_memory_not_equal(a, b, sizeof a);
    }
    /* The order is part of the replay contract: pinned across builds. */
    shuffled(1, a);
    {
        uint64_t st = 1;
        assert_true(shuffle_next(&st) == 0x910A2DEC89025CC1u);
    }
    shuffle_seeded(a, 0, sizeof a[0], 7); /* nothing to do, no harm */
    shuffle_seeded(a, 1, sizeof a[0], 7);
}

#include "test_baseline.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
