/* scenario_gen.c: the scenarios `synchost explore` makes (scenario_gen.h). */
#include "scenario/scenario_gen.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text/splitmix.h"

/* The SYNC_* bits drawn from (docs/scenarios.md, sync.flags). */
static const uint32_t flag_bits[] = {
    0x1u,        /* SYNC_UPLOAD_HIERARCHY */
    0x2u,        /* SYNC_DOWNLOAD_HIERARCHY */
    0x40u,       /* SYNC_UPLOAD_CONTENTS */
    0x80u,       /* SYNC_DOWNLOAD_CONTENTS */
    0x200u,      /* SYNC_OUTGOING_MAIL */
    0x1000u,     /* SYNC_BACKGROUND */
    0x20000u,    /* SYNC_THESE_FOLDERS */
    0x02000000u, /* SYNC_GLOBAL_HEADERS */
    0x20000000u, /* SYNC_ON_DEMAND */
};
static const char *const flag_names[] = {
    "SYNC_UPLOAD_HIERARCHY",  "SYNC_DOWNLOAD_HIERARCHY", "SYNC_UPLOAD_CONTENTS",
    "SYNC_DOWNLOAD_CONTENTS", "SYNC_OUTGOING_MAIL",      "SYNC_BACKGROUND",
    "SYNC_THESE_FOLDERS",     "SYNC_GLOBAL_HEADERS",     "SYNC_ON_DEMAND",
};
#define FLAG_COUNT (sizeof flag_bits / sizeof flag_bits[0])

/* Answers a host may give; index 0 is the default one. A cancel is only
 * meaningful from Progress, but any answer is legal from any method. */
static const char *const hresult_names[] = {
    "S_OK", "MAPI_E_USER_CANCEL", "E_FAIL", "S_FALSE", "E_UNEXPECTED",
};
#define HRESULT_COUNT (sizeof hresult_names / sizeof hresult_names[0])

/* The services the built-in suite fails (scripts/suites/conformance/
 * fault-*.yaml): the ones whose failure a correct provider is known to
 * survive by the contract's rules. MAPIFreeBuffer is left out: a free that
 * fails leaves the buffer held, which leak-mapi-buffers would blame on the
 * provider. */
static const char *const service_names[] = {
    "MAPIAllocateBuffer",  "MAPIAllocateMore",
    "IMalloc::Alloc",      "IMAPISupport::OpenProfileSection",
    "IProfSect::GetProps", "IMAPISession::OpenEntry",
};
#define SERVICE_COUNT (sizeof service_names / sizeof service_names[0])

const char *gen_hresult_name(uint32_t index)
{
    return index < HRESULT_COUNT ? hresult_names[index] : NULL;
}

const char *gen_service_name(uint32_t index)
{
    return index < SERVICE_COUNT ? service_names[index] : NULL;
}

/* The generator's draws (text/splitmix.h). */
static uint64_t next(uint64_t *state)
{
    return splitmix64_next(state);
}

/* A number from 0 to n - 1 (n > 0). */
static uint32_t below(uint64_t *state, uint32_t n)
{
    return (uint32_t)(next(state) % n);
}

/* 1 with probability percent / 100. */
static int chance(uint64_t *state, uint32_t percent)
{
    return below(state, 100) < percent;
}

void gen_case_default(struct gen_case *gc)
{
    memset(gc, 0, sizeof *gc);
    gc->flags = GEN_DEFAULT_FLAGS;
    gc->overlap = 1;
    gc->repeat = 1;
}

static void random_flags(uint64_t *st, struct gen_case *gc)
{
    if (!chance(st, 70)) {
        return;
    }
    gc->flags = 0;
    while (gc->flags == 0) {
        for (size_t i = 0; i < FLAG_COUNT; i++) {
            if (chance(st, 30)) {
                gc->flags |= flag_bits[i];
            }
        }
    }
}

static void random_answers(uint64_t *st, struct gen_case *gc)
{
    static const uint32_t percent[GEN_METHODS] = {45, 15, 20};

    for (int m = 0; m < GEN_METHODS; m++) {
        uint32_t n = chance(st, (uint32_t)percent[m]) ? 1 + below(st, GEN_MAX_ANSWERS) : 0;
        for (uint32_t i = 0; i < n; i++) {
            struct gen_answer *a = &gc->answers[m][i];
            a->from_call = 1 + below(st, 5);
            a->to_call = chance(st, 40) ? a->from_call + below(st, 3) : 0;
            /* Progress answers a cancel most often: the interesting one. */
            a->hresult = m == GEN_PROGRESS && chance(st, 60) ? 1 : 1 + below(st, HRESULT_COUNT - 1);
        }
        gc->answer_count[m] = n;
        if (chance(st, 30)) {
            static const uint32_t delays[] = {1, 2, 3, 5, 6, 8, 10, 15, 20};
            gc->delay_ms[m] = delays[below(st, sizeof delays / sizeof delays[0])];
        }
    }
}

static void random_faults(uint64_t *st, struct gen_case *gc)
{
    uint32_t n;

    if (gc->repeat > 1 || !chance(st, 35)) {
        return; /* never a fault with repeat: see scenario_gen.h */
    }
    n = 1 + below(st, GEN_MAX_FAULTS);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t service = below(st, SERVICE_COUNT);
        int dup = 0;
        for (uint32_t k = 0; k < gc->fault_count; k++) {
            dup |= gc->faults[k].service == service;
        }
        if (dup) {
            continue; /* one entry per service keeps every file readable */
        }
        gc->faults[gc->fault_count].service = service;
        gc->faults[gc->fault_count].nth = chance(st, 20) ? 0 : 1 + below(st, GEN_MAX_NTH);
        gc->fault_count++;
    }
}

void gen_case_random(uint64_t seed, uint64_t index, struct gen_case *gc)
{
    uint64_t st = seed ^ (index * 0xD1B54A32D192ED03ull);

    next(&st); /* a first draw separates neighbouring seeds */
    gen_case_default(gc);
    random_flags(&st, gc);
    if (chance(&st, 8)) {
        gc->arg = (enum gen_arg)(1 + below(&st, GEN_ARG_COUNT - 1));
    }
    if (chance(&st, 30)) {
        gc->overlap = 2 + below(&st, GEN_MAX_OVERLAP - 1);
    }
    if (chance(&st, 15)) {
        gc->repeat = 2 + below(&st, GEN_MAX_REPEAT - 1);
    }
    random_answers(&st, gc);
    random_faults(&st, gc);
    /* The loader refuses logoff_after_ms with repeat (docs/scenarios.md). */
    if (gc->repeat == 1 && chance(&st, 12)) {
        gc->has_logoff = 1;
        gc->logoff_ms = below(&st, GEN_MAX_LOGOFF_MS + 1);
    }
    gc->fast_shutdown = chance(&st, 10);
    /* Last, so that adding it left every earlier draw as it was. */
    if (chance(&st, 10)) {
        static const uint32_t jitters[] = {2, 5, 10};
        gc->jitter_ms = jitters[below(&st, 3)];
    }
}

/* Bounded appending: the writer's state. */
struct out {
    char *buf;
    size_t cap, len;
    int overflow;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->overflow) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->cap - o->len) {
        o->overflow = 1;
        return;
    }
    o->len += (size_t)n;
}

static void put_flags(struct out *o, uint32_t flags)
{
    const char *sep = "";

    put(o, "  flags: [");
    for (size_t i = 0; i < FLAG_COUNT; i++) {
        if (flags & flag_bits[i]) {
            put(o, "%s%s", sep, flag_names[i]);
            sep = ", ";
        }
    }
    put(o, "]\n");
}

static void put_sync(struct out *o, const struct gen_case *gc)
{
    static const char *const args[GEN_ARG_COUNT] = {
        NULL,
        "size: 64",
        "session: null",
        "callback: null",
        "callback: unknown-only",
        "done_event_ptr: null",
        "psib: null",
    };

    if (gc->flags == GEN_DEFAULT_FLAGS && gc->arg == GEN_ARG_NONE && gc->overlap == 1 &&
        gc->repeat == 1) {
        return;
    }
    put(o, "sync:\n");
    if (gc->flags != GEN_DEFAULT_FLAGS) {
        put_flags(o, gc->flags);
    }
    if (gc->arg != GEN_ARG_NONE) {
        put(o, "  %s\n", args[gc->arg]);
    }
    if (gc->overlap > 1) {
        put(o, "  overlap: %u\n", (unsigned)gc->overlap);
    }
    if (gc->repeat > 1) {
        put(o, "  repeat: %u\n", (unsigned)gc->repeat);
    }
}

static void put_answers(struct out *o, const struct gen_case *gc)
{
    static const char *const keys[GEN_METHODS] = {"progress_returns", "error_returns",
                                                  "done_returns"};

    for (int m = 0; m < GEN_METHODS; m++) {
        if (gc->answer_count[m] == 0) {
            continue;
        }
        put(o, "  %s:\n", keys[m]);
        for (uint32_t i = 0; i < gc->answer_count[m]; i++) {
            const struct gen_answer *a = &gc->answers[m][i];
            if (a->to_call != 0) {
                put(o, "    - { from_call: %u, to_call: %u, hresult: %s }\n",
                    (unsigned)a->from_call, (unsigned)a->to_call, hresult_names[a->hresult]);
            } else {
                put(o, "    - { from_call: %u, hresult: %s }\n", (unsigned)a->from_call,
                    hresult_names[a->hresult]);
            }
        }
    }
}

static int host_empty(const struct gen_case *gc)
{
    for (int m = 0; m < GEN_METHODS; m++) {
        if (gc->answer_count[m] != 0 || gc->delay_ms[m] != 0) {
            return 0;
        }
    }
    return gc->jitter_ms == 0 && !gc->has_logoff && gc->fault_count == 0 && !gc->fast_shutdown;
}

static void put_host(struct out *o, const struct gen_case *gc)
{
    if (host_empty(gc)) {
        return;
    }
    put(o, "host:\n");
    put_answers(o, gc);
    if (gc->delay_ms[GEN_PROGRESS] + gc->delay_ms[GEN_ERROR] + gc->delay_ms[GEN_DONE] > 0) {
        put(o, "  delay_ms: { progress: %u, error: %u, done: %u }\n",
            (unsigned)gc->delay_ms[GEN_PROGRESS], (unsigned)gc->delay_ms[GEN_ERROR],
            (unsigned)gc->delay_ms[GEN_DONE]);
    }
    if (gc->jitter_ms > 0) {
        put(o, "  jitter_ms: %u\n", (unsigned)gc->jitter_ms);
    }
    if (gc->has_logoff) {
        put(o, "  logoff_after_ms: %u\n", (unsigned)gc->logoff_ms);
    }
    if (gc->fault_count > 0) {
        put(o, "  faults:\n");
        for (uint32_t i = 0; i < gc->fault_count; i++) {
            if (gc->faults[i].nth == 0) {
                put(o, "    - { service: %s }\n", service_names[gc->faults[i].service]);
            } else {
                put(o, "    - { service: %s, nth: %u }\n", service_names[gc->faults[i].service],
                    (unsigned)gc->faults[i].nth);
            }
        }
    }
    if (gc->fast_shutdown) {
        put(o, "  shutdown: fast\n");
    }
}

int gen_case_format(const struct gen_case *gc, const char *name, const char *comment, char *buf,
                    size_t cap)
{
    struct out o = {buf, cap, 0, cap == 0};

    while (comment != NULL && *comment != '\0') {
        const char *nl = strchr(comment, '\n');
        size_t n = nl != NULL ? (size_t)(nl - comment) : strlen(comment);
        put(&o, "# %.*s\n", (int)n, comment);
        comment += n + (nl != NULL);
    }
    put(&o, "name: %s\n", name);
    put_sync(&o, gc);
    put_host(&o, gc);
    return o.overflow ? -1 : (int)o.len;
}
