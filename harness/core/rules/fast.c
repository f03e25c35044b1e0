/*
 * fast.c: fast-shutdown-returns and fast-shutdown-ready, on the host's fast
 * shutdown of the provider (host.shutdown: fast; `fast_shutdown` events,
 * harness/worker/worker.c): each IMAPIProviderShutdown call answers a
 * documented value ("IMAPIProviderShutdown::QueryFastShutdown",
 * "::NotifyProcessShutdown", "::DoFastShutdown"), and when DoFastShutdown
 * returns, the provider's threads end within the rest of the bound ("Fast
 * Shutdown Overview": providers "should verify that all necessary actions
 * ... are complete" before the client exits).
 */
#include "rules/internal.h"

#define HR_MAPI_E_NO_SUPPORT 0x80040102u

static int check_answer(struct judge *j, const struct event *ev)
{
    const char *method = fast_step_name((enum fast_step)ev->step);
    char got[80];

    switch (ev->step) {
    case FAST_STEP_QI:
        if (ev->hr == HR_S_OK && ev->handle == 0) {
            return violate(j, RULE_FAST_SHUTDOWN_RETURNS, ev->seq,
                           "the provider object answered %s with S_OK and a NULL pointer; a "
                           "provider without fast shutdown answers E_NOINTERFACE",
                           method);
        }
        return 0;
    case FAST_STEP_QUERY:
        if (ev->hr != HR_S_OK && ev->hr != HR_MAPI_E_NO_SUPPORT) {
            return violate(j, RULE_FAST_SHUTDOWN_RETURNS, ev->seq,
                           "%s returned %s; documented: S_OK (fast shutdown supported) or "
                           "MAPI_E_NO_SUPPORT (not supported)",
                           method, hr_text(ev->hr, got, sizeof got));
        }
        return 0;
    case FAST_STEP_NOTIFY:
    case FAST_STEP_DO:
        if (ev->hr != HR_S_OK) {
            return violate(
                j, RULE_FAST_SHUTDOWN_RETURNS, ev->seq, "%s returned %s; documented: S_OK only%s",
                method, hr_text(ev->hr, got, sizeof got),
                ev->step == FAST_STEP_DO ? " (the provider is ready for the process to exit)" : "");
        }
        return 0;
    default:
        return 0;
    }
}

int on_fast_shutdown(struct judge *j, const struct event *ev)
{
    int hit = check_answer(j, ev);

    if (ev->step != FAST_STEP_DO) {
        return hit;
    }
    j->st->fast_exit = 1;
    if (ev->value != 0) {
        hit |= violate(j, RULE_FAST_SHUTDOWN_READY, ev->seq,
                       "%llu thread(s) of the provider still running %lu ms after "
                       "DoFastShutdown returned; the process exits at once after it, so their "
                       "work is lost",
                       (unsigned long long)ev->value, (unsigned long)ev->index);
    }
    return hit;
}
