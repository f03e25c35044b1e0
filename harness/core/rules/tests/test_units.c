/*
 * test_units.c: the rule units (rules/unit.h). The catalogue holds every
 * unit the build found, after rules.def's rules and with ids of their own.
 */
#include "judge_fixture.h"

#include "rules/unit.h"

static void test_catalogue_holds_every_unit(void **state)
{
    size_t count;
    const struct rule_info *all = rules_catalogue(&count);

    (void)state;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_holds_every_unit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
