/* scenario_shrink.c: the candidates of a shrink (scenario_shrink.h). */
#include "scenario/scenario_shrink.h"

#include <string.h>

/* What one key costs before its numbers: dropping a key always beats any
 * number made smaller. */
#define KEY_WEIGHT 1000u

static unsigned popcount(uint32_t v)
{
    unsigned n = 0;

    for (; v != 0; v &= v - 1) {
        n++;
    }
    return n;
}

static uint64_t answer_weight(const struct gen_answer *a)
{
    uint64_t w = KEY_WEIGHT + a->from_call * 10u;

    /* An open range (to_call 0) is one number fewer than a closed one. */
    if (a->to_call != 0) {
        w += 100u + (a->to_call - a->from_call) * 10u;
    }
    return w;
}

uint64_t gen_case_weight(const struct gen_case *gc)
{
    uint64_t w = 0;

    w += gc->flags != GEN_DEFAULT_FLAGS ? KEY_WEIGHT + popcount(gc->flags) * 10u : 0;
    w += gc->arg != GEN_ARG_NONE ? KEY_WEIGHT : 0;
    w += gc->overlap > 1 ? KEY_WEIGHT + gc->overlap * 10u : 0;
    w += gc->repeat > 1 ? KEY_WEIGHT + gc->repeat * 10u : 0;
    for (int m = 0; m < GEN_METHODS; m++) {
        for (uint32_t i = 0; i < gc->answer_count[m]; i++) {
            w += answer_weight(&gc->answers[m][i]);
        }
        w += gc->delay_ms[m] > 0 ? KEY_WEIGHT + gc->delay_ms[m] : 0;
    }
    w += gc->jitter_ms > 0 ? KEY_WEIGHT + gc->jitter_ms : 0;
    w += gc->has_logoff ? KEY_WEIGHT + gc->logoff_ms : 0;
    for (uint32_t i = 0; i < gc->fault_count; i++) {
        /* Every call (nth 0) weighs more than any single one. */
        w += KEY_WEIGHT +
             (gc->faults[i].nth == 0 ? 10u * (GEN_MAX_NTH + 1) : 10u * gc->faults[i].nth);
    }
    w += gc->fast_shutdown ? KEY_WEIGHT : 0;
    return w;
}

unsigned gen_case_keys(const struct gen_case *gc)
{
    unsigned n = 0;

    n += gc->flags != GEN_DEFAULT_FLAGS;
    n += gc->arg != GEN_ARG_NONE;
    n += gc->overlap > 1;
    n += gc->repeat > 1;
    for (int m = 0; m < GEN_METHODS; m++) {
        n += gc->answer_count[m] > 0;
    }
    n += gc->delay_ms[GEN_PROGRESS] + gc->delay_ms[GEN_ERROR] + gc->delay_ms[GEN_DONE] > 0;
    n += gc->jitter_ms > 0;
    n += gc->has_logoff;
    n += gc->fault_count > 0;
    n += gc->fast_shutdown != 0;
    return n;
}

/* The candidates being collected. */
struct cands {
    struct gen_case *out;
    size_t cap, count;
};

static struct gen_case *add(struct cands *c, const struct gen_case *from)
{
    if (c->count == c->cap) {
        return NULL;
    }
    c->out[c->count] = *from;
    return &c->out[c->count++];
}

static void remove_answer(struct gen_case *gc, int m, uint32_t i)
{
    memmove(&gc->answers[m][i], &gc->answers[m][i + 1],
            (gc->answer_count[m] - i - 1) * sizeof gc->answers[m][0]);
    gc->answer_count[m]--;
}

static void remove_fault(struct gen_case *gc, uint32_t i)
{
    memmove(&gc->faults[i], &gc->faults[i + 1], (gc->fault_count - i - 1) * sizeof gc->faults[0]);
    gc->fault_count--;
}

/* Does a fault hit a call past the first? */
static int has_late_fault(const struct gen_case *gc)
{
    for (uint32_t i = 0; i < gc->fault_count; i++) {
        if (gc->faults[i].nth > 1) {
            return 1;
        }
    }
    return 0;
}

/* Whole keys (or entries) dropped. */
static void drop_keys(const struct gen_case *gc, struct cands *c)
{
    struct gen_case *n;

    for (uint32_t i = 0; i < gc->fault_count; i++) {
        if ((n = add(c, gc)) != NULL) {
            remove_fault(n, i);
        }
    }
    for (int m = 0; m < GEN_METHODS; m++) {
        for (uint32_t i = 0; i < gc->answer_count[m]; i++) {
            if ((n = add(c, gc)) != NULL) {
                remove_answer(n, m, i);
            }
        }
        if (gc->delay_ms[m] > 0 && (n = add(c, gc)) != NULL) {
            n->delay_ms[m] = 0;
        }
    }
    if (gc->has_logoff && (n = add(c, gc)) != NULL) {
        n->has_logoff = 0;
        n->logoff_ms = 0;
    }
    if (gc->fast_shutdown && (n = add(c, gc)) != NULL) {
        n->fast_shutdown = 0;
    }
    if (gc->jitter_ms > 0 && (n = add(c, gc)) != NULL) {
        n->jitter_ms = 0;
    }
    if (gc->overlap > 1 && (n = add(c, gc)) != NULL) {
        n->overlap = 1;
    }
    /* Fewer calls make fewer calls to each service: the fault that hit the
     * n-th of them across the calls may be the (n / overlap)-th of one. */
    if (gc->overlap > 1 && has_late_fault(gc) && (n = add(c, gc)) != NULL) {
        n->overlap = 1;
        for (uint32_t i = 0; i < n->fault_count; i++) {
            n->faults[i].nth = (n->faults[i].nth + gc->overlap - 1) / gc->overlap;
        }
    }
    if (gc->repeat > 1 && (n = add(c, gc)) != NULL) {
        n->repeat = 1;
    }
    if (gc->arg != GEN_ARG_NONE && (n = add(c, gc)) != NULL) {
        n->arg = GEN_ARG_NONE;
    }
    if (gc->flags != GEN_DEFAULT_FLAGS && (n = add(c, gc)) != NULL) {
        n->flags = GEN_DEFAULT_FLAGS;
    }
}

/* Flags one bit fewer (never none). */
static void drop_flag_bits(const struct gen_case *gc, struct cands *c)
{
    struct gen_case *n;

    if (gc->flags == GEN_DEFAULT_FLAGS || popcount(gc->flags) < 2) {
        return;
    }
    for (uint32_t bit = 1; bit != 0; bit <<= 1) {
        if ((gc->flags & bit) && (n = add(c, gc)) != NULL) {
            n->flags &= ~bit;
        }
    }
}

static void smaller_answers(const struct gen_case *gc, struct cands *c)
{
    struct gen_case *n;

    for (int m = 0; m < GEN_METHODS; m++) {
        for (uint32_t i = 0; i < gc->answer_count[m]; i++) {
            const struct gen_answer *a = &gc->answers[m][i];
            if (a->from_call > 1 && (n = add(c, gc)) != NULL) {
                n->answers[m][i].from_call--;
                n->answers[m][i].to_call -= a->to_call != 0;
            }
            if (a->to_call != 0 && (n = add(c, gc)) != NULL) {
                n->answers[m][i].to_call = 0; /* an open range: one number fewer */
            }
            if (a->to_call > a->from_call && (n = add(c, gc)) != NULL) {
                n->answers[m][i].to_call--;
            }
        }
        if (gc->delay_ms[m] > 1 && (n = add(c, gc)) != NULL) {
            n->delay_ms[m] = gc->delay_ms[m] / 2;
        }
        if (gc->delay_ms[m] > 1 && (n = add(c, gc)) != NULL) {
            n->delay_ms[m] = gc->delay_ms[m] - 1;
        }
    }
}

/* Numbers made smaller, calls earlier. */
static void smaller_numbers(const struct gen_case *gc, struct cands *c)
{
    struct gen_case *n;

    if (gc->overlap > 2 && (n = add(c, gc)) != NULL) {
        n->overlap--;
    }
    if (gc->repeat > 2 && (n = add(c, gc)) != NULL) {
        n->repeat--;
    }
    for (uint32_t i = 0; i < gc->fault_count; i++) {
        if (gc->faults[i].nth != 1 && (n = add(c, gc)) != NULL) {
            n->faults[i].nth = gc->faults[i].nth == 0 ? 1 : gc->faults[i].nth - 1;
        }
    }
    smaller_answers(gc, c);
    if (gc->has_logoff && gc->logoff_ms > 0 && (n = add(c, gc)) != NULL) {
        n->logoff_ms = gc->logoff_ms / 2;
    }
    if (gc->jitter_ms > 1 && (n = add(c, gc)) != NULL) {
        n->jitter_ms = gc->jitter_ms / 2;
    }
}

size_t gen_shrink_candidates(const struct gen_case *gc, struct gen_case *out, size_t cap)
{
    struct cands c = {out, cap, 0};

    drop_keys(gc, &c);
    drop_flag_bits(gc, &c);
    smaller_numbers(gc, &c);
    return c.count;
}
