/* test_scenario_gen.c: explore's generator and shrink candidates: the same
 * seed makes the same text, every case loads through the scenario loader,
 * the restrictions hold, and every shrink candidate is smaller and loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "scenario/scenario.h"
#include "scenario/scenario_gen.h"
#include "scenario/scenario_shrink.h"

#define CASES 2000

/* gc as text must load, as one scenario; returns it loaded into list. */
static void load_ok(const struct gen_case *gc, struct scenario_list *list, const char *file,
                    int line)
{
    char text[4096], why[512];
    struct scenario_error err;
    int n = gen_case_format(gc, "explored", "a comment\nof two lines", text, sizeof text);

    if (n < 0) {
        fail_msg("%s:%d: the case does not fit the buffer", file, line);
    }
    if (scenario_load_buffer("gen.yaml", "/", text, (size_t)n, list, &err) != 0) {
        fail_msg("%s:%d: the loader refused a generated case: %s\n%s", file, line,
                 scenario_error_format(&err, why, sizeof why), text);
    }
}
#define LOAD_OK(gc, list) load_ok((gc), (list), __FILE__, __LINE__)

static void test_same_seed_same_text(void **state)
{
    char a[4096], b[4096];
    struct gen_case ga, gb;
    int differs = 0;

    (void)state;
    for (uint64_t i = 0; i < 200; i++) {
        gen_case_random(42, i, &ga);
        gen_case_random(42, i, &gb);
        assert_int_not_equal(gen_case_format(&ga, "x", NULL, a, sizeof a), -1);
        assert_int_not_equal(gen_case_format(&gb, "x", NULL, b, sizeof b), -1);
        assert_string_equal(a, b);
        gen_case_random(43, i, &gb);
        assert_int_not_equal(gen_case_format(&gb, "x", NULL, b, sizeof b), -1);
        differs += strcmp(a, b) != 0;
    }
    assert_true(differs > 100); /* another seed, another exploration */
}

static void test_every_case_loads(void **state)
{
    unsigned overlap = 0, faults = 0, cancels = 0, logoffs = 0, jitters = 0;

    (void)state;
    for (uint64_t i = 0; i < CASES; i++) {
        struct scenario_list list = {0};
        struct gen_case gc;

        gen_case_random(7, i, &gc);
        LOAD_OK(&gc, &list);
        assert_int_equal(list.count, 1);
        assert_int_equal(list.items[0].overlap, gc.overlap);
        assert_int_equal(list.items[0].repeat, gc.repeat);
        /* The restrictions of scenario_gen.h. */
        assert_false(gc.repeat > 1 && gc.fault_count > 0);
        assert_false(gc.repeat > 1 && gc.has_logoff);
        overlap += gc.overlap > 1;
        faults += gc.fault_count > 0;
        logoffs += gc.has_logoff;
        jitters += gc.jitter_ms > 0;
        assert_int_equal(list.items[0].jitter_ms, gc.jitter_ms);
        cancels += gc.answer_count[GEN_PROGRESS] > 0 && gc.answers[GEN_PROGRESS][0].hresult == 1;
        scenario_list_free(&list);
    }
    /* Every kind of key is explored. */
    assert_true(overlap > CASES / 10);
    assert_true(faults > CASES / 10);
    assert_true(logoffs > CASES / 30);
    assert_true(jitters > CASES / 30);
    assert_true(cancels > CASES / 10);
}

static void test_no_expectation(void **state)
{
    char text[4096];
    struct gen_case gc;

    (void)state;
    for (uint64_t i = 0; i < CASES; i++) {
        gen_case_random(9, i, &gc);
        assert_int_not_equal(gen_case_format(&gc, "x", NULL, text, sizeof text), -1);
        assert_null(strstr(text, "expect"));
        assert_null(strstr(text, "memory_growth_mib"));
    }
}

static void test_default_is_a_name(void **state)
{
    char text[256];
    struct gen_case gc;

    (void)state;
    gen_case_default(&gc);
    assert_int_not_equal(gen_case_format(&gc, "minimal", "found by explore", text, sizeof text),
                         -1);
    assert_string_equal(text, "# found by explore\nname: minimal\n");
    assert_int_equal(gen_case_weight(&gc), 0);
    assert_int_equal(gen_case_keys(&gc), 0);
    assert_int_equal(gen_shrink_candidates(&gc, NULL, 0), 0);
    assert_int_equal(gen_case_format(&gc, "minimal", NULL, text, 8), -1);
}

/* Every candidate weighs less and loads; always taking the first reaches
 * the default case. */
static void test_shrink_candidates(void **state)
{
    static struct gen_case cands[256];

    (void)state;
    for (uint64_t i = 0; i < 300; i++) {
        struct gen_case gc;
        unsigned steps = 0;

        gen_case_random(11, i, &gc);
        for (;;) {
            size_t n = gen_shrink_candidates(&gc, cands, 256);
            if (n == 0) {
                break;
            }
            for (size_t k = 0; k < n; k++) {
                struct scenario_list list = {0};
                assert_true(gen_case_weight(&cands[k]) < gen_case_weight(&gc));
                assert_false(cands[k].repeat > 1 && cands[k].fault_count > 0);
                LOAD_OK(&cands[k], &list);
                scenario_list_free(&list);
            }
            gc = cands[n - 1]; /* the slowest way down */
            assert_true(++steps < 10000);
        }
        assert_int_equal(gen_case_keys(&gc), 0);
    }
}

static void test_shrink_keeps_the_second_fault(void **state)
{
    static struct gen_case cands[256];
    struct gen_case gc;
    size_t n;
    int earlier = 0;

    (void)state;
    gen_case_default(&gc);
    gc.fault_count = 1;
    gc.faults[0].service = 1; /* MAPIAllocateMore */
    gc.faults[0].nth = 3;
    n = gen_shrink_candidates(&gc, cands, 256);
    for (size_t k = 0; k < n; k++) {
        earlier += cands[k].fault_count == 1 && cands[k].faults[0].nth == 2;
    }
    assert_int_equal(earlier, 1);
    assert_string_equal(gen_service_name(1), "MAPIAllocateMore");
}

#include "test_scenario_gen.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
