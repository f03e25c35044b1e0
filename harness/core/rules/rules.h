/*
 * rules.h: the contract rules (CONTRACT.md) and the judge that applies them.
 *
 * The judge is a streaming state machine: judge_event() sees each event as
 * it arrives from the worker, judge_finish() sees how the worker ended. A
 * violation names the rule, carries a one-line message with the observed
 * values, and the sequence number of the event that shows it. Each rule is
 * reported once per scenario (its first occurrence), with a count of the
 * further occurrences, so a flood of bad calls gives one line, not millions.
 *
 * Single-threaded; knows nothing of processes or files.
 */
#ifndef SYNCHOST_RULES_H
#define SYNCHOST_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/event.h"
#include "scenario/scenario.h"

enum rule_level {
    RULE_REQUIRED,
    RULE_RECOMMENDED,
    RULE_PEDANTIC,
};

/* Every rule of the catalogue (rules.def), as RULE_<SYMBOL>: RULE_NO_CRASH
 * is "no-crash". */
enum rule_id {
#define RULE(sym, id, level, status, summary) RULE_##sym,
#include "rules/rules.def"
#undef RULE
    RULE_COUNT
};

struct rule_info {
    enum rule_id rule;
    const char *id; /* stable, kebab-case: reports and filters key on it */
    enum rule_level level;
    int enforced;        /* 0: catalogued, not yet checked by this version */
    const char *summary; /* what the provider must do, completing "the provider must ..." */
};

/* The whole catalogue (index = enum rule_id): rules.def's rules in
 * CONTRACT.md's order, then the rule units' (unit.h). */
const struct rule_info *rules_catalogue(size_t *count);
/* A rule by its constant (NULL for a value out of range), or by its id
 * (NULL for an id the catalogue does not hold). */
const struct rule_info *rules_info(enum rule_id rule);
const struct rule_info *rules_find(const char *id);
const char *rule_level_name(enum rule_level level);
int rule_level_parse(const char *name, enum rule_level *out);

/* How the worker process ended, as the supervisor saw it. */
enum worker_ending {
    WORKER_FINISHED, /* it sent `end` */
    WORKER_DIED,     /* it exited or was killed without `end` */
    WORKER_KILLED,   /* the supervisor killed it at the deadline */
};

enum scenario_status {
    STATUS_PASSED,
    STATUS_FAILED,
    STATUS_CRASHED,
    STATUS_TIMED_OUT,
    STATUS_ERRORED,
    STATUS_SKIPPED,
    STATUS_INTERRUPTED,
    STATUS_COUNT
};
const char *scenario_status_name(enum scenario_status status);

struct violation {
    char rule[64]; /* a rule id, or "expect.<key path>" */
    enum rule_level level;
    char message[512];
    int64_t event;    /* the seq of the event that shows it, or -1 */
    uint64_t repeats; /* further occurrences after the first */
};

struct judge_options {
    enum rule_level level;   /* rules above this level are not applied */
    const char *const *skip; /* rule ids not applied (--skip-rule) */
    size_t skip_count;
};

/* The judge of one scenario, as reports read it: its violations, the
 * options it applied, the newest event it saw and the crash it was told of.
 * What the rules keep between events is theirs (struct judge_state,
 * rules/judge_state.h), reached through st. */
struct judge_state;

struct judge {
    const struct scenario *sc;
    struct judge_options opts;
    struct violation *violations;
    size_t violation_count, violation_cap;
    int64_t last_seq;  /* the newest event seen, or -1 */
    int64_t crash_seq; /* the crash the worker reported, or -1 */
    struct judge_state *st; /* the rules' own state (NULL: out of memory) */
};

void judge_init(struct judge *j, const struct scenario *sc, const struct judge_options *opts);
/* A judge of one call only (rules/calls.c uses it for each call of the scenario). */
void judge_init_call(struct judge *j, const struct scenario *sc, const struct judge_options *opts,
                     uint32_t call);
void judge_free(struct judge *j);

/* Drops every violation but those of rule: for a stream that something
 * other than the host overwrote, where nothing else can be judged. Call
 * after judge_finish. */
void judge_keep_only(struct judge *j, enum rule_id rule);

/* Feeds one event. Returns 1 when a violation points at this event (the
 * caller should keep it in the trace: trace_pin_last), else 0. */
int judge_event(struct judge *j, const struct event *ev);

/* Judges what can only be judged at the end, and gives the status.
 * exit_detail describes how the process ended ("exit status 3", "signal 9");
 * NULL: as the `exit` event judged before said, if there was one. */
enum scenario_status judge_finish(struct judge *j, enum worker_ending ending,
                                  const char *exit_detail);

/* What the judge saw of the call and of Done, for the reports: 1 with the
 * HRESULT SynchronizeInBackground returned (or the first Done's) in *hr, 0
 * when it did not return (Done was never called). */
int judge_returned(const struct judge *j, uint32_t *hr);
int judge_done(const struct judge *j, uint32_t *hr);

/* What one SynchronizeInBackground call of the scenario came to, for the
 * reports (a scenario makes several with sync.overlap and sync.repeat). */
struct judge_call_outcome {
    uint32_t call;       /* from 1 */
    int returned;        /* it returned, with return_hr */
    uint32_t return_hr;
    uint64_t done_count; /* Done calls; the first one's HRESULT in done_hr */
    uint32_t done_hr;
    int signaled;        /* the host saw its done event signaled */
    int timed_out;       /* the host's wait for it passed its deadline */
};

/* How many calls the scenario makes (1 unless sync.overlap or sync.repeat
 * say more), and what call i (from 0) came to: 1 with *out filled, 0 when it
 * was not made. */
size_t judge_call_count(const struct judge *j);
int judge_call_outcome(const struct judge *j, size_t i, struct judge_call_outcome *out);

/* Is the rule applied under these options (level and skips, including the
 * scenario's own rules.skip)? */
int judge_applies(const struct judge *j, const char *rule_id);

/* rules/calls.c: the judge of a scenario of several calls. */
struct judge_calls;
void judge_calls_init(struct judge *j);
void judge_calls_free(struct judge *j);
int judge_calls_event(struct judge *j, const struct event *ev);
enum scenario_status judge_calls_finish(struct judge *j, enum worker_ending ending,
                                        const char *exit_detail);

#endif /* SYNCHOST_RULES_H */
