/*
 * judge_fixture.h: the judge on hand-made event sequences, shared by the
 * rules' tests: one scenario, one judge, events fed in order (seq counts
 * them from 0), and an assertion that a rule points at an event. Included
 * once per test program; everything is static.
 */
#ifndef SYNCHOST_JUDGE_FIXTURE_H
#define SYNCHOST_JUDGE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules/judge_state.h"
#include "rules/rules.h"

static struct scenario sc;
static struct judge j;
static uint32_t seq;

static int setup(void **state)
{
    struct judge_options opts = {RULE_RECOMMENDED, NULL, 0};

    (void)state;
    memset(&sc, 0, sizeof sc);
    sc.name = "t";
    sc.flags = 0x80;
    sc.sib_size = SCENARIO_SIB_SIZE;
    judge_init(&j, &sc, &opts);
    seq = 0;
    return 0;
}

/* A new judge of sc, at level and skipping the n rule ids of skip (an
 * array that outlives the judge). */
static inline void rejudge(enum rule_level level, const char *const *skip, size_t n)
{
    struct judge_options opts = {level, skip, n};

    judge_free(&j);
    judge_init(&j, &sc, &opts);
}

static int teardown(void **state)
{
    (void)state;
    judge_free(&j);
    return 0;
}

/* The next case of a test: sc and the judge anew, as setup leaves them. */
static inline void fresh(void)
{
    judge_free(&j);
    setup(NULL);
}

/* Feeds ev as the next event (its seq set here). */
static inline int feed_event(struct event ev)
{
    ev.seq = seq++;
    return judge_event(&j, &ev);
}

static inline int feed(enum event_kind kind, uint32_t hr, uint32_t index, uint32_t max,
                       uint64_t handle, uint64_t value)
{
    return feed_event((struct event){.kind = kind,
                                     .hr = hr,
                                     .index = index,
                                     .index_max = max,
                                     .handle = handle,
                                     .value = value});
}

/* The call, and its return of hr with the done event handle and value. */
static inline void call_and_return(uint32_t hr, uint64_t handle, uint64_t value)
{
    feed(EVENT_CALL, 0, 0, 0, 0, 0);
    feed(EVENT_RETURN, hr, 0, 0, handle, value);
}

/* The provider's QueryInterface for the progress callback, as recorded. */
static inline void qi_callback(void)
{
    feed_event((struct event){
        .kind = EVENT_QI, .step = HOST_OBJECT_CALLBACK, .index = IID_KIND_SYNC_CALLBACK});
}

/* The first violation of rule, or NULL. */
static inline const struct violation *find(const char *rule)
{
    for (size_t i = 0; i < j.violation_count; i++) {
        if (strcmp(j.violations[i].rule, rule) == 0) {
            return &j.violations[i];
        }
    }
    return NULL;
}

/* The load chain's steps 0 to last, each succeeding. */
static inline void feed_load_steps(uint32_t last)
{
    for (uint32_t step = 0; step <= last; step++) {
        struct event ev;

        memset(&ev, 0, sizeof ev);
        ev.kind = EVENT_LOAD;
        ev.step = step;
        feed_event(ev);
    }
}

/* A load chain that succeeds and a call that returns S_OK with an event. */
static inline void good_start(void)
{
    feed(EVENT_HELLO, 0, 0, 0, 0, 0);
    /* The steps of every run; the identity step is probe's only. */
    feed_load_steps(LOAD_STEP_QI_IMAPISYNC);
    feed(EVENT_CALL, 0, 0, 0, 0, 0);
    qi_callback();
    feed(EVENT_RETURN, 0, 0, 0, 0x44, 1);
}

static inline void good_end(void)
{
    feed(EVENT_LOGOFF, 0, 0, 0, 0, 0);
    feed(EVENT_END, 0, 0, 0, 0, 0);
}

#define assert_good_end(status_) assert_good_end_at(status_, __FILE__, __LINE__)

/* Ends the run well (the logoff, then the end) and asserts the verdict. */
static inline void assert_good_end_at(enum scenario_status want, const char *file, int line)
{
    good_end();
    _assert_int_equal(cast_to_largest_integral_type(judge_finish(&j, WORKER_FINISHED, NULL)),
                      cast_to_largest_integral_type(want), file, line);
}

#define assert_violation(rule_, seq_) assert_violation_at(rule_, seq_, __FILE__, __LINE__)

static inline void assert_violation_at(const char *rule, int64_t at, const char *file, int line)
{
    for (size_t i = 0; i < j.violation_count; i++) {
        if (strcmp(j.violations[i].rule, rule) == 0) {
            if (j.violations[i].event != at) {
                fail_msg("%s:%d: %s points at event %lld, expected %lld", file, line, rule,
                         (long long)j.violations[i].event, (long long)at);
            }
            return;
        }
    }
    fail_msg("%s:%d: %s not flagged (%zu violations)", file, line, rule, j.violation_count);
}

/* The events are compound literals: their commas are the macro's. */
#define assert_return_late(...) assert_return_late_at(__FILE__, __LINE__, __VA_ARGS__)

/* A call at 5 ms, then its return (done event 0x44) judged twice against a
 * bound of 1000 ms: as prompt, with no violation, then as late, with
 * sib-returns-promptly at that event (2) and want and want2 (unless NULL)
 * in its message. The caller sets the fields that time the return. */
static inline void assert_return_late_at(const char *file, int line, struct event prompt,
                                         struct event late, const char *want, const char *want2)
{
    const char *wants[] = {want, want2};

    sc.return_within_ms = 1000;
    feed_event((struct event){.kind = EVENT_CALL, .t_us = 5000});
    prompt.kind = late.kind = EVENT_RETURN;
    prompt.handle = late.handle = 0x44;
    prompt.value = late.value = 1;
    feed_event(prompt);
    if (j.violation_count != 0) {
        fail_msg("%s:%d: the prompt return is flagged: %s", file, line, j.violations[0].message);
    }
    feed_event(late);
    assert_violation_at("sib-returns-promptly", 2, file, line);
    for (size_t i = 0; i < 2 && wants[i] != NULL; i++) {
        if (strstr(j.violations[0].message, wants[i]) == NULL) {
            fail_msg("%s:%d: \"%s\" not in: %s", file, line, wants[i], j.violations[0].message);
        }
    }
}

#endif /* SYNCHOST_JUDGE_FIXTURE_H */
