/* test_callwait.c: a call's credit from its calling thread's own wait: the
 * schedstat line, and the credit bounded by the call and the supervisor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/callwait.h"

static int parse(const char *text, uint64_t *ns)
{
    return callwait_parse(text, strlen(text), ns);
}

static void test_parse_schedstat_line(void **state)
{
    uint64_t ns = 7;

    (void)state;
    assert_int_equal(parse("15668800 97429571 842\n", &ns), 0);
    assert_int_equal(ns, 97429571u);
    assert_int_equal(parse("1 2 3", &ns), 0);
    assert_int_equal(ns, 2u);
    /* The length bounds the read: the text need not end with a NUL. */
    assert_int_equal(callwait_parse("1 44 3\nXX", 7, &ns), 0);
    assert_int_equal(ns, 44u);
}

static void test_parse_rejects_other_text(void **state)
{
    uint64_t ns = 7;

    (void)state;
    assert_int_equal(parse("", &ns), -1);
    assert_int_equal(parse("1 2\n", &ns), -1);
    assert_int_equal(parse("1 x 3\n", &ns), -1);
    assert_int_equal(parse("1 2 3 4\n", &ns), -1);
    assert_int_equal(parse("-1 2 3\n", &ns), -1);
    assert_int_equal(parse("1 99999999999999999999 3\n", &ns), -1);
    assert_int_equal(ns, 7u);
}

/* The call is credited with its calling thread's wait during the call
 * alone: the supervisor's figure, which counts waits before and after the
 * call too, is only a bound. */
static void test_credit_is_the_calls_own_wait(void **state)
{
    (void)state;
    /* 12 ms waited during a 1,050 ms call; the supervisor's look saw 88. */
    assert_int_equal(callwait_credit_ms(5000000u, 17000000u, 1050000u, 88), 12);
    assert_int_equal(callwait_credit_ms(5000000u, 5000000u, 1050000u, 88), 0);
}

/* A wait behind the provider's own threads: the supervisor's scaled figure
 * is smaller than the raw wait, and bounds it. */
static void test_credit_bounded_by_supervisor_and_call(void **state)
{
    (void)state;
    assert_int_equal(callwait_credit_ms(0, 800000000u, 1050000u, 30), 30);
    assert_int_equal(callwait_credit_ms(0, 800000000u, 1050000u, 0), 0);
    /* Never more than the call took. */
    assert_int_equal(callwait_credit_ms(0, 800000000u, 300000u, 5000), 300);
    /* A figure that went backwards is not a thread's run_delay. */
    assert_int_equal(callwait_credit_ms(900000000u, 100u, 1050000u, 500), 0);
}

#include "test_callwait.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
