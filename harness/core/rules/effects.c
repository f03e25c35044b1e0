/*
 * effects.c: sib-unchanged, leak-processes and leak-memory, on the
 * `side_effect` events the host records (harness/worker/effects.c): the
 * MAPISIB it passed found changed, a process the provider started still
 * running after the shutdown, private commit grown across a scenario's
 * syncs past the bound.
 */
#include "rules/internal.h"

static const char *const sib_when[] = {"when SynchronizeInBackground returned",
                                       "after the done event and the settle period"};

int on_side_effect(struct judge *j, const struct event *ev)
{
    const char *text = ev->text != NULL ? ev->text : "(not described)";
    int own = j->sc != NULL && j->sc->memory_growth_mib != 0;

    switch ((enum side_effect)ev->step) {
    case SIDE_EFFECT_SIB:
        return violate(j, RULE_SIB_UNCHANGED, ev->seq,
                       "the MAPISIB of call %lu was written into, seen %s: %s",
                       (unsigned long)ev->call, sib_when[ev->index != 0], text);
    case SIDE_EFFECT_PROCESS:
        return violate(j, RULE_LEAK_PROCESSES, ev->seq,
                       "process %s (pid %llu), started by the provider, still running after "
                       "the sync, Logoff, Shutdown and Release; synchost ended it",
                       text, (unsigned long long)ev->handle);
    case SIDE_EFFECT_MEMORY:
        /* The bound is the one the worker measured against (the event
         * carries it); whose it is comes from the scenario. */
        return violate(j, RULE_LEAK_MEMORY, ev->seq,
                       "the process's private commit grew by %llu MiB over %lu sync(s) after "
                       "the first (from %llu MiB at the end of the first), more than the %s "
                       "bound of %lu MiB%s",
                       (unsigned long long)(ev->value >> 20), (unsigned long)ev->index_max,
                       (unsigned long long)(ev->handle >> 20), own ? "scenario's" : "default",
                       (unsigned long)ev->index,
                       own ? " (memory_growth_mib)"
                           : " (a scenario sets its own with memory_growth_mib)");
    default:
        return 0;
    }
}
