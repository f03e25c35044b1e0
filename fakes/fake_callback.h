/*
 * fake_callback.h: the IMAPISyncProgressCallback the host passes to the
 * provider as MAPISIB.punkCallBack.
 *
 * Every call is recorded (recorder.h), from whatever thread the provider
 * calls on, and answered as the config scripts:
 *
 *   QueryInterface  IID_IUnknown and IID_IMAPISyncProgressCallback answer S_OK
 *                   with the same pointer (AddRef'd); anything else
 *                   E_NOINTERFACE with *ppv = NULL. Recorded as EVENT_QI,
 *                   text "callback {iid}", hr = the answer.
 *   AddRef/Release  EVENT_ADDREF / EVENT_RELEASE, text "callback", value =
 *                   the count after (Interlocked).
 *   Progress        EVENT_PROGRESS: index, index_max, text_state and text
 *                   (provider_text.h), hr = what the host answered.
 *   Error           EVENT_ERROR: hr = the provider's hResult, text_state, text.
 *   Done            EVENT_DONE: handle = hThreadDoneEvent's bits, hr = hResult,
 *                   value = the done event's state as Done began (config).
 *
 * Lifetime: the object is created with one reference, the host's, and the
 * host never Releases it. Release does not free at zero: the host destroys
 * the object with fake_callback_destroy, so a provider that over-releases or
 * calls after its last Release is recorded (the count goes to 0 or below)
 * rather than becoming a use-after-free in the harness. The provider's
 * balance is therefore fake_callback_refs() - 1.
 *
 * Threading: every method may be called concurrently from any thread.
 * fake_callback_create/destroy are the host's, on one thread; destroy only
 * once no provider thread can call any more (after the done event and the
 * settle period). When in doubt, do not destroy: leaking one small object is
 * harmless, calling into freed memory is not.
 *
 * The hot path (Progress) takes no heap allocation and no lock other than
 * the recorder's. Win32 only.
 */
#ifndef SYNCHOST_FAKE_CALLBACK_H
#define SYNCHOST_FAKE_CALLBACK_H

#include <stdint.h>

#include <synchost/mapisync.h>

/* How many Progress answers a script may hold. */
#define FAKE_CALLBACK_MAX_PROGRESS_RETURNS 8

/* From the from_call-th call of a method on (1-based, counting every call
 * of that method on this object) to the to_call-th (0: no end), the method
 * answers hresult. */
struct fake_callback_progress_return {
    ULONG from_call;
    HRESULT hresult;
    ULONG to_call;
};

/* The methods whose answer and delay a script sets. */
enum fake_callback_method {
    FAKE_CALLBACK_PROGRESS,
    FAKE_CALLBACK_ERROR,
    FAKE_CALLBACK_DONE,
    FAKE_CALLBACK_METHODS
};

/* The script. All zero (or a NULL config) means: every method answers S_OK
 * at once. Entries need not be sorted; for a given call, of the entries
 * that cover it the one with the largest from_call wins (the later one on a
 * tie; from_call 0 never applies). Example: {{3, MAPI_E_USER_CANCEL}}
 * answers Progress S_OK twice, then cancel. */
struct fake_callback_config {
    struct fake_callback_progress_return progress_returns[FAKE_CALLBACK_MAX_PROGRESS_RETURNS];
    size_t progress_return_count; /* entries used; more than the maximum are ignored */
    HRESULT error_returns;        /* what Error answers when no entry below covers the call */
    HRESULT done_returns;         /* what Done answers when no entry below covers the call */
    struct fake_callback_progress_return error_entries[FAKE_CALLBACK_MAX_PROGRESS_RETURNS];
    size_t error_entry_count;
    struct fake_callback_progress_return done_entries[FAKE_CALLBACK_MAX_PROGRESS_RETURNS];
    size_t done_entry_count;
    /* How long each method sleeps, after recording the call and before
     * answering, in milliseconds (a slow host: its UI thread busy). */
    DWORD delay_ms[FAKE_CALLBACK_METHODS];
    /* Each answer's delay grows by 0 to jitter_ms, drawn from jitter_seed,
     * call and the method's call count: the same for the same seed. */
    DWORD jitter_ms;
    ULONG64 jitter_seed;
    /* The sync call of the scenario this callback is passed to, from 1: put
     * on every event it records (event.h's call); 0 for none. */
    uint32_t call;
    /* Asked first thing in Done, with done_event_ctx: the done event's state
     * (enum done_event_state, event.h), recorded in the done event's value
     * so that a signal that came before Done is seen (done-before-event).
     * NULL: DONE_EVENT_UNKNOWN. Called on the provider's thread. */
    int (*done_event_state)(void *ctx);
    void *done_event_ctx; /* which call's event: the host's own pointer */
};

/* Creates a callback with one reference (the host's); the config is copied
 * (cfg may be NULL for all S_OK). Returns S_OK, E_POINTER for a NULL out, or
 * E_OUTOFMEMORY (then *out = NULL). Records nothing. */
HRESULT fake_callback_create(const struct fake_callback_config *cfg,
                             IMAPISyncProgressCallback **out);

/* Frees the object whatever its count (see Lifetime above). NULL is ignored.
 * Records nothing. */
void fake_callback_destroy(IMAPISyncProgressCallback *cb);

/* The current reference count (1 = only the host's). */
LONG fake_callback_refs(IMAPISyncProgressCallback *cb);

/* How many times Progress, Error and Done were called so far. Progress's
 * count is exact when answers are scripted; without, it may miss calls made
 * by two threads at the same instant (it is counted without a lock). */
ULONG fake_callback_progress_calls(IMAPISyncProgressCallback *cb);
ULONG fake_callback_error_calls(IMAPISyncProgressCallback *cb);
ULONG fake_callback_done_calls(IMAPISyncProgressCallback *cb);
/* Microseconds this callback's scripted answers held the provider's calls
 * so far (the union of their spans, recorder.h); 0 for NULL. */
uint64_t fake_callback_host_delay_us(IMAPISyncProgressCallback *cb);

#endif /* SYNCHOST_FAKE_CALLBACK_H */
