/*
 * call.c: the rules on the load chain and on SynchronizeInBackground's own
 * answer (load-*, sib-returns-*, sib-writes-done-event), and the settle
 * period's checks (callback-refcount's balance, event-owned-by-host).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/hresult.h"
#include "rules/internal.h"

int on_load(struct judge *j, const struct event *ev)
{
    /* The identity step (probe's only) is no rule's: probe reports it. */
    static const enum rule_id step_rule[LOAD_STEP_QI_IMAPISYNC + 1] = {
        [LOAD_STEP_DLL] = RULE_LOAD_DLL,
        [LOAD_STEP_ENTRY_POINT] = RULE_LOAD_ENTRY_POINT,
        [LOAD_STEP_LOGON] = RULE_LOAD_LOGON,
        [LOAD_STEP_QI_IMAPISYNC] = RULE_LOAD_QI_IMAPISYNC,
    };
    char hrbuf[80];
    const char *text = ev->text != NULL ? ev->text : "failed";
    int room;

    if (!HR_FAILED(ev->hr) || ev->step > LOAD_STEP_QI_IMAPISYNC) {
        return 0;
    }
    /* The detail may be long (what the provider looked for and did not
     * find): it is cut, never the HRESULT after it. The event keeps it whole. */
    hr_text(ev->hr, hrbuf, sizeof hrbuf);
    room = (int)sizeof(((struct violation *)0)->message) - (int)strlen(hrbuf) - 4;
    if ((int)strlen(text) > room) {
        return violate(j, step_rule[ev->step], ev->seq, "%.*s... [%s]", room - 3, text, hrbuf);
    }
    return violate(j, step_rule[ev->step], ev->seq, "%s [%s]", text, hrbuf);
}

/* The scenario's sync arguments are all valid (scenario_args_valid): only
 * then must the call succeed. Arguments invalid on purpose (sync.psib: null,
 * a small sync.size, ...) leave the answer to expect.returns. */
int args_valid(const struct judge *j)
{
    return j->sc == NULL || scenario_args_valid(j->sc);
}

/* The provider got somewhere to store the done event. */
int done_event_writable(const struct judge *j)
{
    return j->sc == NULL || (j->sc->psib == SCENARIO_POINTER_VALID &&
                             j->sc->done_event_ptr == SCENARIO_POINTER_VALID);
}

/* The provider got the host's callback, so it can call Done on it. */
int callback_given(const struct judge *j)
{
    return j->sc == NULL ||
           (j->sc->psib == SCENARIO_POINTER_VALID && j->sc->callback == SCENARIO_CALLBACK_FAKE);
}

int on_return(struct judge *j, const struct event *ev)
{
    char got[80], note[96] = "";
    int pin = 0;
    uint32_t bound_ms = j->sc != NULL ? j->sc->return_within_ms : 0;
    /* The call's own duration when the worker measured it (event.h); the
     * `return` record itself comes after the host's own work. */
    uint64_t took_us = ev->index_max != 0             ? ev->index_max
                       : ev->t_us >= j->st->call_t_us ? ev->t_us - j->st->call_t_us
                                                      : 0;
    /* The time the machine kept the host from running is not the call's
     * (ev->index, harness/worker/starve.h). */
    uint64_t starved_us = (uint64_t)ev->index * 1000u;

    j->st->returned = 1;
    j->st->return_seq = ev->seq;
    j->st->return_handle = ev->handle;
    j->st->return_closed = ev->step != 0;
    if (bound_ms == 0) {
        bound_ms = SCENARIO_DEFAULT_RETURN_WITHIN_MS;
    }
    if (j->st->call_seq >= 0 && took_us > starved_us + (uint64_t)bound_ms * 1000u) {
        if (starved_us > 0) {
            snprintf(note, sizeof note,
                     ", not counting %llu ms the machine kept the host from "
                     "running",
                     (unsigned long long)(starved_us / 1000u));
        }
        pin |= violate(j, RULE_SIB_RETURNS_PROMPTLY, ev->seq,
                       "SynchronizeInBackground took %llu ms to return (bound %lu ms%s): "
                       "the sync must run in the background",
                       (unsigned long long)(took_us / 1000u), (unsigned long)bound_ms, note);
    }
    j->st->return_hr = ev->hr;
    j->st->return_hr_valid = 1;
    /* With expect.returns the scenario says what the answer is (expect.c). */
    if ((j->sc == NULL || !j->sc->has_expect_returns) && ev->hr != HR_S_OK && args_valid(j) &&
        !args_rule_owns_failure(j, ev->hr)) {
        pin |= violate(j, RULE_SIB_RETURNS_S_OK, ev->seq,
                       "SynchronizeInBackground returned %s for a valid MAPISIB, expected S_OK",
                       hr_text(ev->hr, got, sizeof got));
    }
    pin |= check_return_args(j, ev);
    if (!done_event_writable(j)) {
        return pin; /* nowhere to write it: issue of sib-null-args */
    }
    if (ev->hr == HR_S_OK && ev->handle == 0) {
        pin |= violate(j, RULE_SIB_WRITES_DONE_EVENT, ev->seq,
                       "returned S_OK but left *phSyncDoneEvent NULL");
    } else if (ev->hr == HR_S_OK && ev->value == 0 && ev->step != 0) {
        /* A handle it wrote, then closed before the host could look. */
        pin |= violate(j, RULE_EVENT_OWNED_BY_HOST, ev->seq,
                       "the provider closed the done event 0x%llx it handed over (CloseHandle "
                       "at %s) before the host could wait on it",
                       (unsigned long long)ev->handle,
                       ev->text != NULL && ev->text[0] != '\0' ? ev->text : "its code");
    } else if (ev->hr == HR_S_OK && ev->value == 0) {
        pin |= violate(j, RULE_SIB_WRITES_DONE_EVENT, ev->seq,
                       "returned S_OK and stored 0x%llx in *phSyncDoneEvent, which is not a "
                       "waitable handle (%s)",
                       (unsigned long long)ev->handle,
                       ev->text != NULL && ev->text[0] != '\0' ? ev->text : "not a handle");
    }
    return pin;
}

int on_settled(struct judge *j, const struct event *ev)
{
    int pin = 0;

    /* Only a sync that ended can be held to its balance: after the deadline
     * passed with the event unsignaled, the sync may well still be running. */
    if (j->st->return_hr_valid && j->st->return_hr == HR_S_OK && j->st->callback_count > 1 &&
        !j->st->saw_timeout) {
        pin |= violate(j, RULE_CALLBACK_REFCOUNT, ev->seq,
                       "the provider still holds %lld reference(s) on the callback after the "
                       "sync ended and the settle period passed",
                       (long long)(j->st->callback_count - 1));
    }
    if (ev->value == 0) {
        pin |= violate(j, RULE_EVENT_OWNED_BY_HOST, ev->seq,
                       "the host's CloseHandle(0x%llx) failed after the sync: the provider "
                       "closed the done event it handed over",
                       (unsigned long long)ev->handle);
    } else if (ev->value == 3) {
        /* The value may name another object by now (Wine reuses a closed
         * value at once), so the host's own close proves nothing: the
         * provider's CloseHandle of it was seen. */
        pin |= violate(j, RULE_EVENT_OWNED_BY_HOST, ev->seq,
                       "the provider closed the done event 0x%llx it handed over (CloseHandle "
                       "at %s); the host left the value alone, as it may name another object "
                       "by now",
                       (unsigned long long)ev->handle,
                       ev->text != NULL && ev->text[0] != '\0' ? ev->text : "its code");
    }
    return pin;
}
