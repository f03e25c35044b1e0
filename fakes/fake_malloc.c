/*
 * fake_malloc.c: the IMalloc MSProviderInit receives, a process-wide
 * singleton over a private heap (see fake_alloc.h), counted, recorded and
 * able to fail on cue (fake_faults.h).
 */
#include <stdint.h>

#include <mapicode.h>

#include "fake_alloc.h"
#include "fake_faults.h"
#include "fake_object.h"
#include "fake_record.h"

struct fake_malloc {
    IMalloc iface;
    struct fake_object obj;
    volatile LONG outstanding;
};

static const IMallocVtbl fake_malloc_vtbl;
static const IID *const malloc_iids[] = {&IID_IMalloc, NULL};
static struct fake_malloc fake_malloc_instance = {
    {(IMallocVtbl *)&fake_malloc_vtbl}, {"malloc", malloc_iids, 1}, 0};
static INIT_ONCE fake_malloc_once = INIT_ONCE_STATIC_INIT;
static HANDLE fake_malloc_heap_handle;

static struct fake_malloc *malloc_from_iface(IMalloc *iface)
{
    return CONTAINING_RECORD(iface, struct fake_malloc, iface);
}

static BOOL CALLBACK fake_malloc_init_once(INIT_ONCE *once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    /* A private heap, so that HeapValidate can tell our blocks from anything
     * else a provider hands to Free (and a provider overrunning a block
     * corrupts this heap, not the process heap the harness lives on). */
    fake_malloc_heap_handle = HeapCreate(0, 0, 0);
    if (fake_malloc_heap_handle == NULL) {
        fake_malloc_heap_handle = GetProcessHeap();
    }
    return TRUE;
}

static HANDLE fake_malloc_heap(void)
{
    InitOnceExecuteOnce(&fake_malloc_once, fake_malloc_init_once, NULL, NULL);
    return fake_malloc_heap_handle;
}

static int fake_malloc_owns(void *pv)
{
    return pv != NULL && HeapValidate(fake_malloc_heap(), 0, pv);
}

static HRESULT STDMETHODCALLTYPE fake_malloc_QueryInterface(IMalloc *iface, REFIID riid, void **ppv)
{
    return fake_object_query(&malloc_from_iface(iface)->obj, (IUnknown *)iface, riid, ppv);
}

static ULONG STDMETHODCALLTYPE fake_malloc_AddRef(IMalloc *iface)
{
    return fake_object_addref(&malloc_from_iface(iface)->obj);
}

static ULONG STDMETHODCALLTYPE fake_malloc_Release(IMalloc *iface)
{
    /* A singleton: never freed, whatever the count. */
    return fake_object_release(&malloc_from_iface(iface)->obj);
}

/* Every method but HeapMinimize is recorded as EVENT_SUPPORT_CALL with text
 * "malloc METHOD ...", handle = the block, value = the size. */
#define KIND EVENT_SUPPORT_CALL

static void *malloc_alloc(IMalloc *iface, SIZE_T cb)
{
    void *p = HeapAlloc(fake_malloc_heap(), 0, cb);

    if (p != NULL) {
        InterlockedIncrement(&malloc_from_iface(iface)->outstanding);
    }
    return p;
}

static void *STDMETHODCALLTYPE fake_malloc_Alloc(IMalloc *iface, SIZE_T cb)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_MALLOC_ALLOC);
    void *p = c.fault != S_OK ? NULL : malloc_alloc(iface, cb);

    fake_record_service(KIND, &c, "malloc Alloc",
                        p != NULL         ? S_OK
                        : c.fault != S_OK ? c.fault
                                          : E_OUTOFMEMORY,
                        (uint64_t)(ULONG_PTR)p, cb, "cb=%llu", (unsigned long long)cb);
    return p;
}

/* Free of NULL is a no-op by contract; of a foreign pointer, ignored. */
static int malloc_free(IMalloc *iface, void *pv)
{
    if (fake_malloc_owns(pv) && HeapFree(fake_malloc_heap(), 0, pv)) {
        InterlockedDecrement(&malloc_from_iface(iface)->outstanding);
        return 1;
    }
    return 0;
}

static void STDMETHODCALLTYPE fake_malloc_Free(IMalloc *iface, void *pv)
{
    struct fake_call c = {FAULT_SERVICE_COUNT, 0, S_OK};
    int freed = malloc_free(iface, pv);

    fake_record_service(KIND, &c, "malloc Free", pv == NULL || freed ? S_OK : E_INVALIDARG,
                        (uint64_t)(ULONG_PTR)pv, 0, pv == NULL || freed ? NULL : "unknown block");
}

/* IMalloc::Realloc: NULL pv allocates; cb 0 frees and answers NULL; a
 * foreign pv answers NULL and is left alone; a fault answers NULL and
 * leaves pv as it was, as a failed realloc does. */
static void *STDMETHODCALLTYPE fake_malloc_Realloc(IMalloc *iface, void *pv, SIZE_T cb)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_MALLOC_REALLOC);
    void *p = NULL;
    HRESULT hr = S_OK;

    if (c.fault != S_OK) {
        hr = c.fault;
    } else if (pv == NULL) {
        p = malloc_alloc(iface, cb);
        hr = p != NULL ? S_OK : E_OUTOFMEMORY;
    } else if (!fake_malloc_owns(pv)) {
        hr = E_INVALIDARG;
    } else if (cb == 0) {
        malloc_free(iface, pv);
    } else {
        p = HeapReAlloc(fake_malloc_heap(), 0, pv, cb);
        hr = p != NULL ? S_OK : E_OUTOFMEMORY;
    }
    fake_record_service(KIND, &c, "malloc Realloc", hr, (uint64_t)(ULONG_PTR)p, cb,
                        "pv=0x%llx cb=%llu", (unsigned long long)(ULONG_PTR)pv,
                        (unsigned long long)cb);
    return p;
}

/* A fault answers -1, as for a block the heap does not know. */
static SIZE_T STDMETHODCALLTYPE fake_malloc_GetSize(IMalloc *iface, void *pv)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_MALLOC_GET_SIZE);
    SIZE_T n =
        c.fault == S_OK && fake_malloc_owns(pv) ? HeapSize(fake_malloc_heap(), 0, pv) : (SIZE_T)-1;

    (void)iface;
    fake_record_service(KIND, &c, "malloc GetSize", c.fault, (uint64_t)(ULONG_PTR)pv, n, NULL);
    return n;
}

/* A fault answers -1 ("cannot tell"), which the interface allows. */
static int STDMETHODCALLTYPE fake_malloc_DidAlloc(IMalloc *iface, void *pv)
{
    struct fake_call c = fake_fault_begin(FAULT_SVC_MALLOC_DID_ALLOC);
    int did = c.fault != S_OK ? -1 : fake_malloc_owns(pv) ? 1 : 0;

    (void)iface;
    fake_record_service(KIND, &c, "malloc DidAlloc", c.fault, (uint64_t)(ULONG_PTR)pv,
                        (uint64_t)(int64_t)did, NULL);
    return did;
}

static void STDMETHODCALLTYPE fake_malloc_HeapMinimize(IMalloc *iface)
{
    (void)iface;
    HeapCompact(fake_malloc_heap(), 0);
}

static const IMallocVtbl fake_malloc_vtbl = {
    fake_malloc_QueryInterface, fake_malloc_AddRef,   fake_malloc_Release,
    fake_malloc_Alloc,          fake_malloc_Realloc,  fake_malloc_Free,
    fake_malloc_GetSize,        fake_malloc_DidAlloc, fake_malloc_HeapMinimize,
};

IMalloc *fake_malloc_get(void)
{
    return &fake_malloc_instance.iface;
}

LONG fake_malloc_outstanding(void)
{
    return InterlockedCompareExchange(&fake_malloc_instance.outstanding, 0, 0);
}

LONG fake_malloc_refs(void)
{
    return fake_object_refs(&fake_malloc_instance.obj);
}
