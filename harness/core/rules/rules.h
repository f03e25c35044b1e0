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
#include "rules/rules_host.h"
#include "rules/expect.h"
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

/* The whole catalogue, in CONTRACT.md's order (index = enum rule_id). */
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

/* Threads followed apart after a cancel (more are not judged: no verdict
 * rather than a guess). */
#define JUDGE_CANCEL_THREADS 64

struct judge {
    const struct scenario *sc;
    struct judge_options opts;
    struct violation *violations;
    size_t violation_count, violation_cap;
    /* State the rules share, filled in as events arrive. */
    uint64_t call_t_us;
    uint32_t call_thread;
    uint64_t return_handle;
    int return_closed; /* the provider closed that handle before the host looked */
    int callback_qi, callback_cast_reported;
    int64_t callback_count; /* the callback's count after its last AddRef/Release (host's: 1) */
    int callback_had_refs;
    int64_t cancel_seq; /* the first Progress the host answered with a cancel, or -1 */
    /* Per thread that was answered a cancel: its Progress calls since. */
    struct judge_cancelled {
        uint32_t thread;
        uint32_t calls_after;
    } cancelled[JUDGE_CANCEL_THREADS];
    size_t cancelled_count;
    int progress_seen;
    uint32_t last_index, last_index_max;
    int64_t call_seq, return_seq, first_done_seq, signaled_seq, crash_seq, end_seq;
    int returned, return_hr_valid;
    uint32_t return_hr, first_done_hr;
    uint64_t done_count;
    int saw_timeout;
    int64_t exit_seq; /* the supervisor's `exit` event for a worker that died, or -1 */
    char exit_detail[96]; /* that event's text: how the worker ended */
    int64_t integrity_seq; /* where the stream stopped being trustworthy, or -1 */
    int phase;             /* the host's current enum host_phase, or -1 before the first */
    int64_t last_seq; /* the newest event seen, or -1 */
    /* sib-failure-quiet: callbacks made before the call returned, the first */
    uint64_t callbacks_before_return;
    int64_t first_callback_seq;
    int return_failed;
    /* com-qi-rules: the IUnknown each provider object answered (enum
     * provider_object), once asked */
    uint64_t identity[PROVIDER_OBJECT_COUNT];
    int identity_seen[PROVIDER_OBJECT_COUNT];
    enum event_kind last_kind;
    struct judge_host host; /* leak-mapi-buffers, faults-survived (rules_host.h) */
    int64_t logoff_seq;         /* the host's logoff during the sync, or -1 */
    int fast_exit; /* the host shut the provider down fast: nothing was released (rules/fast.c) */
    struct expect_tally expect; /* what the scenario's expect: keys need (rules/expect.c) */
    /* A scenario of several calls (sync.overlap, sync.repeat) is judged by
     * one judge per call, each seeing its own call's events and the
     * scenario's (rules/calls.c); this one then holds the merged violations and
     * the first call's outcome. NULL for a scenario of one call. */
    struct judge_calls *calls;
    uint32_t call; /* the call a per-call judge judges, from 1; 0 for the scenario's */
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
