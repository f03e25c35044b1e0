/*
 * args.c: the rules on SynchronizeInBackground's arguments and flags
 * (sib-null-args, sib-size-checked, sib-null-callback, flags-accepted,
 * flags-unknown) and on what a failed call may do (sib-failure-quiet).
 * The scenario says what the host passed (scenario.h, sync.*); the `return`
 * event says what the provider answered.
 */
#include <stdio.h>

#include "rules/internal.h"

#define HR_E_INVALIDARG         0x80070057u /* also MAPI_E_INVALID_PARAMETER */
#define HR_E_POINTER            0x80004003u
#define HR_MAPI_E_UNKNOWN_FLAGS 0x80040106u
#define HR_MAPI_E_NO_SUPPORT    0x80040102u

/* Every SYNC_* bit the Outlook MAPI reference names (CONTRACT.md). */
#define SYNC_DOCUMENTED_BITS 0x220212C3u

/* An answer that refuses an argument: E_INVALIDARG (MAPI_E_INVALID_PARAMETER
 * has the same value) or COM's E_POINTER for a pointer. */
static int refuses_argument(uint32_t hr)
{
    return hr == HR_E_INVALIDARG || hr == HR_E_POINTER;
}

/* An answer that refuses the flags themselves. */
static int refuses_flags(uint32_t hr)
{
    return refuses_argument(hr) || hr == HR_MAPI_E_UNKNOWN_FLAGS || hr == HR_MAPI_E_NO_SUPPORT;
}

static int pointers_valid(const struct judge *j)
{
    return j->sc == NULL || (j->sc->psib == SCENARIO_POINTER_VALID &&
                             j->sc->done_event_ptr == SCENARIO_POINTER_VALID);
}

static uint32_t undefined_bits(const struct judge *j)
{
    return j->sc != NULL ? j->sc->flags & ~SYNC_DOCUMENTED_BITS : 0;
}

int args_rule_owns_failure(const struct judge *j, uint32_t hr)
{
    if (j->sc == NULL || !args_valid(j)) {
        return 0;
    }
    if (undefined_bits(j) != 0) {
        return hr == HR_MAPI_E_UNKNOWN_FLAGS || refuses_argument(hr);
    }
    if (j->sc->sib_size > SCENARIO_SIB_SIZE && refuses_argument(hr)) {
        return 1;
    }
    return refuses_flags(hr);
}

static int check_null_args(struct judge *j, const struct event *ev)
{
    char got[80];

    if (pointers_valid(j) || refuses_argument(ev->hr)) {
        return 0;
    }
    return violate(j, RULE_SIB_NULL_ARGS, ev->seq,
                   "SynchronizeInBackground(%s) returned %s; a NULL %s is refused with "
                   "E_INVALIDARG (MAPI_E_INVALID_PARAMETER) or E_POINTER",
                   j->sc->psib == SCENARIO_POINTER_NULL ? "NULL" : "psibpb",
                   hr_text(ev->hr, got, sizeof got),
                   j->sc->psib == SCENARIO_POINTER_NULL ? "psibpb" : "phSyncDoneEvent");
}

static int check_size(struct judge *j, const struct event *ev)
{
    char got[80];
    uint32_t size = j->sc->sib_size;

    if (size < SCENARIO_SIB_SIZE && !refuses_argument(ev->hr)) {
        return violate(j, RULE_SIB_SIZE_CHECKED, ev->seq,
                       "ulSize %lu (sizeof(MAPISIB) is %u) answered %s; a MAPISIB too small to "
                       "hold its fields is refused with E_INVALIDARG",
                       (unsigned long)size, SCENARIO_SIB_SIZE, hr_text(ev->hr, got, sizeof got));
    }
    if (size > SCENARIO_SIB_SIZE && refuses_argument(ev->hr)) {
        return violate(j, RULE_SIB_SIZE_CHECKED, ev->seq,
                       "ulSize %lu (sizeof(MAPISIB) is %u) refused with %s; a larger MAPISIB "
                       "from a newer host is accepted",
                       (unsigned long)size, SCENARIO_SIB_SIZE, hr_text(ev->hr, got, sizeof got));
    }
    return 0;
}

static int check_callback_arg(struct judge *j, const struct event *ev)
{
    char got[80];

    if (j->sc->callback == SCENARIO_CALLBACK_FAKE || ev->hr == HR_S_OK ||
        refuses_argument(ev->hr)) {
        return 0;
    }
    return violate(j, RULE_SIB_NULL_CALLBACK, ev->seq,
                   "punkCallBack %s answered %s; expected S_OK (a silent sync) or E_INVALIDARG",
                   j->sc->callback == SCENARIO_CALLBACK_NULL ? "NULL"
                                                             : "without IMAPISyncProgressCallback",
                   hr_text(ev->hr, got, sizeof got));
}

static int check_flags(struct judge *j, const struct event *ev)
{
    char got[80], names[SYNC_FLAGS_FORMAT_MAX];
    uint32_t flags = j->sc->flags;

    if (undefined_bits(j) != 0) {
        if (ev->hr == HR_S_OK || ev->hr == HR_MAPI_E_UNKNOWN_FLAGS || !refuses_argument(ev->hr)) {
            return 0; /* any other failure is sib-returns-s-ok's */
        }
        return violate(j, RULE_FLAGS_UNKNOWN, ev->seq,
                       "ulFlags %s with undefined bits 0x%08lX answered %s; undefined bits are "
                       "ignored, or refused with MAPI_E_UNKNOWN_FLAGS",
                       sync_flags_format(flags, names, sizeof names),
                       (unsigned long)undefined_bits(j), hr_text(ev->hr, got, sizeof got));
    }
    if (!refuses_flags(ev->hr) ||
        (j->sc->sib_size > SCENARIO_SIB_SIZE && refuses_argument(ev->hr))) {
        return 0;
    }
    return violate(j, RULE_FLAGS_ACCEPTED, ev->seq,
                   "ulFlags %s (documented bits only) refused with %s",
                   sync_flags_format(flags, names, sizeof names), hr_text(ev->hr, got, sizeof got));
}

int check_return_args(struct judge *j, const struct event *ev)
{
    int pin;

    j->st->return_failed = HR_FAILED(ev->hr);
    pin =
        j->st->callbacks_before_return > 0 && j->st->return_failed ? check_failure_quiet(j, ev) : 0;
    if (j->sc == NULL) {
        return pin;
    }
    if (!pointers_valid(j)) {
        return pin | check_null_args(j, ev);
    }
    pin |= check_size(j, ev) | check_callback_arg(j, ev);
    if (args_valid(j)) {
        pin |= check_flags(j, ev); /* with any argument invalid, a refusal may be its */
    }
    return pin;
}

int check_flags_done(struct judge *j, const struct event *ev)
{
    char got[80], names[SYNC_FLAGS_FORMAT_MAX];

    if (j->sc == NULL || !args_valid(j) || undefined_bits(j) != 0 || !refuses_flags(ev->hr)) {
        return 0;
    }
    return violate(j, RULE_FLAGS_ACCEPTED, ev->seq,
                   "Done(%s) for ulFlags %s (documented bits only): the sync refused its flags",
                   hr_text(ev->hr, got, sizeof got),
                   sync_flags_format(j->sc->flags, names, sizeof names));
}

int check_failure_quiet(struct judge *j, const struct event *ev)
{
    char got[80];

    if (!j->st->returned) {
        j->st->callbacks_before_return++;
        if (j->st->first_callback_seq < 0) {
            j->st->first_callback_seq = ev->seq;
        }
        return 0;
    }
    if (!j->st->return_failed) {
        return 0;
    }
    if (ev->kind == EVENT_RETURN) {
        return violate(j, RULE_SIB_FAILURE_QUIET, ev->seq,
                       "SynchronizeInBackground returned %s, yet made %llu callback(s) while it "
                       "ran (first: event %lld): a failed call starts nothing",
                       hr_text(ev->hr, got, sizeof got),
                       (unsigned long long)j->st->callbacks_before_return,
                       (long long)j->st->first_callback_seq);
    }
    return violate(j, RULE_SIB_FAILURE_QUIET, ev->seq,
                   "%s called after SynchronizeInBackground returned %s (event %lld): a failed "
                   "call starts nothing",
                   event_kind_name(ev->kind), hr_text(j->st->return_hr, got, sizeof got),
                   (long long)j->st->return_seq);
}
