/*
 * event.h: what the worker observes, one record per thing that happened.
 *
 * The worker fills these in as the provider calls the host (from any
 * thread) and puts each into the event ring it shares with the supervisor
 * (ring.h, fakes/recorder.h) at once, so that a crash loses nothing already
 * seen. The supervisor reads them out of the ring (worker_proc.c), checks
 * their seals, keeps them in a trace and judges the trace on one thread. A
 * worker run by hand prints each as a line instead (wire_format(), wire.h).
 *
 * Portable C: built natively and for Windows; knows nothing of Win32 or libuv.
 */
#ifndef SYNCHOST_EVENT_H
#define SYNCHOST_EVENT_H

#include <stddef.h>
#include <stdint.h>

/* The kinds, in the order of events.def, which says what each carries and
 * how the reports and the console render it. */
enum event_kind {
#define EVENT(sym, name, text_key, fields, lines) EVENT_##sym,
#include "events.def"
#undef EVENT
    EVENT_KIND_COUNT
};

/* EVENT_UNLOADED's step: 0 the DLL was freed; UNLOAD_HELD it was kept
 * loaded under threads still running its code, and the worker retired. */
#define UNLOAD_HELD 1u
/* EVENT_UNLOADED's step when the scenario ended with its objects or a Done
 * still held by the provider (harness/worker/handover.h): the worker is
 * retired, and unloads after the scenario's end as its last. */
#define UNLOAD_RETIRED 2u

/* The steps of Outlook's fast shutdown of a provider (EVENT_FAST_SHUTDOWN:
 * step), in their order. */
enum fast_step {
    FAST_STEP_QI,     /* IMSProvider::QueryInterface(IID_IMAPIProviderShutdown) */
    FAST_STEP_QUERY,  /* IMAPIProviderShutdown::QueryFastShutdown */
    FAST_STEP_NOTIFY, /* IMAPIProviderShutdown::NotifyProcessShutdown */
    FAST_STEP_DO,     /* IMAPIProviderShutdown::DoFastShutdown */
    FAST_STEP_COUNT
};

/* The host objects a provider calls (EVENT_QI, EVENT_ADDREF, EVENT_RELEASE:
 * step); the fakes name them so (host_object_name). */
enum host_object {
    HOST_OBJECT_OTHER,
    HOST_OBJECT_CALLBACK,         /* punkCallBack: the IMAPISyncProgressCallback */
    HOST_OBJECT_UNKNOWN_CALLBACK, /* punkCallBack that answers IUnknown alone */
    HOST_OBJECT_SESSION,
    HOST_OBJECT_SUPPORT,
    HOST_OBJECT_PROFSECT,
    HOST_OBJECT_COUNT
};

/* The interfaces a QueryInterface can ask for, as far as the rules care
 * (EVENT_QI, EVENT_PROVIDER_QI: index). */
enum iid_kind {
    IID_KIND_OTHER,         /* any other IID (for EVENT_PROVIDER_QI: one nobody implements) */
    IID_KIND_IUNKNOWN,      /* IID_IUnknown */
    IID_KIND_SYNC_CALLBACK, /* IID_IMAPISyncProgressCallback */
    IID_KIND_COUNT
};

/* The provider's objects the host asks (EVENT_PROVIDER_QI: step). */
enum provider_object {
    PROVIDER_OBJECT_STORE,     /* the IMsgStore from Logon */
    PROVIDER_OBJECT_IMAPISYNC, /* what the store answered for IID_IMAPISync */
    PROVIDER_OBJECT_COUNT
};

/* The done event's state when Done began (EVENT_DONE: value), asked of the
 * object manager without a wait (a wait would consume an auto-reset
 * event's signal). */
enum done_event_state {
    DONE_EVENT_UNKNOWN,    /* no event yet, or not an event the host could ask about */
    DONE_EVENT_UNSIGNALED, /* not signaled: Done came first, as it must */
    DONE_EVENT_SIGNALED,   /* already signaled before Done (done-before-event) */
};

/* What EVENT_SIDE_EFFECT reports (step). */
enum side_effect {
    SIDE_EFFECT_SIB,     /* the MAPISIB the host passed was written into (sib-unchanged) */
    SIDE_EFFECT_PROCESS, /* a process still running after the shutdown (leak-processes) */
    SIDE_EFFECT_MEMORY,  /* private commit grew across syncs past the bound (leak-memory) */
    SIDE_EFFECT_COUNT
};

/* Load-chain steps, in the order Outlook performs them. */
enum load_step {
    LOAD_STEP_DLL,          /* LoadLibrary */
    LOAD_STEP_ENTRY_POINT,  /* GetProcAddress("MSProviderInit") and the call */
    LOAD_STEP_LOGON,        /* IMSProvider::Logon */
    LOAD_STEP_QI_IMAPISYNC, /* IMsgStore::QueryInterface(IID_IMAPISync) */
    LOAD_STEP_IDENTITY,     /* probe only: one IUnknown for the store and its IMAPISync */
    LOAD_STEP_COUNT
};

/* The phases of a scenario in the host, each with its own deadline: the
 * load chain (LoadLibrary to QueryInterface), the sync (the call, the wait
 * for the done event, the settle period), the shutdown (Logoff, Shutdown,
 * Release) and the unload (FreeLibrary, then the provider's threads are
 * watched until they end). */
enum host_phase {
    PHASE_LOAD,
    PHASE_SYNC,
    PHASE_SHUTDOWN,
    PHASE_UNLOAD,
    PHASE_COUNT
};

/* What the worker could make of a WCHAR string the provider passed. */
enum text_state {
    TEXT_NONE,       /* no string argument, or not looked at */
    TEXT_NULL,       /* a NULL pointer */
    TEXT_OK,         /* readable, terminated, well-formed: text holds it as UTF-8 */
    TEXT_UNREADABLE, /* the pointer cannot be read */
    TEXT_TOO_LONG,   /* no NUL within the scan bound (64 Ki units): unterminated */
    TEXT_LONG,       /* terminated and well-formed, but longer than 1024 units: text holds
                        the first 1024, value (Progress, Error) the length in units */
    TEXT_ILL_FORMED, /* unpaired surrogate: text holds it with U+FFFD */
};

/* Longest text carried by one event, in bytes of UTF-8 (1024 UTF-16 units
 * can take up to 3 bytes each). */
#define EVENT_TEXT_MAX 3100

struct event {
    uint32_t seq;    /* 0, 1, 2 ... in the order the worker recorded them */
    uint64_t t_us;   /* microseconds since the worker started (monotonic) */
    uint32_t thread; /* the Win32 thread id of the caller */
    enum event_kind kind;
    uint32_t hr;        /* an HRESULT, as its 32 bits */
    /* What the members below mean for each kind: events.def. */
    uint32_t step;      /* a step, object or variant (enum load_step for load, ...) */
    uint32_t flags;     /* MAPISIB ulFlags, for call */
    uint32_t index;     /* Progress ulIndex, or a number of the kind's */
    uint32_t index_max; /* Progress ulIndexMax, or a second number */
    uint64_t handle;    /* a handle or address, as its bits */
    uint64_t value;     /* a count, size or status (see the kinds) */
    enum text_state text_state;
    const char *text; /* UTF-8, NUL-terminated, or NULL; not owned */
    /* Which SynchronizeInBackground call of the scenario the event belongs
     * to, from 1 (sync.overlap and sync.repeat make several): set on call,
     * return, progress, error, done, event_signaled, event_timeout, settled
     * and on the callback's qi, addref and release. 0: the scenario's as a
     * whole (the load chain, a crash, ...). At most EVENT_CALL_MAX. */
    uint32_t call;
};

#define EVENT_CALL_MAX 16383u

/* The kind's name as reports print it ("progress", "event_signaled"), and back.
 * event_kind_from_name returns -1 for an unknown name. */
const char *event_kind_name(enum event_kind kind);
int event_kind_from_name(const char *name, size_t len);

const char *load_step_name(enum load_step step); /* "load-dll", "load-entry-point", ... */
const char *text_state_name(enum text_state state);
const char *host_phase_name(enum host_phase phase); /* "load", "sync", "shutdown", "unload" */
/* "callback", "unknown-callback", "session", "support", "profsect"; "other". */
const char *host_object_name(enum host_object object);
/* The object a fake's name stands for (HOST_OBJECT_OTHER for none). */
enum host_object host_object_from_name(const char *name);
const char *provider_object_name(enum provider_object object); /* "store", "IMAPISync" */
/* "QueryInterface(IID_IMAPIProviderShutdown)", "QueryFastShutdown", ... */
const char *fast_step_name(enum fast_step step);

#endif /* SYNCHOST_EVENT_H */
