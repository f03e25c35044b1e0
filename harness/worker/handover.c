/*
 * handover.c: what the host handed the provider in a scenario, and what of
 * it the provider still holds at the scenario's end (see handover.h).
 */
#include <stdio.h>
#include <string.h>

#include "fake_callback.h"
#include "fake_session.h"
#include "fake_support.h"
#include "fake_unknown.h"
#include "handover.h"
#include "scenario/scenario.h"

/* How many kept things are named; the count says the rest. */
#define HANDOVER_NAMED 3u

struct handed {
    IMAPISyncProgressCallback *cb;
    IUnknown *unknown;
    IMAPISession *session;
    int done_due;
};

/* One entry a call: every call of a scenario, not only the last round's,
 * since a provider may keep an early round's callback. */
static struct handed handed[SCENARIO_OVERLAP_MAX * SCENARIO_REPEAT_MAX];
static size_t handed_count;

/* What a description has so far, and how many were counted. */
struct kept_list {
    char *out;
    size_t cap, used, count;
};

/* Counts one kept thing, and names it while fewer than HANDOVER_NAMED are. */
static void kept_add(struct kept_list *k, const char *item)
{
    int n;

    k->count++;
    if (k->count > HANDOVER_NAMED || k->used + 1 >= k->cap) {
        return;
    }
    n = snprintf(k->out + k->used, k->cap - k->used, "%s%s", k->count > 1 ? ", " : "", item);
    if (n > 0) {
        k->used += (size_t)n < k->cap - k->used ? (size_t)n : k->cap - k->used - 1;
    }
}

/* An object of call `call` (0: the scenario's) with refs references, one
 * of them the host's. */
static void kept_object(struct kept_list *k, const char *what, uint32_t call, LONG refs)
{
    char item[128];

    if (refs <= 1) {
        return;
    }
    if (call != 0) {
        snprintf(item, sizeof item, "the %s of call %lu (%ld reference%s beyond the host's)", what,
                 (unsigned long)call, (long)refs - 1, refs == 2 ? "" : "s");
    } else {
        snprintf(item, sizeof item, "the %s (%ld reference%s beyond the host's)", what,
                 (long)refs - 1, refs == 2 ? "" : "s");
    }
    kept_add(k, item);
}

void handover_begin(void)
{
    memset(handed, 0, handed_count * sizeof handed[0]);
    handed_count = 0;
}

void handover_call(uint32_t index, IMAPISyncProgressCallback *cb, IUnknown *unknown,
                   IMAPISession *session, int done_due)
{
    struct handed *h;

    if (index == 0 || index > sizeof handed / sizeof handed[0]) {
        return;
    }
    h = &handed[index - 1];
    h->cb = cb;
    h->unknown = unknown;
    h->session = session;
    h->done_due = done_due;
    if (index > handed_count) {
        handed_count = index;
    }
}

size_t handover_kept(IMAPISupport *support, int logoff_mid_sync, char *what, size_t cap)
{
    struct kept_list k = {what, cap, 0, 0};

    if (cap > 0) {
        what[0] = '\0';
    }
    for (size_t i = 0; i < handed_count; i++) {
        const struct handed *h = &handed[i];
        uint32_t call = (uint32_t)(i + 1);
        if (h->cb != NULL) {
            kept_object(&k, "callback", call, fake_callback_refs(h->cb));
        }
        if (h->unknown != NULL) {
            kept_object(&k, "IUnknown-only callback", call, fake_unknown_refs(h->unknown));
        }
        if (h->session != NULL) {
            kept_object(&k, "session", call, fake_session_refs(h->session));
        }
        if (h->done_due && !logoff_mid_sync && h->cb != NULL &&
            fake_callback_done_calls(h->cb) == 0) {
            char item[64];
            snprintf(item, sizeof item, "call %lu's Done, not yet made", (unsigned long)call);
            kept_add(&k, item);
        }
    }
    if (support != NULL) {
        kept_object(&k, "support object", 0, fake_support_refs(support));
    }
    if (k.count > HANDOVER_NAMED && k.used + 1 < k.cap) {
        snprintf(what + k.used, k.cap - k.used, ", and %lu more",
                 (unsigned long)(k.count - HANDOVER_NAMED));
    }
    return k.count;
}
