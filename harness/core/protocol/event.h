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

enum event_kind {
    EVENT_HELLO,    /* worker started: text = architecture, handle = pid */
    EVENT_LOAD,     /* a load-chain step ended: step, hr, text = detail */
    EVENT_CALL,     /* SynchronizeInBackground entered: flags */
    EVENT_RETURN,   /* it returned: hr, handle = *phSyncDoneEvent, value = 1 if waitable,
                       index = ms the machine kept the calling thread from running during the call,
                       index_max = the call's own duration in us, stamped right around it
                       (0: not measured; the time from `call` is used) */
    EVENT_PROGRESS, /* Progress: index, index_max, text_state, text; hr = what the host answered;
                       value = the text's length in UTF-16 code units, as far as read */
    EVENT_ERROR,    /* Error: hr = the provider's hResult, text_state, text, value as Progress */
    EVENT_DONE,     /* Done: handle = hThreadDoneEvent, hr = hResult, value = enum
                       done_event_state (the done event's state as Done began) */
    EVENT_EVENT_SIGNALED, /* the done event was seen signaled */
    EVENT_EVENT_TIMEOUT,  /* the deadline passed with the done event unsignaled */
    EVENT_ADDREF,         /* AddRef on a host object: step = enum host_object, text = its name,
                             value = count after */
    EVENT_RELEASE,        /* Release on a host object: as EVENT_ADDREF */
    EVENT_QI,             /* QueryInterface on a host object: step = enum host_object, index =
                             enum iid_kind, text = "object {iid}", hr = answer */
    EVENT_SESSION_CALL,   /* a session method: text = method, hr = answer */
    EVENT_SUPPORT_CALL,   /* an IMAPISupport method: text = method, hr = answer */
    EVENT_ALLOC,          /* MAPIAllocateBuffer/More: value = size, handle = address */
    EVENT_FREE,           /* MAPIFreeBuffer: handle = address */
    EVENT_DEBUG_OUTPUT,   /* OutputDebugString: text; value = the whole length when cut */
    EVENT_CRASH,          /* unhandled exception: hr = exception code, handle = address,
                             text = "module+0xoffset" */
    EVENT_EXIT,           /* added by the supervisor when the worker ended without `end`:
                             value = exit status (128 + signal when killed), text = how */
    EVENT_SETTLED,        /* the settle period after the sync ended: value = 1 if the host's
                             CloseHandle of the done event succeeded, 0 if it failed,
                             2 if there was no handle to close, 3 if the provider's code
                             closed it first (text = its call site; the host left it) */
    EVENT_LOGOFF,         /* the host logged off: hr of IMSLogon::Logoff */
    EVENT_END,            /* the worker finished the scenario normally: value = its status */
    EVENT_PHASE,          /* the host enters a phase: step = enum host_phase, text = its name */
    EVENT_UNLOADED,       /* the provider DLL was freed and its threads watched: value = threads
                             not yet ended when the watch stopped; step UNLOAD_HELD: the DLL
                             was not freed, value threads still ran its code after the
                             shutdown bound (their stacks just before), text = the first;
                             step UNLOAD_RETIRED, before the scenario's end: the provider
                             still holds what the host handed over for it (text = what), so
                             the worker runs nothing else and unloads next */
    EVENT_INTEGRITY,      /* the event stream cannot be trusted any further (added by the
                             supervisor, or said by the worker when a handle of its own was
                             closed under it): text = what broke; value = 1 when the worker
                             refused the provider's close of a host handle and the stream
                             stays trustworthy (host-integrity all the same) */
    EVENT_FRAME,          /* one frame of a thread's stack, after a `crash` (the faulting thread)
                             or in a dump (every thread, ended by `stacks`): thread = whose
                             stack, index = frame number (0 innermost), handle = address,
                             value = stack pointer, text = "module+0xoffset (symbol+0xnn)" */
    EVENT_STACKS,         /* the end of a dump of every thread's stack, taken when the host
                             gave up waiting: value = threads walked, text = why */
    EVENT_PROVIDER_QI,    /* the host's QueryInterface on a provider object (com-qi-rules):
                             step = enum provider_object, index = enum iid_kind (IID_KIND_IUNKNOWN,
                             or IID_KIND_OTHER for an IID nobody implements), hr = the answer,
                             handle = *ppv's bits, text = what was asked */
    EVENT_HANDLES,        /* after Shutdown and Release: index = handles the provider's code
                             opened since MSProviderInit, index_max = how many of them are still
                             open, value = threads started since still running after a wait,
                             text = the first still open, with its call site (leak-handles) */
    EVENT_THREADS,        /* after the done event and the settle period: value = threads started
                             since the call still running once the host waited index ms for them
                             to end (leak-threads) */
    EVENT_FAST_SHUTDOWN,  /* host.shutdown: fast: a step of the fast-shutdown sequence on the
                             provider object: step = enum fast_step, hr = the answer, text = the
                             method; for FAST_STEP_QI handle = *ppv's bits; for FAST_STEP_DO
                             value = the provider's threads still running once the host waited
                             index ms for them to end (after it, the worker process exits) */
    EVENT_SIDE_EFFECT,    /* something the provider left or changed beyond its calls:
                             step = enum side_effect. SIDE_EFFECT_SIB: call = the call,
                             index = 0 seen when it returned, 1 after the settle period,
                             text = what changed. SIDE_EFFECT_PROCESS: a process the
                             provider started still running after the shutdown (ended by
                             the host): handle = its pid, text = its image name.
                             SIDE_EFFECT_MEMORY: value = bytes of private commit grown from
                             the end of the first sync round to the end of the last,
                             index = the bound in MiB, index_max = the rounds after the
                             first */
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
    uint32_t step;      /* enum load_step, for EVENT_LOAD */
    uint32_t flags;     /* MAPISIB ulFlags, for EVENT_CALL */
    uint32_t index;     /* Progress ulIndex */
    uint32_t index_max; /* Progress ulIndexMax */
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
