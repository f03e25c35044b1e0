/*
 * judge.c: the streaming judge (see rules.h): its state, how a violation is
 * recorded, the dispatch of each event to the rules that look at it, and
 * what is judged at the end. The rules themselves live beside it, by
 * concern (internal.h); which are documented and which inferred is said per
 * rule in CONTRACT.md; the messages say what was observed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/hresult.h"
#include "rules/internal.h"
#include "rules/unit.h"
#include "text/grow.h"

const char *scenario_status_name(enum scenario_status status)
{
    static const char *const names[STATUS_COUNT] = {
        "passed", "failed", "crashed", "timed_out", "errored", "skipped", "interrupted",
    };
    return (unsigned)status < STATUS_COUNT ? names[status] : "unknown";
}

void judge_init(struct judge *j, const struct scenario *sc, const struct judge_options *opts)
{
    judge_init_call(j, sc, opts, 0);
    if (sc != NULL && scenario_call_count(sc) > 1) {
        judge_calls_init(j);
    }
}

void judge_init_call(struct judge *j, const struct scenario *sc, const struct judge_options *opts,
                     uint32_t call)
{
    memset(j, 0, sizeof *j);
    j->sc = sc;
    j->opts = *opts;
    j->crash_seq = j->last_seq = -1;
    /* Out of memory, the judge judges nothing (judge_event), and its
     * finish says the harness failed (judge_finish). */
    if ((j->st = calloc(1, sizeof *j->st)) == NULL) {
        return;
    }
    j->st->call = call;
    j->st->logoff_seq = -1;
    expect_init(&j->st->expect);
    j->st->call_seq = j->st->return_seq = j->st->first_done_seq = j->st->signaled_seq = -1;
    j->st->end_seq = j->st->exit_seq = -1;
    j->st->callback_count = 1; /* the host's own reference */
    j->st->cancel_seq = -1;
    j->st->integrity_seq = -1;
    j->st->first_callback_seq = -1;
    j->st->phase = -1;
    judge_host_init(&j->st->host);
    /* A unit whose state cannot be had is not applied (its state stays NULL). */
    for (size_t i = 0; i < rules_unit_count(); i++) {
        const struct rule_unit *u = rules_unit_at(i);
        if (u->state_size > 0 && (j->st->unit_state[i] = calloc(1, u->state_size)) != NULL &&
            u->init != NULL) {
            u->init(j->st->unit_state[i]);
        }
    }
}

/* Each unit the judge applies, with its state: the units' side of
 * judge_event (ev) and of judge_finish (ev NULL, ending) (unit.h). */
static int units_call(struct judge *j, const struct event *ev, enum worker_ending ending)
{
    size_t n = rules_unit_count();
    int pin = 0;

    for (size_t i = 0; i < n; i++) {
        const struct rule_unit *u = rules_unit_at(i);
        if (u->state_size > 0 && j->st->unit_state[i] == NULL) {
            continue; /* no memory for its state: not applied */
        }
        j->st->unit_now = u;
        if (ev != NULL && u->on_event != NULL) {
            pin |= u->on_event(j, j->st->unit_state[i], ev);
        } else if (ev == NULL && u->on_finish != NULL) {
            u->on_finish(j, j->st->unit_state[i], ending);
        }
    }
    j->st->unit_now = NULL;
    return pin;
}

void judge_free(struct judge *j)
{
    if (j->st != NULL) {
        judge_calls_free(j);
        judge_host_free(&j->st->host);
        for (size_t i = 0; i < RULE_UNITS_MAX; i++) {
            free(j->st->unit_state[i]);
        }
        free(j->st);
        j->st = NULL;
    }
    free(j->violations);
    j->violations = NULL;
    j->violation_count = j->violation_cap = 0;
}

void judge_keep_only(struct judge *j, enum rule_id rule)
{
    const char *id = rules_info(rule)->id;
    size_t kept = 0;

    for (size_t i = 0; i < j->violation_count; i++) {
        if (strcmp(j->violations[i].rule, id) == 0) {
            j->violations[kept++] = j->violations[i];
        }
    }
    j->violation_count = kept;
}

static int in_list(const char *id, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], id) == 0) {
            return 1;
        }
    }
    return 0;
}

int judge_applies(const struct judge *j, const char *rule_id)
{
    const struct rule_info *info;

    if (strncmp(rule_id, "expect.", 7) == 0) {
        return 1; /* a scenario's own expectations always apply */
    }
    info = rules_find(rule_id);
    /* A planned rule is catalogued only: this version reports nothing of it. */
    if (info == NULL || !info->enforced || info->level > j->opts.level) {
        return 0;
    }
    if (in_list(rule_id, j->opts.skip, j->opts.skip_count)) {
        return 0;
    }
    return j->sc == NULL ||
           !in_list(rule_id, (const char *const *)j->sc->skip_rules, j->sc->skip_rule_count);
}

/* Records a violation of the rule or expectation named at event seq (or
 * -1). A name already violated in this scenario only counts the repeat.
 * Returns 1 when a new violation points at an event. */
static int record(struct judge *j, const char *name, int64_t seq, const char *fmt, va_list ap)
{
    const struct rule_info *info;
    struct violation *v;
    /* After a fault host.faults injected: faults-survived, or no violation. */
    int after_fault = judge_host_after_fault(&j->st->host, name);
    size_t off = 0;

    if (after_fault < 0) {
        return 0;
    }
    if (after_fault > 0) {
        name = rules_info(RULE_FAULTS_SURVIVED)->id;
    }
    /* A repeat is the common case in a flood: count it before anything else. */
    for (size_t i = 0; i < j->violation_count; i++) {
        if (strcmp(j->violations[i].rule, name) == 0) {
            j->violations[i].repeats++;
            return 0;
        }
    }
    if (!judge_applies(j, name)) {
        return 0;
    }
    info = rules_find(name);
    v = grow_room(j->violations, &j->violation_cap, j->violation_count, sizeof *v, 8);
    if (v == NULL) {
        return 0;
    }
    j->violations = v;
    v = &j->violations[j->violation_count++];
    memset(v, 0, sizeof *v);
    snprintf(v->rule, sizeof v->rule, "%s", name);
    v->level = info != NULL ? info->level : RULE_REQUIRED;
    v->event = seq;
    if (after_fault > 0) {
        int n =
            snprintf(v->message, sizeof v->message, "after the injected fault at event %lld (%s): ",
                     (long long)j->st->host.fault_seq, j->st->host.fault_what);
        off = n > 0 && (size_t)n < sizeof v->message ? (size_t)n : 0;
    }
    vsnprintf(v->message + off, sizeof v->message - off, fmt, ap);
    return seq >= 0;
}

int violate_rule(struct judge *j, enum rule_id rule, int64_t seq, const char *fmt, ...)
{
    const struct rule_info *info = rules_info(rule);
    va_list ap;
    int pin;

    if (info == NULL) {
        return 0;
    }
    va_start(ap, fmt);
    pin = record(j, info->id, seq, fmt, ap);
    va_end(ap);
    return pin;
}

int rule_unit_violate(struct judge *j, int64_t seq, const char *fmt, ...)
{
    va_list ap;
    int pin;

    if (j->st->unit_now == NULL) {
        return 0; /* not called from a unit */
    }
    va_start(ap, fmt);
    pin = record(j, j->st->unit_now->info.id, seq, fmt, ap);
    va_end(ap);
    return pin;
}

int violate_named(struct judge *j, const char *name, int64_t seq, const char *fmt, ...)
{
    va_list ap;
    int pin;

    va_start(ap, fmt);
    pin = record(j, name, seq, fmt, ap);
    va_end(ap);
    return pin;
}

/* The done event was not signaled by the deadline: after a logoff during
 * the sync, a failure of the shutdown, else of the event itself. */
static int on_event_timeout(struct judge *j, const struct event *ev)
{
    j->st->saw_timeout = 1;
    if (ev->step != 0) {
        /* The host had less than the deadline of time it could run: the
         * machine was overloaded, or the host's own delays took all the
         * time a deadline leaves them, which the run reports (exit 3), not
         * the provider (harness/worker/starve.h). */
        return 0;
    }
    if (j->st->logoff_seq >= 0) {
        return violate(j, RULE_SHUTDOWN_DURING_SYNC, ev->seq,
                       "the done event 0x%llx was not signaled within %llu ms of the call after "
                       "the host logged off during the sync (event %lld)",
                       (unsigned long long)ev->handle, (unsigned long long)ev->value,
                       (long long)j->st->logoff_seq);
    }
    return violate(j, RULE_EVENT_SIGNALED, ev->seq,
                   "the done event 0x%llx was not signaled within %llu ms of the call",
                   (unsigned long long)ev->handle, (unsigned long long)ev->value);
}

static int judge_event_rules(struct judge *j, const struct event *ev);
static int judge_event_kind(struct judge *j, const struct event *ev);
static void note_event(struct judge *j, const struct event *ev);

int judge_event(struct judge *j, const struct event *ev)
{
    if (j->st == NULL) {
        return 0; /* out of memory: judge_finish says so */
    }
    if (j->st->calls != NULL) {
        return judge_calls_event(j, ev);
    }
    return judge_event_rules(j, ev) | expect_observe(j, ev);
}

static int judge_event_rules(struct judge *j, const struct event *ev)
{
    /* Stack frames and dumps describe the host's threads for a person; they
     * are not something the provider did (and must not become "the last
     * event" a hang is reported after). */
    if (ev->kind == EVENT_FRAME || ev->kind == EVENT_STACKS) {
        return 0;
    }
    /* What the supervisor adds (how the worker ended, where the stream
     * broke) is not the provider's last call either. */
    if (ev->kind != EVENT_EXIT && ev->kind != EVENT_INTEGRITY) {
        j->last_seq = ev->seq;
        j->st->last_kind = ev->kind;
    }
    judge_host_event(&j->st->host, ev);
    return judge_event_kind(j, ev) | units_call(j, ev, WORKER_FINISHED);
}

/* The rules of rules.def, by the kind of event they look at. */
static int judge_event_kind(struct judge *j, const struct event *ev)
{
    switch (ev->kind) {
    case EVENT_LOAD:
        return on_load(j, ev);
    case EVENT_RETURN:
        return on_return(j, ev);
    case EVENT_PROGRESS:
        return on_progress(j, ev);
    case EVENT_ERROR:
        return on_error(j, ev);
    case EVENT_DONE:
        return on_done(j, ev);
    case EVENT_ADDREF:
    case EVENT_RELEASE:
        return on_callback_ref(j, ev);
    case EVENT_SETTLED:
        return on_settled(j, ev);
    case EVENT_EVENT_TIMEOUT:
        return on_event_timeout(j, ev);
    case EVENT_CRASH:
        return on_crash(j, ev);
    case EVENT_PROVIDER_QI:
        return on_provider_qi(j, ev);
    case EVENT_HANDLES:
        return on_handles(j, ev);
    case EVENT_THREADS:
        return on_threads(j, ev);
    case EVENT_UNLOADED:
        return on_unloaded(j, ev);
    case EVENT_FAST_SHUTDOWN:
        return on_fast_shutdown(j, ev);
    case EVENT_SIDE_EFFECT:
        return on_side_effect(j, ev);
    case EVENT_INTEGRITY:
        /* value 1: the host kept what the provider went for; the stream
         * stays trustworthy and every other rule is still judged. */
        if (j->st->integrity_seq < 0 && ev->value != 1) {
            j->st->integrity_seq = ev->seq;
        }
        return violate(j, RULE_HOST_INTEGRITY, ev->seq, "%s",
                       ev->text != NULL ? ev->text : "the event stream broke");
    default:
        note_event(j, ev);
        return 0;
    }
}

/* The kinds the judge only notes, for the rules judged later (at the end,
 * or from another kind). */
static void note_event(struct judge *j, const struct event *ev)
{
    switch (ev->kind) {
    case EVENT_CALL:
        j->st->call_seq = ev->seq;
        j->st->call_t_us = ev->t_us;
        j->st->call_thread = ev->thread;
        break;
    case EVENT_QI:
        if (ev->hr == HR_S_OK && ev->step == HOST_OBJECT_CALLBACK &&
            ev->index == IID_KIND_SYNC_CALLBACK) {
            j->st->callback_qi = 1;
        }
        break;
    case EVENT_EVENT_SIGNALED:
        j->st->signaled_seq = ev->seq;
        break;
    case EVENT_LOGOFF:
        if (ev->value == 1 && j->st->logoff_seq < 0) {
            j->st->logoff_seq = ev->seq;
        }
        break;
    case EVENT_END:
        j->st->end_seq = ev->seq;
        if (!j->st->fast_exit) { /* after a fast shutdown nothing was released, by design */
            check_leaks(j);
        }
        break;
    case EVENT_PHASE:
        j->st->phase = (int)ev->step;
        break;
    case EVENT_EXIT:
        j->st->exit_seq = ev->seq;
        snprintf(j->st->exit_detail, sizeof j->st->exit_detail, "%s",
                 ev->text != NULL ? ev->text : "");
        break;
    default:
        break;
    }
}

enum scenario_status judge_finish(struct judge *j, enum worker_ending ending,
                                  const char *exit_detail)
{
    int ok_call;

    if (j->st == NULL) {
        return STATUS_ERRORED; /* the judge had no memory: no verdict */
    }
    ok_call = j->st->return_hr_valid && j->st->return_hr == HR_S_OK;
    if (exit_detail == NULL && j->st->exit_detail[0] != '\0') {
        exit_detail = j->st->exit_detail;
    }
    if (j->st->calls != NULL) {
        return judge_calls_finish(j, ending, exit_detail);
    }
    if (j->st->integrity_seq >= 0) {
        /* Nothing after the break is known: how the process ended says
         * nothing reliable about the provider beyond host-integrity. */
        return j->crash_seq >= 0 && j->crash_seq < j->st->integrity_seq ? STATUS_CRASHED
                                                                        : STATUS_FAILED;
    }
    units_call(j, NULL, ending);
    if (ending == WORKER_DIED && j->crash_seq < 0) {
        violate(j, RULE_NO_EXIT, j->st->exit_seq,
                "the host process ended (%s) without finishing the scenario and without an "
                "unhandled exception: the provider terminated it%s",
                exit_detail != NULL ? exit_detail : "unknown status", phase_words(j->st->phase));
    }
    /* Done never called: judged once the sync is known to be over, that is
     * the event was signaled or the worker finished; a sync cut off by the
     * deadline or a crash is reported by those rules instead. After a
     * logoff during the sync, Done is called at most once: none is no fault
     * (shutdown-during-sync). */
    if (ok_call && j->st->done_count == 0 && !j->st->saw_timeout && callback_given(j) &&
        j->st->logoff_seq < 0 &&
        (j->st->signaled_seq >= 0 || (ending == WORKER_FINISHED && j->crash_seq < 0))) {
        if (j->st->signaled_seq >= 0) {
            violate(j, RULE_DONE_CALLED_ONCE, j->st->signaled_seq,
                    "Done was never called, yet the done event was signaled");
        } else {
            violate(j, RULE_DONE_CALLED_ONCE, -1, "Done was never called");
        }
    }
    if (ending == WORKER_KILLED) {
        finish_killed(j, ok_call);
    }
    if (ending == WORKER_FINISHED || j->st->signaled_seq >= 0) {
        expect_finish(j);
    }

    if (j->crash_seq >= 0 || ending == WORKER_DIED) {
        return STATUS_CRASHED;
    }
    if (ending == WORKER_KILLED || j->st->saw_timeout) {
        return STATUS_TIMED_OUT;
    }
    return j->violation_count > 0 ? STATUS_FAILED : STATUS_PASSED;
}

int judge_returned(const struct judge *j, uint32_t *hr)
{
    *hr = j->st != NULL ? j->st->return_hr : 0;
    return j->st != NULL && j->st->return_hr_valid;
}

int judge_done(const struct judge *j, uint32_t *hr)
{
    *hr = j->st != NULL ? j->st->first_done_hr : 0;
    return j->st != NULL && j->st->done_count > 0;
}
