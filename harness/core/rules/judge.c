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
    j->call = call;
    j->logoff_seq = -1;
    expect_init(&j->expect);
    j->sc = sc;
    j->opts = *opts;
    j->call_seq = j->return_seq = j->first_done_seq = j->signaled_seq = -1;
    j->crash_seq = j->end_seq = j->last_seq = j->exit_seq = -1;
    j->callback_count = 1; /* the host's own reference */
    j->cancel_seq = -1;
    j->integrity_seq = -1;
    j->first_callback_seq = -1;
    j->phase = -1;
    judge_host_init(&j->host);
}

void judge_free(struct judge *j)
{
    judge_calls_free(j);
    free(j->violations);
    j->violations = NULL;
    j->violation_count = j->violation_cap = 0;
    judge_host_free(&j->host);
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
    int after_fault = judge_host_after_fault(&j->host, name);
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
    if (j->violation_count == j->violation_cap) {
        size_t cap = j->violation_cap ? j->violation_cap * 2 : 8;
        struct violation *p = realloc(j->violations, cap * sizeof *p);
        if (p == NULL) {
            return 0;
        }
        j->violations = p;
        j->violation_cap = cap;
    }
    v = &j->violations[j->violation_count++];
    memset(v, 0, sizeof *v);
    snprintf(v->rule, sizeof v->rule, "%s", name);
    v->level = info != NULL ? info->level : RULE_REQUIRED;
    v->event = seq;
    if (after_fault > 0) {
        int n = snprintf(v->message, sizeof v->message,
                         "after the injected fault at event %lld (%s): ",
                         (long long)j->host.fault_seq, j->host.fault_what);
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
    j->saw_timeout = 1;
    if (ev->step != 0) {
        /* The host had less than the deadline of time it could run: the
         * machine was overloaded, which the run reports (exit 3), not the
         * provider (harness/worker/starve.h). */
        return 0;
    }
    if (j->logoff_seq >= 0) {
        return violate(j, RULE_SHUTDOWN_DURING_SYNC, ev->seq,
                       "the done event 0x%llx was not signaled within %llu ms of the call after "
                       "the host logged off during the sync (event %lld)",
                       (unsigned long long)ev->handle, (unsigned long long)ev->value,
                       (long long)j->logoff_seq);
    }
    return violate(j, RULE_EVENT_SIGNALED, ev->seq,
                   "the done event 0x%llx was not signaled within %llu ms of the call",
                   (unsigned long long)ev->handle, (unsigned long long)ev->value);
}

static int judge_event_rules(struct judge *j, const struct event *ev);
static void note_event(struct judge *j, const struct event *ev);

int judge_event(struct judge *j, const struct event *ev)
{
    if (j->calls != NULL) {
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
        j->last_kind = ev->kind;
    }
    judge_host_event(&j->host, ev);
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
        if (j->integrity_seq < 0 && ev->value != 1) {
            j->integrity_seq = ev->seq;
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
        j->call_seq = ev->seq;
        j->call_t_us = ev->t_us;
        j->call_thread = ev->thread;
        break;
    case EVENT_QI:
        if (ev->hr == HR_S_OK && ev->step == HOST_OBJECT_CALLBACK &&
            ev->index == IID_KIND_SYNC_CALLBACK) {
            j->callback_qi = 1;
        }
        break;
    case EVENT_EVENT_SIGNALED:
        j->signaled_seq = ev->seq;
        break;
    case EVENT_LOGOFF:
        if (ev->value == 1 && j->logoff_seq < 0) {
            j->logoff_seq = ev->seq;
        }
        break;
    case EVENT_END:
        j->end_seq = ev->seq;
        if (!j->fast_exit) { /* after a fast shutdown nothing was released, by design */
            check_leaks(j);
        }
        break;
    case EVENT_PHASE:
        j->phase = (int)ev->step;
        break;
    case EVENT_EXIT:
        j->exit_seq = ev->seq;
        snprintf(j->exit_detail, sizeof j->exit_detail, "%s", ev->text != NULL ? ev->text : "");
        break;
    default:
        break;
    }
}

enum scenario_status judge_finish(struct judge *j, enum worker_ending ending,
                                  const char *exit_detail)
{
    int ok_call = j->return_hr_valid && j->return_hr == HR_S_OK;

    if (exit_detail == NULL && j->exit_detail[0] != '\0') {
        exit_detail = j->exit_detail;
    }
    if (j->calls != NULL) {
        return judge_calls_finish(j, ending, exit_detail);
    }
    if (j->integrity_seq >= 0) {
        /* Nothing after the break is known: how the process ended says
         * nothing reliable about the provider beyond host-integrity. */
        return j->crash_seq >= 0 && j->crash_seq < j->integrity_seq ? STATUS_CRASHED
                                                                    : STATUS_FAILED;
    }
    if (ending == WORKER_DIED && j->crash_seq < 0) {
        violate(j, RULE_NO_EXIT, j->exit_seq,
                "the host process ended (%s) without finishing the scenario and without an "
                "unhandled exception: the provider terminated it%s",
                exit_detail != NULL ? exit_detail : "unknown status", phase_words(j->phase));
    }
    /* Done never called: judged once the sync is known to be over, that is
     * the event was signaled or the worker finished; a sync cut off by the
     * deadline or a crash is reported by those rules instead. After a
     * logoff during the sync, Done is called at most once: none is no fault
     * (shutdown-during-sync). */
    if (ok_call && j->done_count == 0 && !j->saw_timeout && callback_given(j) &&
        j->logoff_seq < 0 &&
        (j->signaled_seq >= 0 || (ending == WORKER_FINISHED && j->crash_seq < 0))) {
        if (j->signaled_seq >= 0) {
            violate(j, RULE_DONE_CALLED_ONCE, j->signaled_seq,
                    "Done was never called, yet the done event was signaled");
        } else {
            violate(j, RULE_DONE_CALLED_ONCE, -1, "Done was never called");
        }
    }
    if (ending == WORKER_KILLED) {
        finish_killed(j, ok_call);
    }
    if (ending == WORKER_FINISHED || j->signaled_seq >= 0) {
        expect_finish(j);
    }

    if (j->crash_seq >= 0 || ending == WORKER_DIED) {
        return STATUS_CRASHED;
    }
    if (ending == WORKER_KILLED || j->saw_timeout) {
        return STATUS_TIMED_OUT;
    }
    return j->violation_count > 0 ? STATUS_FAILED : STATUS_PASSED;
}

int judge_returned(const struct judge *j, uint32_t *hr)
{
    *hr = j->return_hr;
    return j->return_hr_valid;
}

int judge_done(const struct judge *j, uint32_t *hr)
{
    *hr = j->first_done_hr;
    return j->done_count > 0;
}
