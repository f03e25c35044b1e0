/*
 * scenario.h: scenarios, loaded from YAML files (docs/scenarios.md). One scenario per file, or a list under `scenarios:`; a second YAML
 * document (`---`) is an error. Anchors and aliases are accepted. A file is
 * refused past 1 MiB, 32 levels of nesting or 4096 scenarios, and past
 * 1,048,576 YAML nodes or 16 MiB of text once its aliases are expanded (each
 * use of an alias counts what it names in full), or when an alias is inside
 * what it names; so loading takes time and memory linear in the file's size.
 * A file with a NUL byte (a DLL, any binary) is refused as binary data.
 *
 * Deadlines: every deadline key (timeout_ms, return_within_ms,
 * load_timeout_ms, shutdown_timeout_ms) is a whole number of milliseconds
 * from SCENARIO_DEADLINE_MIN_MS to SCENARIO_DEADLINE_MAX_MS, and settle_ms from
 * 0 to SCENARIO_SETTLE_MAX_MS; 0 or a value out of range is an error at its
 * line and column, never a silent default. The command line's --timeout-ms
 * follows the same rule.
 *
 * The sync's arguments (sync.size, session, callback, done_event_ptr, psib)
 * take the words or numbers docs/scenarios.md lists; anything else is an
 * error at its line and column.
 *
 * Unknown keys are errors, never ignored (a misspelt one names the nearest
 * key it could mean). Keys the scenario format names but this version does
 * not act on yet are errors too ("not supported yet"), so that a scenario
 * never silently tests less than it says. docs/scenarios.md defines every
 * key.
 */
#ifndef SYNCHOST_SCENARIO_H
#define SYNCHOST_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/faults.h"
#include "scenario/profile.h"

#define SCENARIO_DEFAULT_TIMEOUT_MS          5000u
#define SCENARIO_DEFAULT_RETURN_WITHIN_MS    1000u
#define SCENARIO_DEFAULT_SETTLE_MS           50u
#define SCENARIO_DEFAULT_LOAD_TIMEOUT_MS     10000u
#define SCENARIO_DEFAULT_SHUTDOWN_TIMEOUT_MS 5000u
#define SCENARIO_MAX_PROGRESS_RETURNS        8 /* entries per callback method */

/* expect.errors.codes; sync.overlap: calls at once (each its own wait
 * handle, within MAXIMUM_WAIT_OBJECTS); sync.repeat: consecutive rounds;
 * host.delay_ms: a minute at most per answer. */
#define SCENARIO_MAX_ERROR_CODES 16
#define SCENARIO_OVERLAP_MAX     16u
#define SCENARIO_REPEAT_MAX      1000u
#define SCENARIO_DELAY_MAX_MS    60000u

/* memory_growth_mib: how far the process's private commit may grow from the
 * end of a scenario's first sync round to the end of its last (leak-memory),
 * in MiB; only with sync.repeat of 2 or more, where growth is measured. */
#define SCENARIO_DEFAULT_MEMORY_GROWTH_MIB 64u
#define SCENARIO_MEMORY_GROWTH_MAX_MIB     65536u /* 64 GiB */

/* sizeof(MAPISIB) on x64, the worker's ABI (the worker asserts it), and the
 * largest sync.size a scenario may ask for. */
#define SCENARIO_SIB_SIZE     32u
#define SCENARIO_SIB_SIZE_MAX 4096u

/* What the host passes in the MAPISIB (sync.session, sync.callback,
 * sync.done_event_ptr, sync.psib); 0 is the valid default of each. */
enum scenario_session { SCENARIO_SESSION_FAKE, SCENARIO_SESSION_NULL };
enum scenario_callback {
    SCENARIO_CALLBACK_FAKE,        /* the recording IMAPISyncProgressCallback */
    SCENARIO_CALLBACK_NULL,        /* punkCallBack NULL */
    SCENARIO_CALLBACK_UNKNOWN_ONLY /* an IUnknown that answers no other interface */
};
enum scenario_pointer { SCENARIO_POINTER_VALID, SCENARIO_POINTER_NULL };

/* host.shutdown: how the host ends the provider's session after the syncs.
 * plain (the default): Logoff, Release, Shutdown, FreeLibrary. fast:
 * Outlook's fast shutdown (IMAPIProviderShutdown) when the provider object
 * offers it and QueryFastShutdown agrees, after which the process ends with
 * nothing released; the plain way otherwise. */
enum scenario_shutdown { SCENARIO_SHUTDOWN_PLAIN, SCENARIO_SHUTDOWN_FAST };
/* The words of host.shutdown, by enum value, NULL-terminated: the scenario
 * file's and the script line's (defined in script_host.c). */
extern const char *const scenario_shutdown_words[];

/* The bounds of every deadline, in the file and on the command line. */
#define SCENARIO_DEADLINE_MIN_MS 1u
#define SCENARIO_DEADLINE_MAX_MS 3600000u /* 1 hour */
#define SCENARIO_SETTLE_MAX_MS   60000u   /* settle_ms: 0 to 1 minute */

/* The host callback's methods, for what is scripted per method. */
enum scenario_method {
    SCENARIO_METHOD_PROGRESS,
    SCENARIO_METHOD_ERROR,
    SCENARIO_METHOD_DONE,
    SCENARIO_METHOD_COUNT
};

/* expect: beyond returns and done.hresult; each has_ says it was written.
 * Every call of the scenario is held to them (sync.overlap, sync.repeat). */
struct scenario_expect {
    int has_progress_min, has_progress_max, has_final_index;
    uint32_t progress_min, progress_max; /* expect.progress.min / max: Progress calls */
    uint32_t final_index;                /* expect.progress.final_index: the last ulIndex */
    int has_error_count, has_error_codes;
    uint32_t error_count;                           /* expect.errors.count */
    uint32_t error_codes[SCENARIO_MAX_ERROR_CODES]; /* expect.errors.codes, in call order */
    size_t error_code_count;
    int has_signaled;
    int signaled; /* expect.event.signaled */
};

/* Where something was written in a scenario file (1-based). */
struct scenario_mark {
    unsigned line, col;
};

struct scenario {
    char *name;          /* required; kebab-case is advised, not enforced */
    char *description;   /* or NULL */
    char *file;          /* where it was loaded from ("<builtin>/x.yaml" for the embedded suite) */
    unsigned line;       /* line of the scenario's first key, 1-based */
    char *provider_path; /* provider.path resolved against the file's folder, or NULL */
    uint32_t flags;      /* sync.flags OR-ed; default SYNC_DOWNLOAD_CONTENTS (0x80) */
    uint32_t sib_size;   /* sync.size: MAPISIB.ulSize; default SCENARIO_SIB_SIZE */
    enum scenario_session session;        /* sync.session; default fake */
    enum scenario_callback callback;      /* sync.callback; default fake */
    enum scenario_pointer done_event_ptr; /* sync.done_event_ptr; default valid */
    enum scenario_pointer psib;           /* sync.psib; default valid */
    uint32_t timeout_ms; /* timeout_ms, or 0 for "not set" (the run's default applies) */
    uint32_t return_within_ms; /* return_within_ms; default SCENARIO_DEFAULT_RETURN_WITHIN_MS */
    uint32_t settle_ms;        /* settle_ms; default SCENARIO_DEFAULT_SETTLE_MS */
    /* load_timeout_ms: the whole load chain (LoadLibrary, MSProviderInit,
     * Logon, QueryInterface); default SCENARIO_DEFAULT_LOAD_TIMEOUT_MS, never 0. */
    uint32_t load_timeout_ms;
    /* shutdown_timeout_ms: Logoff, Shutdown, Release, FreeLibrary and the
     * provider's threads ending; default SCENARIO_DEFAULT_SHUTDOWN_TIMEOUT_MS,
     * never 0. */
    uint32_t shutdown_timeout_ms;
    /* memory_growth_mib, or 0 for "not set" (SCENARIO_DEFAULT_MEMORY_GROWTH_MIB
     * applies). */
    uint32_t memory_growth_mib;
    int has_expect_returns;
    uint32_t expect_returns; /* expect.returns */
    int has_expect_done_hr;
    uint32_t expect_done_hr;               /* expect.done.hresult */
    char **skip_rules;                     /* rules.skip: rule ids, validated by the caller */
    struct scenario_mark *skip_rule_marks; /* where each id is written */
    size_t skip_rule_count;
    /* host.progress_returns: from the from_call-th Progress call on (1-based)
     * to the to_call-th (0: no end), the host's callback answers hresult; of
     * the entries that cover a call, the one with the largest from_call wins
     * (the later one on a tie). */
    struct scenario_progress_return {
        uint32_t from_call;
        uint32_t hresult;
        uint32_t to_call;
    } progress_returns[SCENARIO_MAX_PROGRESS_RETURNS];
    size_t progress_return_count;
    /* Added by the scenario language's second version (docs/scenarios.md). */
    struct scenario_progress_return error_returns[SCENARIO_MAX_PROGRESS_RETURNS];
    size_t error_return_count; /* host.error_returns, as progress_returns for Error */
    struct scenario_progress_return done_returns[SCENARIO_MAX_PROGRESS_RETURNS];
    size_t done_return_count; /* host.done_returns, for Done */
    /* host.delay_ms: how long the callback sleeps before it answers. */
    uint32_t delay_ms[SCENARIO_METHOD_COUNT];
    /* host.jitter_ms: each answer's delay grows by 0 to this many ms, drawn
     * from the run's --seed, the call and the method (reproducible per
     * seed); 0 when unset. */
    uint32_t jitter_ms;
    /* host.logoff_after_ms: the host logs off and releases the store this
     * long after the (first) call when the sync still runs; 0 when unset. */
    int has_logoff_after;
    uint32_t logoff_after_ms;
    enum scenario_shutdown shutdown; /* host.shutdown; default plain */
    uint32_t overlap;              /* sync.overlap: calls made without waiting; default 1 */
    uint32_t repeat;               /* sync.repeat: rounds of calls in one logon; default 1 */
    struct scenario_expect expect; /* expect.progress, expect.errors, expect.event */
    /* host.faults: the host services that fail, and on which calls (faults.h);
     * malloc'd, fault_count entries (at most FAULT_MAX_SPECS), or NULL. */
    struct fault_spec *faults;
    size_t fault_count;
    /* provider.profile: what the profile section answers at Logon
     * (profile.h); malloc'd, profile_count entries (at most
     * PROFILE_MAX_PROPS), or NULL for the default (PR_DISPLAY_NAME only). */
    struct profile_prop *profile;
    size_t profile_count;
};

/* How many calls the scenario makes in all: overlap * repeat (at least 1). */
uint32_t scenario_call_count(const struct scenario *sc);

struct scenario_list {
    struct scenario *items;
    size_t count;
    size_t cap;
};

/* Where loading failed: "file:line:col: message". */
struct scenario_error {
    char file[512];
    unsigned line; /* 1-based; 0 when the file could not be read at all */
    unsigned col;  /* 1-based */
    char message[512];
};

/* Loads every scenario in the file at path and appends them to list.
 * Returns 0, or -1 with err filled in (nothing is appended then). */
int scenario_load_file(const char *path, struct scenario_list *list, struct scenario_error *err);

/* The same from a buffer; name stands for the file in messages and in
 * scenario.file; relative provider paths resolve against base_dir (may be
 * NULL: left as written). */
int scenario_load_buffer(const char *name, const char *base_dir, const char *data, size_t len,
                         struct scenario_list *list, struct scenario_error *err);

/* "file:line:col: message" into buf. Returns buf. */
const char *scenario_error_format(const struct scenario_error *err, char *buf, size_t cap);

void scenario_list_free(struct scenario_list *list);

/* Are the sync's arguments all valid (psib and done_event_ptr valid, size at
 * least sizeof(MAPISIB), the fake callback and session)? The rules that
 * expect a successful sync apply only then (rules/). */
int scenario_args_valid(const struct scenario *sc);

#endif /* SYNCHOST_SCENARIO_H */
