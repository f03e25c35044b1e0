/* catalogue.c: the rule catalogue, built from rules.def (see rules.h). */
#include "rules/rules.h"

#include <string.h>

#define RULE_STATUS_ENFORCED 1
#define RULE_STATUS_PLANNED  0

static const struct rule_info catalogue[RULE_COUNT] = {
#define RULE(sym, id, level, status, summary) \
    [RULE_##sym] = {RULE_##sym, id, RULE_##level, RULE_STATUS_##status, summary},
#include "rules/rules.def"
#undef RULE
};

const struct rule_info *rules_catalogue(size_t *count)
{
    *count = RULE_COUNT;
    return catalogue;
}

const struct rule_info *rules_info(enum rule_id rule)
{
    return (unsigned)rule < RULE_COUNT ? &catalogue[rule] : NULL;
}

const struct rule_info *rules_find(const char *id)
{
    for (size_t i = 0; i < RULE_COUNT; i++) {
        if (strcmp(catalogue[i].id, id) == 0) {
            return &catalogue[i];
        }
    }
    return NULL;
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
