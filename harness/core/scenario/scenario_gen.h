/*
 * scenario_gen.h: scenarios made by `synchost explore` (docs/explore.md).
 * A struct gen_case is one host behaviour drawn from the scenario language
 * (flags, the sync's arguments, the callback's answers and delays, a cancel,
 * host faults by service and call number, overlap, repeat, logoff during
 * the sync, fast shutdown, the host's jitter under the seed);
 * gen_case_format() writes it as scenario YAML,
 * which goes through the normal loader (scenario.h), so that an explored
 * scenario runs exactly as `synchost run` runs its file.
 *
 * Pure and deterministic: the same seed and index give the same case, on
 * every machine. Never generated: an `expect:` key (exploring judges with
 * the contract's rules only), anything the loader refuses, a host fault
 * with sync.repeat above 1, a delay or a round count that could outlast the
 * default deadlines. Thread-safe (no state).
 */
#ifndef SYNCHOST_SCENARIO_GEN_H
#define SYNCHOST_SCENARIO_GEN_H

#include <stddef.h>
#include <stdint.h>

#define GEN_MAX_ANSWERS   2 /* entries per callback method */
#define GEN_MAX_FAULTS    2
#define GEN_MAX_DELAY_MS  20u
#define GEN_MAX_OVERLAP   3u
#define GEN_MAX_REPEAT    3u
#define GEN_MAX_NTH       4u
#define GEN_MAX_LOGOFF_MS 100u
#define GEN_MAX_JITTER_MS 10u

enum gen_method { GEN_PROGRESS, GEN_ERROR, GEN_DONE, GEN_METHODS };

/* One answer entry: calls from_call to to_call (0: no end) answer hresult
 * (an index into gen_hresult_name). */
struct gen_answer {
    uint32_t from_call, to_call;
    uint32_t hresult;
};

/* One host fault: service (an index into gen_service_name) fails on its
 * nth call, or on every call when nth is 0. */
struct gen_fault {
    uint32_t service;
    uint32_t nth;
};

/* The sync's arguments, one varied at most (GEN_ARG_NONE: all valid). */
enum gen_arg {
    GEN_ARG_NONE,
    GEN_ARG_SIZE_LARGER,
    GEN_ARG_SESSION_NULL,
    GEN_ARG_CALLBACK_NULL,
    GEN_ARG_CALLBACK_UNKNOWN,
    GEN_ARG_DONE_EVENT_NULL,
    GEN_ARG_PSIB_NULL,
    GEN_ARG_COUNT
};

struct gen_case {
    uint32_t flags; /* SYNC_* bits; GEN_DEFAULT_FLAGS leaves the key out */
    enum gen_arg arg;
    uint32_t overlap; /* 1 to GEN_MAX_OVERLAP */
    uint32_t repeat;  /* 1 to GEN_MAX_REPEAT */
    struct gen_answer answers[GEN_METHODS][GEN_MAX_ANSWERS];
    uint32_t answer_count[GEN_METHODS];
    uint32_t delay_ms[GEN_METHODS]; /* 0 to GEN_MAX_DELAY_MS */
    uint32_t jitter_ms;             /* host.jitter_ms (0 to GEN_MAX_JITTER_MS), 0: none */
    int has_logoff;                 /* host.logoff_after_ms: logoff_ms */
    uint32_t logoff_ms;
    struct gen_fault faults[GEN_MAX_FAULTS];
    uint32_t fault_count;
    int fast_shutdown; /* host.shutdown: fast */
};

#define GEN_DEFAULT_FLAGS 0x80u /* SYNC_DOWNLOAD_CONTENTS, the loader's default */

/* The names the generator writes. NULL past the end. */
const char *gen_hresult_name(uint32_t index);
const char *gen_service_name(uint32_t index);

/* The index-th case of the exploration seeded with seed. */
void gen_case_random(uint64_t seed, uint64_t index, struct gen_case *gc);

/* The case with every key at its default: a scenario with a name only. */
void gen_case_default(struct gen_case *gc);

/* Writes gc as one scenario named name, each line of comment (may be NULL)
 * first as a YAML comment. Returns the length written (NUL excluded), or
 * -1 when cap is too small. */
int gen_case_format(const struct gen_case *gc, const char *name, const char *comment, char *buf,
                    size_t cap);

#endif /* SYNCHOST_SCENARIO_GEN_H */
