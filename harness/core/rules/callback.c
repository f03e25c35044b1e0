/*
 * callback.c: the rules on what the provider does with the host's
 * IMAPISyncProgressCallback: Progress, Error, Done, its references and the
 * user's cancel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/hresult.h"
#include "rules/internal.h"

/* MAPI_E_USER_CANCEL: what Outlook's callback answers when the user cancels. */
#define HR_USER_CANCEL 0x80040113u

/* After the host answered a Progress with MAPI_E_USER_CANCEL, the thread it
 * answered makes at most one more Progress, and Done comes with a failure
 * code. Counted per thread: a provider that reports from several threads
 * has calls under way on the others when one of them is told to stop, and
 * each of those threads learns of the cancel from its own answer. */
static int check_cancel_progress(struct judge *j, const struct event *ev)
{
    struct judge_cancelled *c = NULL;

    for (size_t i = 0; i < j->st->cancelled_count; i++) {
        if (j->st->cancelled[i].thread == ev->thread) {
            c = &j->st->cancelled[i];
            break;
        }
    }
    if (c == NULL) {
        if (ev->hr == HR_USER_CANCEL && j->st->cancelled_count < JUDGE_CANCEL_THREADS) {
            if (j->st->cancel_seq < 0) {
                j->st->cancel_seq = ev->seq;
            }
            j->st->cancelled[j->st->cancelled_count++] = (struct judge_cancelled){ev->thread, 0};
        }
        return 0;
    }
    if (++c->calls_after < 2) {
        return 0;
    }
    return violate(j, RULE_CANCEL_HONORED, ev->seq,
                   "Progress called %lu times on thread %lu after the host answered it "
                   "MAPI_E_USER_CANCEL (first cancel: event %lld); a provider stops after at "
                   "most one more",
                   (unsigned long)c->calls_after, (unsigned long)ev->thread,
                   (long long)j->st->cancel_seq);
}

static int check_cancel_done(struct judge *j, const struct event *ev)
{
    char got[80];

    if (j->st->cancel_seq < 0 || HR_FAILED(ev->hr)) {
        return 0;
    }
    return violate(j, RULE_CANCEL_HONORED, ev->seq,
                   "Done(%s) after the host answered MAPI_E_USER_CANCEL (event %lld); a cancelled "
                   "sync ends with a failure code",
                   hr_text(ev->hr, got, sizeof got), (long long)j->st->cancel_seq);
}

/* A call through the callback after the provider let go of it: its own
 * references (the count less the host's one) had been above zero and are
 * zero again. */
static int check_callback_alive(struct judge *j, const struct event *ev, const char *method)
{
    if (!j->st->callback_had_refs || j->st->callback_count > 1) {
        return 0;
    }
    return violate(j, RULE_CALLBACK_AFTER_RELEASE, ev->seq,
                   "%s called after the provider released its last reference on the callback "
                   "(count back to the host's 1)",
                   method);
}

int on_callback_ref(struct judge *j, const struct event *ev)
{
    if (ev->step != HOST_OBJECT_CALLBACK) {
        return 0;
    }
    j->st->callback_count = (int64_t)ev->value;
    if (j->st->callback_count > 1) {
        j->st->callback_had_refs = 1;
    }
    if (ev->kind == EVENT_RELEASE && j->st->callback_count < 1) {
        return violate(j, RULE_CALLBACK_REFCOUNT, ev->seq,
                       "the provider released the callback more often than it referenced it "
                       "(count %lld; the host holds 1)",
                       (long long)j->st->callback_count);
    }
    return 0;
}

static int check_callback_qi(struct judge *j, const struct event *ev, const char *method)
{
    if (j->st->callback_qi || j->st->callback_cast_reported) {
        return 0;
    }
    j->st->callback_cast_reported = 1;
    return violate(j, RULE_CALLBACK_VIA_QI, ev->seq,
                   "%s called without QueryInterface(IID_IMAPISyncProgressCallback) on "
                   "punkCallBack first: the provider cast the IUnknown",
                   method);
}

/* The done event tells Outlook the sync thread is over; Done must have come
 * before it. Seen two ways, so that no thread order hides it: the event was
 * already signaled when Done began (the fake callback asks first thing), or
 * the host recorded the signal before this Done. */
static int check_done_before_event(struct judge *j, const struct event *ev)
{
    if (j->st->done_count > 0) {
        return 0; /* a second Done is done-called-once's */
    }
    if (j->st->signaled_seq >= 0) {
        return violate(j, RULE_DONE_BEFORE_EVENT, ev->seq,
                       "Done called after the host saw the done event signaled (event %lld)",
                       (long long)j->st->signaled_seq);
    }
    if (ev->value == DONE_EVENT_SIGNALED) {
        return violate(j, RULE_DONE_BEFORE_EVENT, ev->seq,
                       "the done event 0x%llx was already signaled when Done was called",
                       (unsigned long long)j->st->return_handle);
    }
    return 0;
}

/* A successful sync that reported progress ends with a full bar. A last
 * index past its maximum did reach the end: that overshoot is
 * progress-index-bounded's alone. */
static int check_progress_completes(struct judge *j, const struct event *ev)
{
    if (j->st->done_count > 0 || ev->hr != HR_S_OK || !j->st->progress_seen ||
        j->st->last_index >= j->st->last_index_max) {
        return 0;
    }
    return violate(j, RULE_PROGRESS_COMPLETES, ev->seq,
                   "Done(S_OK) after a last Progress of ulIndex %lu of ulIndexMax %lu: the "
                   "progress bar never reached the end",
                   (unsigned long)j->st->last_index, (unsigned long)j->st->last_index_max);
}

int on_done(struct judge *j, const struct event *ev)
{
    int pin = check_callback_qi(j, ev, "Done") | check_callback_alive(j, ev, "Done") |
              check_cancel_done(j, ev) | check_failure_quiet(j, ev) | check_flags_done(j, ev) |
              check_done_before_event(j, ev) | check_progress_completes(j, ev);

    if (j->st->call_seq >= 0 && !j->st->returned && ev->thread == j->st->call_thread) {
        pin |= violate(j, RULE_SIB_BACKGROUND_THREAD, ev->seq,
                       "Done called on the host's thread (%lu) from inside "
                       "SynchronizeInBackground: the sync must run on a thread of its own",
                       (unsigned long)ev->thread);
    }
    if (ev->handle != 0 && j->st->returned && ev->handle != j->st->return_handle) {
        pin |= violate(j, RULE_DONE_HANDLE_MATCHES, ev->seq,
                       "Done(hThreadDoneEvent=0x%llx) is neither NULL nor the handle stored in "
                       "*phSyncDoneEvent (0x%llx)",
                       (unsigned long long)ev->handle, (unsigned long long)j->st->return_handle);
    }
    j->st->done_count++;
    if (j->st->done_count == 1) {
        j->st->first_done_seq = ev->seq;
        j->st->first_done_hr = ev->hr;
        return pin;
    }
    if (j->st->logoff_seq >= 0 && j->st->logoff_seq < ev->seq) {
        return pin | violate(j, RULE_SHUTDOWN_DURING_SYNC, ev->seq,
                             "Done called %llu times (first at event %lld), the last after the "
                             "host logged off during the sync (event %lld); at most once",
                             (unsigned long long)j->st->done_count,
                             (long long)j->st->first_done_seq, (long long)j->st->logoff_seq);
    }
    return pin |
           violate(j, RULE_DONE_CALLED_ONCE, ev->seq,
                   "Done called %llu times (first at event %lld); it must be called exactly once",
                   (unsigned long long)j->st->done_count, (long long)j->st->first_done_seq);
}

static int on_late_callback(struct judge *j, const struct event *ev)
{
    if (j->st->first_done_seq < 0) {
        return 0;
    }
    return violate(j, RULE_DONE_LAST, ev->seq, "%s called after Done (Done was event %lld)",
                   ev->kind == EVENT_PROGRESS ? "Progress" : "Error",
                   (long long)j->st->first_done_seq);
}

/* A string the provider passed that the host could not use as text. */
static int bad_text(enum text_state state)
{
    return state == TEXT_UNREADABLE || state == TEXT_TOO_LONG || state == TEXT_ILL_FORMED;
}

static const char *text_problem(enum text_state state)
{
    switch (state) {
    case TEXT_UNREADABLE:
        return "points at memory that cannot be read";
    case TEXT_TOO_LONG:
        return "has no terminating NUL within 65536 UTF-16 code units";
    case TEXT_ILL_FORMED:
        return "is not well-formed UTF-16 (an unpaired surrogate)";
    case TEXT_NULL:
        return "is NULL";
    default:
        return "is not usable";
    }
}

/* A terminated text past the length synchost records (callback-text-length);
 * its length is the event's value. */
static int check_text_length(struct judge *j, const struct event *ev, const char *what)
{
    if (ev->text_state != TEXT_LONG) {
        return 0;
    }
    return violate(j, RULE_CALLBACK_TEXT_LENGTH, ev->seq,
                   "%s is %llu UTF-16 code units long, longer than 1024 (terminated; only its "
                   "first 1024 are recorded)",
                   what, (unsigned long long)ev->value);
}

int on_error(struct judge *j, const struct event *ev)
{
    char got[80];
    int pin = on_late_callback(j, ev) | check_callback_qi(j, ev, "Error") |
              check_callback_alive(j, ev, "Error") | check_failure_quiet(j, ev);

    /* A failure, or a MAPI warning (success severity, FACILITY_ITF). */
    if (!HR_FAILED(ev->hr) && (ev->hr & 0xFFFF0000u) != 0x00040000u) {
        pin |= violate(j, RULE_ERROR_HRESULT_FAILURE, ev->seq,
                       "Error(hResult=%s): an error report needs a failure code or a MAPI warning",
                       hr_text(ev->hr, got, sizeof got));
    }
    pin |= check_text_length(j, ev, "Error's pwcszErrorStr");
    if (ev->text_state != TEXT_OK && ev->text_state != TEXT_NONE && ev->text_state != TEXT_LONG) {
        pin |= violate(j, RULE_ERROR_TEXT_VALID, ev->seq, "Error's pwcszErrorStr %s",
                       text_problem(ev->text_state));
    }
    return pin;
}

int on_progress(struct judge *j, const struct event *ev)
{
    int pin = on_late_callback(j, ev) | check_callback_qi(j, ev, "Progress") |
              check_callback_alive(j, ev, "Progress") | check_failure_quiet(j, ev);

    pin |= check_cancel_progress(j, ev);
    if (bad_text(ev->text_state)) {
        pin |= violate(j, RULE_PROGRESS_TEXT_VALID, ev->seq, "Progress's pwcszProgress %s",
                       text_problem(ev->text_state));
    }
    pin |= check_text_length(j, ev, "Progress's pwcszProgress");
    if (j->st->progress_seen && ev->index_max == j->st->last_index_max &&
        ev->index < j->st->last_index) {
        pin |= violate(j, RULE_PROGRESS_MONOTONIC, ev->seq,
                       "Progress went back from ulIndex %lu to %lu (ulIndexMax %lu)",
                       (unsigned long)j->st->last_index, (unsigned long)ev->index,
                       (unsigned long)ev->index_max);
    }
    j->st->progress_seen = 1;
    j->st->last_index = ev->index;
    j->st->last_index_max = ev->index_max;

    if (ev->index > ev->index_max) {
        pin |= violate(j, RULE_PROGRESS_INDEX_BOUNDED, ev->seq,
                       "Progress(ulIndex=%lu, ulIndexMax=%lu): ulIndex exceeds ulIndexMax",
                       (unsigned long)ev->index, (unsigned long)ev->index_max);
    }
    return pin;
}
