/*
 * internal.h: what the files of the judge share (rules.h is the public
 * side). Each file holds the rules of one concern; judge.c feeds every event
 * to the handlers below and records violations.
 *
 * A rule is named by its constant from rules.def: violate(j, RULE_DONE_LAST,
 * seq, "format", ...). A scenario's expectations, which are no rule, are
 * named by their key path: violate(j, "expect.returns", ...). (A catalogued
 * id written as a string is still found, for code written before the
 * constants; new code uses the constant.)
 */
#ifndef SYNCHOST_RULES_INTERNAL_H
#define SYNCHOST_RULES_INTERNAL_H

#include <stdint.h>

#include "text/hresult.h"
#include "rules/judge_state.h"
#include "rules/rules.h"

#if defined(__GNUC__)
#define RULES_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define RULES_PRINTF(f, a)
#endif

/* Records a violation at event seq (or -1); a rule already violated in this
 * scenario only counts the repeat. Returns 1 when a new violation points at
 * an event (the caller pins that event in the trace). */
int violate_rule(struct judge *j, enum rule_id rule, int64_t seq, const char *fmt, ...)
    RULES_PRINTF(4, 5);
int violate_named(struct judge *j, const char *name, int64_t seq, const char *fmt, ...)
    RULES_PRINTF(4, 5);
#define violate(j, rule, ...) \
    _Generic((rule), char *: violate_named, const char *: violate_named, default: violate_rule)(  \
        (j), (rule), __VA_ARGS__)

static inline const char *hr_text(uint32_t hr, char *buf, size_t cap)
{
    return hresult_describe(hr, buf, cap);
}

/* What the scenario gave the provider (call.c). */
int args_valid(const struct judge *j);          /* every argument valid: S_OK is due */
int done_event_writable(const struct judge *j); /* somewhere to store the done event */
int callback_given(const struct judge *j);      /* the host's callback, to call Done on */

/* The handlers, by the kind of event they look at. Each returns 1 when a
 * violation points at the event. */
int on_load(struct judge *j, const struct event *ev);         /* call.c */
int on_return(struct judge *j, const struct event *ev);       /* call.c */
int on_settled(struct judge *j, const struct event *ev);      /* call.c */
int on_progress(struct judge *j, const struct event *ev);     /* callback.c */
int on_error(struct judge *j, const struct event *ev);        /* callback.c */
int on_done(struct judge *j, const struct event *ev);         /* callback.c */
int on_callback_ref(struct judge *j, const struct event *ev); /* callback.c */
int on_crash(struct judge *j, const struct event *ev);        /* host.c */
int on_provider_qi(struct judge *j, const struct event *ev);  /* com.c */
int on_handles(struct judge *j, const struct event *ev);      /* leaks.c */
int on_threads(struct judge *j, const struct event *ev);      /* leaks.c */
int on_unloaded(struct judge *j, const struct event *ev);     /* host.c */
int on_fast_shutdown(struct judge *j, const struct event *ev); /* fast.c */
int on_side_effect(struct judge *j, const struct event *ev);  /* effects.c */
/* At `end` (leaks.c): leak-mapi-buffers, the host's buffers still live. */
void check_leaks(struct judge *j);

/* The argument and flag rules (args.c). At the `return` event: */
int check_return_args(struct judge *j, const struct event *ev);
/* Would an argument rule rather than sib-returns-s-ok judge this failure of
 * a call whose arguments are all valid (flags refused, a larger ulSize
 * refused, MAPI_E_UNKNOWN_FLAGS for undefined bits)? */
int args_rule_owns_failure(const struct judge *j, uint32_t hr);
/* At each Progress, Error and Done: counted before the return, a violation
 * after a failed one (sib-failure-quiet). */
int check_failure_quiet(struct judge *j, const struct event *ev);
/* At Done: a sync that refused documented flags by its final status. */
int check_flags_done(struct judge *j, const struct event *ev);

/* At the end (host.c): the deadline passed; what the host was waiting for. */
void finish_killed(struct judge *j, int ok_call);
/* ", during the shutdown (...)": where in the scenario something happened. */
const char *phase_words(int phase);

#endif /* SYNCHOST_RULES_INTERNAL_H */
