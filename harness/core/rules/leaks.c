/*
 * leaks.c: leak-mapi-buffers, on the host's allocator (rules/services.c), and
 * leak-handles and leak-threads, on the counts the host takes
 * (harness/worker/checks.c): the handles the provider's code opened since
 * MSProviderInit still open after Shutdown and Release (`handles`), the
 * threads a sync started
 * that still run after its done event, the settle period and a wait
 * (`threads`).
 */
#include "rules/internal.h"

int on_handles(struct judge *j, const struct event *ev)
{
    /* While the provider's threads run, or a sync the host gave up on may
     * still, what they hold is not yet left behind. */
    if (ev->index_max == 0 || ev->value != 0 || j->st->saw_timeout) {
        return 0;
    }
    return violate(j, RULE_LEAK_HANDLES, ev->seq,
                   "%lu of the %lu handle(s) the provider's code opened since MSProviderInit "
                   "still open after Logoff, Shutdown and Release; the first: %s",
                   (unsigned long)ev->index_max, (unsigned long)ev->index,
                   ev->text != NULL ? ev->text : "(not described)");
}

int on_threads(struct judge *j, const struct event *ev)
{
    if (ev->value == 0) {
        return 0;
    }
    return violate(j, RULE_LEAK_THREADS, ev->seq,
                   "%llu thread(s) started since SynchronizeInBackground still running %lu ms "
                   "after the done event and the settle period%s%s",
                   (unsigned long long)ev->value, (unsigned long)ev->index,
                   ev->text != NULL ? "; the first: " : "", ev->text != NULL ? ev->text : "");
}

/* At the end of a scenario the worker finished (Logoff, Shutdown and
 * Release done): the provider's MAPI buffers still live. */
void check_leaks(struct judge *j)
{
    const struct judge_buffer *first = NULL;
    size_t n = judge_host_leaks(&j->st->host, &first);

    if (n == 0) {
        return;
    }
    violate(j, RULE_LEAK_MAPI_BUFFERS, first->seq,
            "%lu MAPI buffer(s) from MAPIAllocateBuffer still allocated after logoff and "
            "shutdown; the first, 0x%llx (%llu bytes), was allocated at event %lld%s%s",
            (unsigned long)n, (unsigned long long)first->addr, (unsigned long long)first->size,
            (long long)first->seq, first->where[0] != '\0' ? " " : "", first->where);
}
