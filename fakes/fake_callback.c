/*
 * fake_callback.c: the recording IMAPISyncProgressCallback (see
 * fake_callback.h). Method semantics follow the Outlook MAPI reference page
 * "IMAPISyncProgressCallback"; the answers are whatever the scenario scripts.
 */
#include <stddef.h>
#include <stdlib.h>

#include "clock.h"
#include "fake_callback.h"
#include "fake_iids.h"
#include "fake_object.h"
#include "provider_text.h"
#include "recorder.h"
#include "text/splitmix.h"

struct fake_callback {
    IMAPISyncProgressCallback iface;
    struct fake_object obj;
    volatile LONG progress_calls;
    volatile LONG error_calls;
    volatile LONG done_calls;
    struct fake_callback_config cfg;
    struct host_delay_span delays; /* this call's (delay()) */
};

static const IMAPISyncProgressCallbackVtbl fake_callback_vtbl;
static const IID *const callback_iids[] = {&IID_IMAPISyncProgressCallback, NULL};

static struct fake_callback *impl_from_iface(IMAPISyncProgressCallback *iface)
{
    return CONTAINING_RECORD(iface, struct fake_callback, iface);
}

/* The answer to the call-th call of a method: of the scripted entries
 * that cover it, the one with the largest from_call, else dflt. At most
 * FAKE_CALLBACK_MAX_PROGRESS_RETURNS entries, so a scan is cheaper than
 * anything cleverer. */
static HRESULT scripted_answer(const struct fake_callback_progress_return *list, size_t n,
                               ULONG call, HRESULT dflt)
{
    HRESULT hr = dflt;
    ULONG best = 0;

    for (size_t i = 0; i < n && i < FAKE_CALLBACK_MAX_PROGRESS_RETURNS; i++) {
        const struct fake_callback_progress_return *r = &list[i];
        if (r->from_call != 0 && r->from_call <= call && r->from_call >= best &&
            (r->to_call == 0 || call <= r->to_call)) {
            best = r->from_call;
            hr = r->hresult;
        }
    }
    return hr;
}

/* The jitter of the n-th call of method m (text/splitmix.h over the seed, the
 * sync call, the method and n): 0 to jitter_ms. */
static DWORD jitter(const struct fake_callback *cb, enum fake_callback_method m, ULONG n)
{
    uint64_t z;

    if (cb->cfg.jitter_ms == 0) {
        return 0;
    }
    z = cb->cfg.jitter_seed ^ ((ULONG64)cb->cfg.call << 40) ^ ((ULONG64)m << 32) ^ n;
    z = splitmix64_next(&z);
    return (DWORD)(z % ((ULONG64)cb->cfg.jitter_ms + 1));
}

/* The scripted delay of a method's n-th call, after it is recorded. The
 * time it takes is the host's, not the provider's: deadlines move by it
 * (recorder_host_delay_add), as soon as it begins (a deadline that comes
 * while the provider waits on the host must already count the wait), and
 * again by what the sleep overran. */
static void delay(struct fake_callback *cb, enum fake_callback_method m, ULONG n)
{
    DWORD ms = cb->cfg.delay_ms[m] + jitter(cb, m, n);
    uint64_t t0, end, now;

    if (ms > 0) {
        t0 = clock_us();
        end = t0 + (uint64_t)ms * 1000u;
        recorder_host_delay_add(&cb->delays, t0, end);
        Sleep(ms);
        now = clock_us();
        recorder_host_delay_add(&cb->delays, end, now);
    }
}

/* Events carry the text only when there is some to show. */
static const char *text_or_null(enum text_state state, const char *buf)
{
    return state == TEXT_NULL || state == TEXT_UNREADABLE ? NULL : buf;
}

static HRESULT STDMETHODCALLTYPE fake_callback_QueryInterface(IMAPISyncProgressCallback *iface,
                                                              REFIID riid, void **ppv)
{
    return fake_object_query(&impl_from_iface(iface)->obj, (IUnknown *)iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE fake_callback_AddRef(IMAPISyncProgressCallback *iface)
{
    return fake_object_addref(&impl_from_iface(iface)->obj);
}

static ULONG STDMETHODCALLTYPE fake_callback_Release(IMAPISyncProgressCallback *iface)
{
    /* Never freed here: see Lifetime in fake_callback.h. */
    return fake_object_release(&impl_from_iface(iface)->obj);
}

/* The number of this Progress call. Exact, with an atomic add, when the
 * scripted answers depend on it; otherwise a plain add, since a locked
 * instruction on every call of a flood costs as much as the call itself:
 * the count is then exact unless two threads call at the same instant. */
static ULONG progress_count(struct fake_callback *cb)
{
    LONG n;

    if (cb->cfg.progress_return_count > 0) {
        return (ULONG)InterlockedIncrement(&cb->progress_calls);
    }
    n = cb->progress_calls + 1;
    cb->progress_calls = n;
    return (ULONG)n;
}

static HRESULT STDMETHODCALLTYPE fake_callback_Progress(IMAPISyncProgressCallback *iface,
                                                        const WCHAR *pwcszProgress, ULONG ulIndex,
                                                        ULONG ulIndexMax)
{
    struct fake_callback *cb = impl_from_iface(iface);
    ULONG call = progress_count(cb);
    struct event ev = {0};
    char text[EVENT_TEXT_MAX];
    size_t units;

    ev.kind = EVENT_PROGRESS;
    ev.call = cb->cfg.call;
    ev.index = ulIndex;
    ev.index_max = ulIndexMax;
    ev.hr = (uint32_t)scripted_answer(cb->cfg.progress_returns, cb->cfg.progress_return_count, call,
                                      S_OK);
    ev.text_state = provider_text_read_n(pwcszProgress, text, sizeof text, &units);
    ev.text = text_or_null(ev.text_state, text);
    ev.value = units;
    recorder_emit(&ev);
    delay(cb, FAKE_CALLBACK_PROGRESS, call);
    return (HRESULT)ev.hr;
}

static HRESULT STDMETHODCALLTYPE fake_callback_Error(IMAPISyncProgressCallback *iface,
                                                     HRESULT hResult, const WCHAR *pwcszErrorStr)
{
    struct fake_callback *cb = impl_from_iface(iface);
    struct event ev = {0};
    char text[EVENT_TEXT_MAX];
    size_t units;

    ULONG call = (ULONG)InterlockedIncrement(&cb->error_calls);
    ev.kind = EVENT_ERROR;
    ev.call = cb->cfg.call;
    ev.hr = (uint32_t)hResult;
    ev.text_state = provider_text_read_n(pwcszErrorStr, text, sizeof text, &units);
    ev.text = text_or_null(ev.text_state, text);
    ev.value = units;
    recorder_emit(&ev);
    delay(cb, FAKE_CALLBACK_ERROR, call);
    return scripted_answer(cb->cfg.error_entries, cb->cfg.error_entry_count, call,
                           cb->cfg.error_returns);
}

static HRESULT STDMETHODCALLTYPE fake_callback_Done(IMAPISyncProgressCallback *iface,
                                                    HANDLE hThreadDoneEvent, HRESULT hResult)
{
    struct fake_callback *cb = impl_from_iface(iface);
    struct event ev = {0};

    /* Before anything else: had the event been signaled before Done? */
    ev.value = cb->cfg.done_event_state != NULL ? (uint64_t)cb->cfg.done_event_state(
                                                      cb->cfg.done_event_ctx)
                                                : (uint64_t)DONE_EVENT_UNKNOWN;
    /* The handle is only recorded, never waited on or closed: the host
     * closes the one it got from *phSyncDoneEvent, and a provider may pass
     * anything here (done-handle-matches judges it). */
    ULONG call = (ULONG)InterlockedIncrement(&cb->done_calls);
    ev.kind = EVENT_DONE;
    ev.call = cb->cfg.call;
    ev.handle = (uint64_t)(ULONG_PTR)hThreadDoneEvent;
    ev.hr = (uint32_t)hResult;
    recorder_emit(&ev);
    delay(cb, FAKE_CALLBACK_DONE, call);
    return scripted_answer(cb->cfg.done_entries, cb->cfg.done_entry_count, call,
                           cb->cfg.done_returns);
}

static const IMAPISyncProgressCallbackVtbl fake_callback_vtbl = {
    fake_callback_QueryInterface,
    fake_callback_AddRef,
    fake_callback_Release,
    fake_callback_Progress,
    fake_callback_Error,
    fake_callback_Done,
};

HRESULT fake_callback_create(const struct fake_callback_config *cfg,
                             IMAPISyncProgressCallback **out)
{
    struct fake_callback *cb;
    HRESULT hr =
        fake_object_create(sizeof *cb, offsetof(struct fake_callback, obj), &fake_callback_vtbl,
                           host_object_name(HOST_OBJECT_CALLBACK), callback_iids, 1, (void **)out);

    if (FAILED(hr)) {
        return hr;
    }
    cb = impl_from_iface(*out);
    if (cfg != NULL) {
        cb->cfg = *cfg;
        cb->obj.call = cfg->call;
        if (cb->cfg.progress_return_count > FAKE_CALLBACK_MAX_PROGRESS_RETURNS) {
            cb->cfg.progress_return_count = FAKE_CALLBACK_MAX_PROGRESS_RETURNS;
        }
    }
    return S_OK;
}

void fake_callback_destroy(IMAPISyncProgressCallback *iface)
{
    if (iface != NULL) {
        free(impl_from_iface(iface));
    }
}

LONG fake_callback_refs(IMAPISyncProgressCallback *iface)
{
    return fake_object_refs(&impl_from_iface(iface)->obj);
}

ULONG fake_callback_progress_calls(IMAPISyncProgressCallback *iface)
{
    return (ULONG)InterlockedCompareExchange(&impl_from_iface(iface)->progress_calls, 0, 0);
}

ULONG fake_callback_error_calls(IMAPISyncProgressCallback *iface)
{
    return (ULONG)InterlockedCompareExchange(&impl_from_iface(iface)->error_calls, 0, 0);
}

ULONG fake_callback_done_calls(IMAPISyncProgressCallback *iface)
{
    return (ULONG)InterlockedCompareExchange(&impl_from_iface(iface)->done_calls, 0, 0);
}

uint64_t fake_callback_host_delay_us(IMAPISyncProgressCallback *iface)
{
    return iface != NULL ? atomic_load(&impl_from_iface(iface)->delays.total_us) : 0;
}
