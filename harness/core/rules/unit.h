/*
 * unit.h: a rule unit, a rule that lives in one file. Its catalogue entry,
 * its state and its judging code sit together in
 * harness/core/rules/units/NAME.c, private to that file; nothing else names
 * it. The build finds every file there (scripts/rule-units.py writes the
 * registry the catalogue reads), so adding a rule is adding the file
 * (docs/hacking.md, "Checklist: adding a rule").
 *
 *   struct state { ... };                  (what it keeps between events)
 *
 *   static int on_event(struct judge *j, void *state, const struct event *ev)
 *   {
 *       if (ev->kind == EVENT_PROGRESS && ...) {
 *           return rule_unit_violate(j, ev->seq, "...observed...");
 *       }
 *       return 0;
 *   }
 *
 *   RULE_UNIT(NAME) = {
 *       .info = {.id = "rule-id", .level = RULE_RECOMMENDED, .enforced = 1,
 *                .summary = "what the provider must do"},
 *       .state_size = sizeof(struct state),
 *       .on_event = on_event,
 *   };
 *
 * NAME is the file's name without ".c". The units' rules come after
 * rules.def's in the catalogue (`synchost list rules`), in the order of
 * their file names; they are judged, reported, skipped and baselined like
 * every other rule. A unit sees each event its judge sees (one judge per
 * sync call: calls.c), after the rules of rules.def, but the host's stack
 * dumps; a violation after an injected fault is judged as any rule's is
 * (rules_host.h).
 */
#ifndef SYNCHOST_RULES_UNIT_H
#define SYNCHOST_RULES_UNIT_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/event.h"
#include "rules/rules.h"

#if defined(__GNUC__)
#define RULE_UNIT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define RULE_UNIT_PRINTF(f, a)
#endif

/* The most units the catalogue holds. */
#define RULE_UNITS_MAX 64

struct rule_unit {
    /* id, level, enforced, summary as in rules.def (info.rule is the
     * catalogue's to set). */
    struct rule_info info;
    /* Bytes of state each judge keeps for the unit, zeroed at its start
     * (0: none, and state is NULL). */
    size_t state_size;
    /* Optional: sets the state up after it was zeroed. */
    void (*init)(void *state);
    /* Each event; returns 1 when a violation points at it. */
    int (*on_event)(struct judge *j, void *state, const struct event *ev);
    /* Optional: what is judged once the worker ended (judge_finish). */
    void (*on_finish)(struct judge *j, void *state, enum worker_ending ending);
};

/* Defines the unit of file NAME.c. */
#define RULE_UNIT(name)                                               \
    static const struct rule_unit rule_unit_self;                     \
    const struct rule_unit *const rule_unit_##name = &rule_unit_self; \
    static const struct rule_unit rule_unit_self

/* From a unit's on_event or on_finish: records a violation of that unit's
 * rule at event seq (or -1), as every rule's is recorded (internal.h,
 * violate). Returns 1 when a new violation points at an event. */
int rule_unit_violate(struct judge *j, int64_t seq, const char *fmt, ...) RULE_UNIT_PRINTF(3, 4);

/* The registry scripts/rule-units.py writes: how many units there are, and
 * each (i from 0), in the order of their file names. */
size_t rule_units_count(void);
const struct rule_unit *rule_units_at(size_t i);

/* The units the catalogue holds (catalogue.c), the ones the judge applies:
 * the registry's, less any past RULE_UNITS_MAX or with an id already taken.
 * Unit i's rule is RULE_COUNT + i. */
size_t rules_unit_count(void);
const struct rule_unit *rules_unit_at(size_t i);

#endif /* SYNCHOST_RULES_UNIT_H */
