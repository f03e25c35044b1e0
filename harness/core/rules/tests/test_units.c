/*
 * test_units.c: the rule units (rules/unit.h). The catalogue holds every
 * unit the build found, after rules.def's rules and with ids of their own;
 * the judge applies them as it applies every rule: progress-text-not-empty
 * on an empty text, not on NULL or on a text, not when skipped, and in the
 * call of a scenario of several that broke it.
 */
#include "judge_fixture.h"

#include "rules/unit.h"

static void test_catalogue_holds_every_unit(void **state)
{
    size_t count;
    const struct rule_info *all = rules_catalogue(&count);

    (void)state;
    assert_true(rule_units_count() >= 1); /* progress_text_not_empty.c at least */
    assert_int_equal(rules_unit_count(), rule_units_count()); /* none left out */
    assert_int_equal(count, RULE_COUNT + rules_unit_count());
    for (size_t i = 0; i < rule_units_count(); i++) {
        const struct rule_unit *u = rule_units_at(i);
        const struct rule_info *info = rules_find(u->info.id);
        assert_non_null(info);
        assert_true(info->rule >= RULE_COUNT);
        assert_ptr_equal(rules_unit_at(info->rule - RULE_COUNT), u);
        assert_ptr_equal(rules_info(info->rule), &all[info->rule]);
        assert_string_equal(info->summary, u->info.summary);
        assert_true(u->on_event != NULL || u->on_finish != NULL);
        for (const char *c = u->info.id; *c != '\0'; c++) {
            assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-');
        }
    }
    assert_null(rules_unit_at(rules_unit_count()));
}

static void call_made(uint32_t call)
{
    feed_event((struct event){.kind = EVENT_CALL, .call = call});
}

static void progress_text(uint32_t call, enum text_state ts, const char *text)
{
    feed_event((struct event){.kind = EVENT_PROGRESS,
                              .call = call,
                              .index = 1,
                              .index_max = 5,
                              .text_state = ts,
                              .text = text});
}

static int flagged(const char *rule)
{
    for (size_t i = 0; i < j.violation_count; i++) {
        if (strcmp(j.violations[i].rule, rule) == 0) {
            return 1;
        }
    }
    return 0;
}

static void test_empty_text_flagged(void **state)
{
    (void)state;
    good_start();
    progress_text(0, TEXT_NULL, NULL);
    progress_text(0, TEXT_OK, "Synchronizing folder 1 of 5");
    assert_int_equal(j.violation_count, 0);
    progress_text(0, TEXT_OK, "");
    assert_violation("progress-text-not-empty", seq - 1);
    progress_text(0, TEXT_OK, "");
    assert_int_equal(j.violation_count, 1);
    assert_int_equal(j.violations[0].repeats, 1);
    assert_int_equal(j.violations[0].level, RULE_RECOMMENDED);
}

static void test_skipped_unit_not_applied(void **state)
{
    static const char *const skip[] = {"progress-text-not-empty"};

    (void)state;
    rejudge(RULE_RECOMMENDED, skip, 1);
    good_start();
    progress_text(0, TEXT_OK, "");
    assert_false(flagged("progress-text-not-empty"));
    rejudge(RULE_REQUIRED, skip, 0); /* a recommended rule is above it */
    good_start();
    progress_text(0, TEXT_OK, "");
    assert_false(flagged("progress-text-not-empty"));
}

/* Two overlapping calls: each call's judge runs the units; the violation
 * of the second reaches the scenario's. */
static void test_unit_per_call(void **state)
{
    (void)state;
    sc.overlap = 2;
    rejudge(RULE_RECOMMENDED, NULL, 0);
    call_made(1);
    call_made(2);
    progress_text(1, TEXT_OK, "first");
    progress_text(2, TEXT_OK, "");
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_true(flagged("progress-text-not-empty"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_holds_every_unit),
        cmocka_unit_test_setup_teardown(test_empty_text_flagged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_skipped_unit_not_applied, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_per_call, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
