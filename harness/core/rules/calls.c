/*
 * calls.c: judging a scenario of several calls (sync.overlap, sync.repeat;
 * rules.h).
 *
 * Each call gets a judge of its own (judge_init_call): it sees the events
 * of its call (event.h's call) and the scenario's own (the load chain, the
 * phases, a logoff, a crash: call 0), so every per-call rule and every
 * expectation is applied to every call as if it were the only one. At the
 * end their violations are merged into the scenario's judge: one that
 * several judges found at the same event (a crash, a failed load) once,
 * one of a single call with "call N: " before its message; a rule broken
 * by several calls is reported at its first and counts the rest as repeats.
 *
 * Then what only the calls together show:
 *   concurrency-overlap  a call made while an earlier call of its round
 *                        still ran (it had returned S_OK and its done event
 *                        was not yet seen signaled) must return S_OK or
 *                        MAPI_E_BUSY (rather than
 *                        sib-returns-s-ok's S_OK alone), and calls that
 *                        return S_OK in one round must get done events of
 *                        their own;
 *   repeat-stable        a later round's call must return S_OK and end with
 *                        a Done of the same kind (success or failure) when
 *                        the same call of the first round did (rather than
 *                        sib-returns-s-ok).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/hresult.h"
#include "rules/internal.h"
#include "rules/rules.h"
#include "text/grow.h"

#define HR_S_OK        0x00000000u
#define HR_BUSY        0x8004010Bu /* MAPI_E_BUSY */
#define IS_FAILURE(hr) (((hr)&0x80000000u) != 0)

struct judge_calls {
    struct judge *sub; /* one per call */
    size_t n;
    size_t overlap; /* calls per round */
};

void judge_calls_init(struct judge *j)
{
    struct judge_calls *c = calloc(1, sizeof *c);
    size_t n = scenario_call_count(j->sc);

    if (c == NULL || (c->sub = calloc(n, sizeof *c->sub)) == NULL) {
        free(c);
        return; /* out of memory: judged as one call, the first */
    }
    c->n = n;
    c->overlap = j->sc->overlap > 0 ? j->sc->overlap : 1;
    for (size_t k = 0; k < n; k++) {
        judge_init_call(&c->sub[k], j->sc, &j->opts, (uint32_t)(k + 1));
    }
    j->st->calls = c;
}

void judge_calls_free(struct judge *j)
{
    if (j->st->calls == NULL) {
        return;
    }
    for (size_t k = 0; k < j->st->calls->n; k++) {
        judge_free(&j->st->calls->sub[k]);
    }
    free(j->st->calls->sub);
    free(j->st->calls);
    j->st->calls = NULL;
}

/* Call k was handed the done event of another call of its round (that is
 * concurrency-overlap's). The host closes each call's handle after its sync,
 * so its second CloseHandle of the one shared handle fails whatever the
 * provider did: that failure is no sign the provider closed it. */
static int shares_event(const struct judge_calls *c, size_t k)
{
    const struct judge *me = &c->sub[k];
    size_t first = k - k % c->overlap;

    for (size_t i = first; i < first + c->overlap && i < c->n && me->st->return_handle != 0; i++) {
        const struct judge *o = &c->sub[i];
        if (i != k && o->st->return_hr_valid && o->st->return_hr == HR_S_OK &&
            !o->st->return_closed && o->st->return_handle == me->st->return_handle) {
            return 1;
        }
    }
    return 0;
}

int judge_calls_event(struct judge *j, const struct event *ev)
{
    struct judge_calls *c = j->st->calls;
    int pin = 0;

    /* What the supervisor reads of the scenario's judge while it runs. */
    if (ev->kind != EVENT_FRAME && ev->kind != EVENT_STACKS && ev->kind != EVENT_EXIT &&
        ev->kind != EVENT_INTEGRITY) {
        j->last_seq = ev->seq;
        j->st->last_kind = ev->kind;
    }
    if (ev->kind == EVENT_PHASE) {
        j->st->phase = (int)ev->step;
    } else if (ev->kind == EVENT_INTEGRITY && j->st->integrity_seq < 0 && ev->value != 1) {
        j->st->integrity_seq = ev->seq;
    } else if (ev->kind == EVENT_CRASH) {
        j->crash_seq = ev->seq;
    }
    if (ev->call == 0) {
        for (size_t k = 0; k < c->n; k++) {
            pin |= judge_event(&c->sub[k], ev);
        }
    } else if (ev->call <= c->n) {
        struct event own = *ev;
        if (ev->kind == EVENT_SETTLED && ev->value == 0 && shares_event(c, ev->call - 1)) {
            own.value = 1; /* the host closed it already, as the other call's */
        }
        pin |= judge_event(&c->sub[ev->call - 1], &own);
    }
    return pin;
}

/* A violation's rule (or expectation) name is the rule's id. */
static int is_rule(const char *name, enum rule_id rule)
{
    return strcmp(name, rules_info(rule)->id) == 0;
}

/* Rules about the scenario as a whole rather than one call: every call's
 * judge sees the events that break them. */
static int scenario_rule(const char *rule)
{
    const struct rule_info *info = rules_find(rule);

    switch (info != NULL ? info->rule : RULE_COUNT) {
    case RULE_LOAD_DLL:
    case RULE_LOAD_ENTRY_POINT:
    case RULE_LOAD_LOGON:
    case RULE_LOAD_QI_IMAPISYNC:
    case RULE_NO_CRASH:
    case RULE_NO_EXIT:
    case RULE_NO_HANG:
    case RULE_HOST_INTEGRITY:
    case RULE_LEAK_MAPI_BUFFERS:     /* the buffers are the logon's, not a call's */
    case RULE_LEAK_HANDLES:          /* counted once for the process, after logoff */
    case RULE_FAST_SHUTDOWN_RETURNS: /* the provider object's, after every call */
    case RULE_FAST_SHUTDOWN_READY:
        return 1;
    default:
        return 0;
    }
}

/* Adds v (of call k + 1, or the scenario's) to the scenario's judge. */
static void merge(struct judge *j, const struct violation *v, size_t k, int scenario_wide)
{
    struct violation *to;

    for (size_t i = 0; i < j->violation_count; i++) {
        if (strcmp(j->violations[i].rule, v->rule) == 0) {
            j->violations[i].repeats += 1 + v->repeats;
            return;
        }
    }
    to = grow_room(j->violations, &j->violation_cap, j->violation_count, sizeof *to, 8);
    if (to == NULL) {
        return;
    }
    j->violations = to;
    to = &j->violations[j->violation_count++];
    *to = *v;
    if (!scenario_wide) {
        char head[48];
        size_t hlen, room = sizeof to->message - 1;
        snprintf(head, sizeof head, "call %lu of %lu: ", (unsigned long)(k + 1),
                 (unsigned long)j->st->calls->n);
        hlen = strlen(head);
        memmove(to->message + hlen, v->message, room - hlen);
        memcpy(to->message, head, hlen);
        to->message[room] = '\0';
    }
}

/* Did call o still run when call me was made? It returned S_OK and the
 * host had not yet seen its done event signaled: a sync ends when its
 * thread does, after Done (a provider may answer MAPI_E_BUSY until then).
 * The host sees the events of a round only once every call of it is made. */
static int still_ran(const struct judge *o, const struct judge *me)
{
    return o->st->return_hr_valid && o->st->return_hr == HR_S_OK && me->st->call_seq >= 0 &&
           (o->st->signaled_seq < 0 || o->st->signaled_seq > me->st->call_seq);
}

/* The first call of call k + 1's round that still ran when it was made (any
 * earlier one, not only the round's first: that one may have been
 * cancelled while the second runs), as an index, or -1. */
static long running_before(const struct judge_calls *c, size_t k)
{
    for (size_t i = k - k % c->overlap; i < k; i++) {
        if (still_ran(&c->sub[i], &c->sub[k])) {
            return (long)i;
        }
    }
    return -1;
}

/* Call k + 1 was made while an earlier call of its round still ran. */
static int overlapping(const struct judge_calls *c, size_t k)
{
    return k % c->overlap != 0 && running_before(c, k) >= 0;
}

/* The first round's call in the same place as call k + 1, when k is in a
 * later round and not overlapping (that is concurrency-overlap's). */
static const struct judge *repeat_base(const struct judge_calls *c, size_t k)
{
    if (k < c->overlap || overlapping(c, k)) {
        return NULL;
    }
    return &c->sub[k % c->overlap];
}

/* The answer the call's own rules would judge otherwise. */
static int answer_judged_here(const struct judge *j, const struct judge_calls *c, size_t k)
{
    const struct judge *base = repeat_base(c, k);

    if (j->sc->has_expect_returns) {
        return 0;
    }
    return overlapping(c, k) ||
           (base != NULL && base->st->return_hr_valid && base->st->return_hr == HR_S_OK);
}

static void check_overlap(struct judge *j, const struct judge_calls *c, size_t k)
{
    const struct judge *me = &c->sub[k];
    size_t first = k - k % c->overlap;
    char got[80];
    long running;

    if (!overlapping(c, k) || !me->st->return_hr_valid) {
        return;
    }
    running = running_before(c, k);
    if (!j->sc->has_expect_returns && me->st->return_hr != HR_S_OK &&
        me->st->return_hr != HR_BUSY) {
        violate(j, RULE_CONCURRENCY_OVERLAP, me->st->return_seq,
                "call %lu, made while call %lu still ran, returned %s: a call made during "
                "a sync gets S_OK (with its own Done and event) or MAPI_E_BUSY",
                (unsigned long)(k + 1), (unsigned long)(running + 1),
                hresult_describe(me->st->return_hr, got, sizeof got));
    }
    for (size_t i = first; i < k && me->st->return_hr == HR_S_OK && me->st->return_handle != 0;
         i++) {
        const struct judge *o = &c->sub[i];
        /* A value the provider closed already may come back for the next
         * handle (Wine reuses it at once): no sharing. */
        if (o->st->return_hr_valid && o->st->return_hr == HR_S_OK && !o->st->return_closed &&
            o->st->return_handle == me->st->return_handle) {
            violate(j, RULE_CONCURRENCY_OVERLAP, me->st->return_seq,
                    "call %lu was handed the done event 0x%llx of call %lu, which still "
                    "ran: each call gets an event of its own",
                    (unsigned long)(k + 1), (unsigned long long)me->st->return_handle,
                    (unsigned long)(i + 1));
            return;
        }
    }
}

static void check_repeat(struct judge *j, const struct judge_calls *c, size_t k)
{
    const struct judge *me = &c->sub[k], *base = repeat_base(c, k);
    char got[80], want[80];

    if (base == NULL || !base->st->return_hr_valid || base->st->return_hr != HR_S_OK ||
        !me->st->return_hr_valid) {
        return;
    }
    if (me->st->return_hr != HR_S_OK && !j->sc->has_expect_returns) {
        violate(j, RULE_REPEAT_STABLE, me->st->return_seq,
                "sync %lu returned %s where sync %lu, the first of its kind, returned S_OK: "
                "consecutive syncs in one logon must behave alike",
                (unsigned long)(k + 1), hresult_describe(me->st->return_hr, got, sizeof got),
                (unsigned long)(base->st->call));
        return;
    }
    if (me->st->done_count > 0 && base->st->done_count > 0 &&
        IS_FAILURE(me->st->first_done_hr) != IS_FAILURE(base->st->first_done_hr)) {
        violate(j, RULE_REPEAT_STABLE, me->st->first_done_seq,
                "sync %lu ended with Done(%s) where sync %lu ended with Done(%s): "
                "consecutive syncs in one logon must behave alike",
                (unsigned long)(k + 1), hresult_describe(me->st->first_done_hr, got, sizeof got),
                (unsigned long)base->st->call,
                hresult_describe(base->st->first_done_hr, want, sizeof want));
    }
}

/* The deadline passed during the sync and some call's own judge says what
 * it was waiting for: the others' "no-hang" says nothing more. */
static int hang_explained(const struct judge_calls *c)
{
    for (size_t k = 0; k < c->n; k++) {
        for (size_t m = 0; m < c->sub[k].violation_count; m++) {
            const char *rule = c->sub[k].violations[m].rule;
            if (is_rule(rule, RULE_SIB_RETURNS_PROMPTLY) || is_rule(rule, RULE_EVENT_SIGNALED) ||
                is_rule(rule, RULE_SHUTDOWN_DURING_SYNC)) {
                return 1;
            }
        }
    }
    return 0;
}

/* The judge that saw the scenario's last event: every judge sees the
 * scenario's own events, so its view of those is the most recent one. */
static size_t latest(const struct judge_calls *c)
{
    size_t best = 0;

    for (size_t k = 1; k < c->n; k++) {
        if (c->sub[k].st->call_seq >= 0 && c->sub[k].last_seq > c->sub[best].last_seq) {
            best = k;
        }
    }
    return best;
}

static void merge_all(struct judge *j, struct judge_calls *c, enum worker_ending ending)
{
    int drop_hang = ending == WORKER_KILLED && j->st->phase == PHASE_SYNC && hang_explained(c);
    size_t wide = latest(c);

    for (size_t k = 0; k < c->n; k++) {
        struct judge *s = &c->sub[k];
        if (s->st->call_seq < 0 && k > 0) {
            continue; /* never made: its judge saw only the scenario's events */
        }
        for (size_t m = 0; m < s->violation_count; m++) {
            const struct violation *v = &s->violations[m];
            int whole = scenario_rule(v->rule);
            if ((is_rule(v->rule, RULE_SIB_RETURNS_S_OK) && answer_judged_here(j, c, k)) ||
                (drop_hang && is_rule(v->rule, RULE_NO_HANG)) || (whole && k != wide)) {
                continue;
            }
            merge(j, v, k, whole);
        }
        check_overlap(j, c, k);
        check_repeat(j, c, k);
    }
}

enum scenario_status judge_calls_finish(struct judge *j, enum worker_ending ending,
                                        const char *exit_detail)
{
    struct judge_calls *c = j->st->calls;
    const struct judge *first = &c->sub[0];
    int timed_out = 0;

    for (size_t k = 0; k < c->n; k++) {
        if (c->sub[k].st->call_seq >= 0 || k == 0) {
            judge_finish(&c->sub[k], ending, exit_detail);
            timed_out |= c->sub[k].st->saw_timeout;
        }
    }
    merge_all(j, c, ending);
    /* The scenario's outcome, as reports show it, is its first call's. */
    j->st->call_seq = first->st->call_seq;
    j->st->return_seq = first->st->return_seq;
    j->st->returned = first->st->returned;
    j->st->return_hr_valid = first->st->return_hr_valid;
    j->st->return_hr = first->st->return_hr;
    j->st->return_handle = first->st->return_handle;
    j->st->done_count = first->st->done_count;
    j->st->first_done_seq = first->st->first_done_seq;
    j->st->first_done_hr = first->st->first_done_hr;
    j->st->signaled_seq = first->st->signaled_seq;
    j->st->saw_timeout = timed_out;
    if (j->st->integrity_seq >= 0) {
        return j->crash_seq >= 0 && j->crash_seq < j->st->integrity_seq ? STATUS_CRASHED
                                                                        : STATUS_FAILED;
    }
    if (j->crash_seq >= 0 || ending == WORKER_DIED) {
        return STATUS_CRASHED;
    }
    if (ending == WORKER_KILLED || timed_out) {
        return STATUS_TIMED_OUT;
    }
    return j->violation_count > 0 ? STATUS_FAILED : STATUS_PASSED;
}

size_t judge_call_count(const struct judge *j)
{
    return j->st != NULL && j->st->calls != NULL ? j->st->calls->n : 1;
}

int judge_call_outcome(const struct judge *j, size_t i, struct judge_call_outcome *out)
{
    const struct judge *c;

    if (j->st == NULL || i >= judge_call_count(j)) {
        return 0;
    }
    c = j->st->calls != NULL ? &j->st->calls->sub[i] : j;
    if (c->st->call_seq < 0) {
        return 0;
    }
    out->call = (uint32_t)(i + 1);
    out->returned = c->st->return_hr_valid;
    out->return_hr = c->st->return_hr;
    out->done_count = c->st->done_count;
    out->done_hr = c->st->first_done_hr;
    out->signaled = c->st->signaled_seq >= 0;
    out->timed_out = c->st->saw_timeout;
    return 1;
}
