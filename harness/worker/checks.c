/* checks.c: the host's observations beyond Outlook's own calls (see checks.h). */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "protocol/event.h"
#include "handles.h"
#include "observe.h"
#include "recorder.h"
#include "threads.h"

/* An IID made up for synchost, which no provider implements. */
static const IID iid_nobody = {
    0x7d3c0c5e, 0x9b1f, 0x4f65, {0xa7, 0x2e, 0x51, 0x0d, 0x6b, 0x93, 0x2c, 0x14}};

/* What *ppv holds before the call: a provider that fails must overwrite it
 * with NULL, and one that leaves it is seen doing so. Never dereferenced. */
#define PPV_PRESET ((void *)(ULONG_PTR)0x5e5e5e50u)

/* One QueryInterface on obj, recorded. Returns the interface it got, or
 * NULL. */
static IUnknown *ask(IUnknown *obj, enum provider_object which, enum iid_kind kind)
{
    void *ppv = PPV_PRESET;
    struct event ev = {0};
    char text[64];
    HRESULT hr;

    hr = obj->lpVtbl->QueryInterface(obj, kind == IID_KIND_IUNKNOWN ? &IID_IUnknown : &iid_nobody,
                                     &ppv);
    snprintf(text, sizeof text, "%s %s", provider_object_name(which),
             kind == IID_KIND_IUNKNOWN ? "IID_IUnknown" : "an IID nobody implements");
    ev.kind = EVENT_PROVIDER_QI;
    ev.step = which;
    ev.index = kind;
    ev.hr = (uint32_t)hr;
    ev.handle = (uint64_t)(ULONG_PTR)ppv;
    ev.text = text;
    recorder_emit(&ev);
    return SUCCEEDED(hr) && ppv != NULL && ppv != PPV_PRESET ? (IUnknown *)ppv : NULL;
}

void checks_provider_qi(IMsgStore *store, IMAPISync *sync)
{
    IUnknown *objects[PROVIDER_OBJECT_COUNT] = {(IUnknown *)store, (IUnknown *)sync};
    IUnknown *identity[PROVIDER_OBJECT_COUNT] = {NULL, NULL};

    for (int i = 0; i < PROVIDER_OBJECT_COUNT; i++) {
        IUnknown *p = ask(objects[i], (enum provider_object)i, IID_KIND_OTHER);
        if (p != NULL) {
            p->lpVtbl->Release(p);
        }
        identity[i] = ask(objects[i], (enum provider_object)i, IID_KIND_IUNKNOWN);
    }
    /* Released only once both were asked: an identity object that died in
     * between could come back at another address. */
    for (int i = 0; i < PROVIDER_OBJECT_COUNT; i++) {
        if (identity[i] != NULL) {
            identity[i]->lpVtbl->Release(identity[i]);
        }
    }
}

int checks_done_event_watched(HANDLE h)
{
    int auto_reset = 0;

    return observe_event_state(h, &auto_reset) >= 0 && auto_reset;
}

int checks_done_event_polled(HANDLE h)
{
    return observe_event_state(h, NULL);
}

void checks_done_event_taken(HANDLE h)
{
    int auto_reset = 0;

    /* Outlook's wait would have taken an auto-reset event's signal. */
    if (observe_event_state(h, &auto_reset) == 1 && auto_reset) {
        WaitForSingleObject(h, 0);
    }
}

int checks_done_event_state(void *done_event_slot)
{
    HANDLE *slot = done_event_slot;
    HANDLE h = slot != NULL ? *(HANDLE volatile *)slot : NULL;
    int state = observe_event_state(h, NULL);

    return state < 0 ? DONE_EVENT_UNKNOWN : state ? DONE_EVENT_SIGNALED : DONE_EVENT_UNSIGNALED;
}

static unsigned long threads_before;

void checks_handles_before(void)
{
    threads_before = threads_mark();
    handles_begin();
}

void checks_handles_after(DWORD wait_ms)
{
    struct event ev = {0};
    char first[MAX_PATH + 160];
    size_t opened = 0;

    /* A thread of the provider's that still runs may still close what it
     * holds: counted once they ended, or said to be running. */
    ev.kind = EVENT_HANDLES;
    ev.value = threads_wait_since(threads_before, wait_ms, NULL, 0);
    ev.index_max = (uint32_t)handles_still_open(&opened, first, sizeof first);
    ev.index = (uint32_t)opened;
    ev.text = first[0] != '\0' ? first : NULL;
    recorder_emit(&ev);
}

static unsigned long threads_at_call;

void checks_threads_at_call(void)
{
    threads_at_call = threads_mark();
}

void checks_threads_after_sync(DWORD wait_ms)
{
    struct event ev = {0};
    char first[MAX_PATH + 64];

    ev.kind = EVENT_THREADS;
    ev.index = wait_ms;
    ev.value = threads_wait_since(threads_at_call, wait_ms, first, sizeof first);
    ev.text = first[0] != '\0' ? first : NULL;
    recorder_emit(&ev);
}
