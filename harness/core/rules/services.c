/* services.c: the host services as the judge follows them (rules_host.h). */
#include "rules/rules_host.h"

#include "rules/rules.h"
#include "text/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALLOC_ROOT_TEXT "MAPIAllocateBuffer"

void judge_host_init(struct judge_host *h)
{
    memset(h, 0, sizeof *h);
    h->fault_seq = -1;
}

void judge_host_free(struct judge_host *h)
{
    free(h->live);
    judge_host_init(h);
}

static void add_live(struct judge_host *h, const struct event *ev)
{
    struct judge_buffer *p = grow_room(h->live, &h->live_cap, h->live_count, sizeof *p, 16);

    if (p == NULL) {
        h->out_of_memory = 1;
        return;
    }
    h->live = p;
    h->live[h->live_count] = (struct judge_buffer){ev->handle, ev->value, (int64_t)ev->seq, ""};
    snprintf(h->live[h->live_count].where, sizeof h->live[0].where, "%s",
             ev->text + strlen(ALLOC_ROOT_TEXT) + (ev->text[strlen(ALLOC_ROOT_TEXT)] == ' '));
    h->live_count++;
}

/* Buffers are mostly freed newest first: searched from the end. */
static void remove_live(struct judge_host *h, uint64_t addr)
{
    for (size_t i = h->live_count; i-- > 0;) {
        if (h->live[i].addr == addr) {
            memmove(&h->live[i], &h->live[i + 1], (h->live_count - i - 1) * sizeof h->live[0]);
            h->live_count--;
            return;
        }
    }
}

void judge_host_event(struct judge_host *h, const struct event *ev)
{
    if ((ev->kind == EVENT_ALLOC || ev->kind == EVENT_FREE || ev->kind == EVENT_SUPPORT_CALL ||
         ev->kind == EVENT_SESSION_CALL) &&
        ev->step == 1 && h->fault_seq < 0) {
        h->fault_seq = ev->seq;
        snprintf(h->fault_what, sizeof h->fault_what, "%s, call %lu, answered 0x%08lX",
                 ev->text != NULL ? ev->text : "a host service", (unsigned long)ev->index,
                 (unsigned long)ev->hr);
    }
    if (ev->kind == EVENT_ALLOC && ev->hr == 0 && ev->handle != 0 && ev->text != NULL &&
        strncmp(ev->text, ALLOC_ROOT_TEXT, strlen(ALLOC_ROOT_TEXT)) == 0) {
        add_live(h, ev);
    } else if (ev->kind == EVENT_FREE && ev->value > 0) {
        /* value: the blocks the call freed (a failing free that was
         * injected still frees). */
        remove_live(h, ev->handle);
    }
}

size_t judge_host_leaks(const struct judge_host *h, const struct judge_buffer **first)
{
    if (h->out_of_memory || h->live_count == 0) {
        return 0;
    }
    *first = &h->live[0];
    return h->live_count;
}

int judge_host_after_fault(const struct judge_host *h, const char *rule)
{
    const struct rule_info *info = rules_find(rule);

    if (h->fault_seq < 0 || info == NULL) {
        return 0; /* no fault injected, or an expectation (expect.*) */
    }
    switch (info->rule) {
    case RULE_NO_CRASH: /* to survive the fault */
    case RULE_NO_EXIT:
    case RULE_NO_HANG:
    case RULE_EVENT_SIGNALED:
        return 1;
    case RULE_LOAD_ENTRY_POINT: /* to answer it: a failure is the right answer */
    case RULE_LOAD_LOGON:
    case RULE_LOAD_QI_IMAPISYNC:
    case RULE_SIB_RETURNS_S_OK:
        return -1;
    default:
        return 0;
    }
}
