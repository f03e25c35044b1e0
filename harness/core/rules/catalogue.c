/* catalogue.c: the rule catalogue, built from rules.def and the rule units
 * (see rules.h, unit.h). */
#include "rules/rules.h"
#include "rules/unit.h"

#include <string.h>

#define RULE_STATUS_ENFORCED 1
#define RULE_STATUS_PLANNED  0

/* The rules of rules.def, then the units' (unit.h), filled in on first use. */
static struct rule_info catalogue[RULE_COUNT + RULE_UNITS_MAX] = {
#define RULE(sym, id, level, status, summary) \
    [RULE_##sym] = {RULE_##sym, id, RULE_##level, RULE_STATUS_##status, summary},
#include "rules/rules.def"
#undef RULE
};
static size_t catalogue_count;
static const struct rule_unit *catalogue_units[RULE_UNITS_MAX]; /* of catalogue[RULE_COUNT...] */

/* Single-threaded, as the judge is (rules.h). A unit past the limit, or one
 * whose id rules.def or an earlier unit holds, is left out: the unit test of
 * the catalogue (tests/test_units.c) fails on either. */
static size_t filled(void)
{
    if (catalogue_count == 0) {
        size_t n = RULE_COUNT;
        for (size_t i = 0; i < rule_units_count() && n < RULE_COUNT + RULE_UNITS_MAX; i++) {
            const struct rule_unit *u = rule_units_at(i);
            int taken = 0;
            for (size_t k = 0; k < n && !taken; k++) {
                taken = strcmp(catalogue[k].id, u->info.id) == 0;
            }
            if (!taken) {
                catalogue_units[n - RULE_COUNT] = u;
                catalogue[n] = u->info;
                catalogue[n].rule = (enum rule_id)n;
                n++;
            }
        }
        catalogue_count = n;
    }
    return catalogue_count;
}

const struct rule_info *rules_catalogue(size_t *count)
{
    *count = filled();
    return catalogue;
}

const struct rule_info *rules_info(enum rule_id rule)
{
    return (unsigned)rule < filled() ? &catalogue[rule] : NULL;
}

const struct rule_info *rules_find(const char *id)
{
    for (size_t i = 0; i < filled(); i++) {
        if (strcmp(catalogue[i].id, id) == 0) {
            return &catalogue[i];
        }
    }
    return NULL;
}

size_t rules_unit_count(void)
{
    return filled() - RULE_COUNT;
}

const struct rule_unit *rules_unit_at(size_t i)
{
    return i < rules_unit_count() ? catalogue_units[i] : NULL;
}

static const char *const level_names[] = {"required", "recommended", "pedantic"};

const char *rule_level_name(enum rule_level level)
{
    return (unsigned)level <= RULE_PEDANTIC ? level_names[level] : "unknown";
}

int rule_level_parse(const char *name, enum rule_level *out)
{
    for (int i = 0; i <= RULE_PEDANTIC; i++) {
        if (strcmp(level_names[i], name) == 0) {
            *out = (enum rule_level)i;
            return 0;
        }
    }
    return -1;
}
