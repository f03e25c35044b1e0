/*
 * script.h: what the host does in one scenario, as the worker needs it, and
 * its line codec: the supervisor-to-worker half of the protocol (the events
 * coming back are wire.h's).
 *
 * A scenario (scenario.h) says what to do and what to expect; its script is
 * the part the worker acts on, with every default already resolved. The
 * default values are named once, in scenario.h (SCENARIO_DEFAULT_*,
 * SCENARIO_SIB_SIZE); the scenario loader (scenario.c) gives a scenario the
 * defaults of the keys its file leaves out, script_from_scenario() those
 * that depend on the run (the sync's deadline: the scenario's, else
 * --timeout-ms, else the default), and script_parse() gives a line that
 * leaves a field out the same defaults, so that a script line written by
 * hand runs as the scenario would. One script per line (line.h):
 *
 *     script name=on-demand provider=Z:%5Cp%5Cref.dll flags=0x20000080
 *         timeout=5000 settle=50 shutdown=5000 size=32 session=fake callback=fake
 *         done_event_ptr=valid psib=valid progress_return=3:0x80040113
 *         error_return=1-2:0x80004005 delay_done=20 logoff_after=10 overlap=2 repeat=3
 *         memory_growth=64
 *         fault=MAPIAllocateBuffer,2,2,0x8007000e profiles=1
 *         profile=0x3001001f,0,54657374 shutdown_mode=fast
 *
 * A fault is SERVICE,FROM,TO,HRESULT (faults.h); a profile property is
 * TAG,NUMBER,DATA with DATA in hex (profile.h). profiles=N says the scenario
 * set the profile (N properties, 0 included); without it the worker's
 * profile section has its default.
 *
 * The worker's standard input carries the sealing key (seal.h), then one
 * script per scenario; end of input tells the worker to unload the provider
 * and exit. Portable C.
 */
#ifndef SYNCHOST_SCRIPT_H
#define SYNCHOST_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"

#define SCRIPT_PATH_MAX 4096
#define SCRIPT_NAME_MAX 256
/* Longest script line, newline included. */
#define SCRIPT_LINE_MAX                                                                            \
    (3 * (SCRIPT_PATH_MAX + SCRIPT_NAME_MAX) + 2048 + FAULT_MAX_SPECS * 96 +                      \
     PROFILE_MAX_PROPS * (2 * PROFILE_VALUE_MAX + 64))

struct host_script {
    char name[SCRIPT_NAME_MAX];     /* the scenario's, for people reading a trace */
    char provider[SCRIPT_PATH_MAX]; /* the DLL, as the worker opens it */
    uint32_t flags;                 /* MAPISIB ulFlags */
    uint32_t timeout_ms;            /* the wait for the done event, from the call */
    uint32_t settle_ms;             /* watching after the event */
    uint32_t shutdown_timeout_ms;   /* Logoff to unload; the worker fits its watch in it */
    int probe;                      /* the load chain only, no sync */
    /* The sync's arguments (scenario.h): MAPISIB.ulSize, and what the host
     * passes for psesSync, punkCallBack, phSyncDoneEvent and the MAPISIB
     * itself. A line without them means the valid defaults. */
    uint32_t sib_size;
    enum scenario_session session;
    enum scenario_callback callback;
    enum scenario_pointer done_event_ptr;
    enum scenario_pointer psib;
    /* From the from_call-th Progress on (to the to_call-th, when not 0), the
     * callback answers hresult; the same for Error and Done. Fields
     * progress_return, error_return, done_return: FROM[-TO]:HRESULT. */
    struct scenario_progress_return progress_returns[SCENARIO_MAX_PROGRESS_RETURNS];
    size_t progress_return_count;
    struct scenario_progress_return error_returns[SCENARIO_MAX_PROGRESS_RETURNS];
    size_t error_return_count;
    struct scenario_progress_return done_returns[SCENARIO_MAX_PROGRESS_RETURNS];
    size_t done_return_count;
    uint32_t delay_ms[SCENARIO_METHOD_COUNT]; /* delay_progress, delay_error, delay_done */
    /* host.jitter_ms (jitter) and the run's seed it is drawn from
     * (jitter_seed, set by the supervisor: script_set_seed); 0: none. */
    uint32_t jitter_ms;
    uint64_t jitter_seed;
    int has_logoff_after;                     /* logoff_after: present or not */
    uint32_t logoff_after_ms;
    uint32_t overlap; /* calls per round; a line without it means 1 */
    uint32_t repeat;  /* rounds; a line without it means 1 */
    /* leak-memory's bound in MiB (memory_growth), carried when repeat is
     * above 1; a line without it means SCENARIO_DEFAULT_MEMORY_GROWTH_MIB. */
    uint32_t memory_growth_mib;
    /* host.faults: the services that fail, and on which calls. */
    struct fault_spec faults[FAULT_MAX_SPECS];
    size_t fault_count;
    /* provider.profile: has_profile says the scenario set it (else the
     * profile section's default); profile_count properties. */
    int has_profile;
    struct profile_prop profile[PROFILE_MAX_PROPS];
    size_t profile_count;
    /* host.shutdown (shutdown_mode=plain|fast; a line without it: plain). */
    enum scenario_shutdown shutdown_mode;
};

/* The script of sc against provider (already in the form the worker opens),
 * with run_timeout_ms (--timeout-ms, 0 = none) standing in for a timeout the
 * scenario does not set. */
void script_from_scenario(const struct scenario *sc, const char *provider, uint32_t run_timeout_ms,
                          int probe, struct host_script *out);

/* The run's --seed, for the jitter of a script that has one. */
void script_set_seed(struct host_script *s, uint64_t seed);

/* The sync's deadline the script carries: the scenario's own, else the
 * run's, else the default. */
uint32_t script_timeout_ms(const struct scenario *sc, uint32_t run_timeout_ms);

/* Encodes s as one line with its '\n' into buf (SCRIPT_LINE_MAX bytes never
 * truncate). Returns the length. */
size_t script_format(const struct host_script *s, char *buf, size_t cap);

/* Decodes one line (without its '\n'). Returns 0, or -1 for a line that is
 * not a script (unknown fields are skipped, as in wire.h). */
int script_parse(const char *line, size_t len, struct host_script *out);

#endif /* SYNCHOST_SCRIPT_H */
