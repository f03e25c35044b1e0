/*
 * fake_alloc.c: MAPI allocators with a registry of live buffers, and an
 * IMalloc over a private heap (see fake_alloc.h).
 *
 * Layout of a MAPI buffer: a 32-byte header, then the caller's bytes, so the
 * caller's pointer keeps HeapAlloc's alignment (16 on x64, 8 on x86; the
 * header size keeps both). Children of a root are a singly linked list that
 * starts at the root; FreeBuffer walks it.
 *
 * The registry is an open-addressing hash set of the caller's pointers
 * (linear probing, tombstones, doubled at half load). Looking a pointer up
 * never dereferences it, which is what makes freeing garbage harmless.
 *
 * Events are emitted under the allocator lock: the recorder's lock nests
 * inside it (never the other way: a recorder sink must not call these
 * allocators). This keeps the trace in the order the heap saw, so an address
 * freed and reused by another thread never reads "alloc X, free X" while X
 * is live.
 */
#include <stdint.h>

#include <mapicode.h>

#include "fake_alloc.h"
#include "fake_object.h"
#include "recorder.h"

#define HEADER_SIZE 32
#define SLOT_EMPTY ((void *)0)
#define SLOT_TOMB ((void *)1)
#define REGISTRY_MIN_CAP 64

struct alloc_block {
    struct alloc_block *root;     /* NULL for a root (MAPIAllocateBuffer) */
    struct alloc_block *children; /* a root's first child */
    struct alloc_block *sibling;  /* a child's next sibling */
    ULONG size;
};

_Static_assert(sizeof(struct alloc_block) <= HEADER_SIZE, "header does not fit");

static SRWLOCK alloc_lock = SRWLOCK_INIT;
static void **registry;
static size_t registry_cap;  /* a power of two, or 0 before the first buffer */
static size_t registry_used; /* live entries */
static size_t registry_tombs;
static LONG alloc_roots;  /* live roots */
static ULONG alloc_calls; /* allocations since fake_alloc_fail_from */
static ULONG alloc_fail_from;

static void *user_from_block(struct alloc_block *b)
{
    return (char *)b + HEADER_SIZE;
}

static struct alloc_block *block_from_user(void *p)
{
    return (struct alloc_block *)(void *)((char *)p - HEADER_SIZE);
}

static size_t registry_hash(const void *p, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)p >> 4;

    h *= 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 20) & (cap - 1);
}

/* The slot holding p, or NULL. */
static void **registry_find(const void *p)
{
    size_t i;

    if (registry_cap == 0 || p == SLOT_EMPTY || p == SLOT_TOMB) {
        return NULL;
    }
    for (i = registry_hash(p, registry_cap);; i = (i + 1) & (registry_cap - 1)) {
        if (registry[i] == p) {
            return &registry[i];
        }
        if (registry[i] == SLOT_EMPTY) {
            return NULL;
        }
    }
}

static void registry_put(void **slots, size_t cap, void *p)
{
    size_t i = registry_hash(p, cap);

    while (slots[i] != SLOT_EMPTY && slots[i] != SLOT_TOMB) {
        i = (i + 1) & (cap - 1);
    }
    slots[i] = p;
}

/* Makes room for one more entry; returns 0, or -1 when out of memory. */
static int registry_reserve(void)
{
    size_t cap, i;
    void **slots;

    if ((registry_used + registry_tombs + 1) * 2 <= registry_cap) {
        return 0;
    }
    cap = registry_cap == 0 ? REGISTRY_MIN_CAP : registry_cap;
    while ((registry_used + 1) * 2 > cap) {
        cap *= 2;
    }
    slots = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, cap * sizeof *slots);
    if (slots == NULL) {
        return -1;
    }
    for (i = 0; i < registry_cap; i++) {
        if (registry[i] != SLOT_EMPTY && registry[i] != SLOT_TOMB) {
            registry_put(slots, cap, registry[i]);
        }
    }
    if (registry != NULL) {
        HeapFree(GetProcessHeap(), 0, registry);
    }
    registry = slots;
    registry_cap = cap;
    registry_tombs = 0;
    return 0;
}

static void registry_remove(void **slot)
{
    *slot = SLOT_TOMB;
    registry_used--;
    registry_tombs++;
}

/* Records an EVENT_ALLOC (value = the size asked for) or an EVENT_FREE
 * (value = the blocks freed) of the buffer p. */
static void emit(enum event_kind kind, const char *text, ULONG value, void *p, SCODE sc)
{
    struct event ev = {0};

    ev.kind = kind;
    ev.hr = (uint32_t)sc;
    ev.value = value;
    ev.handle = (uint64_t)(uintptr_t)p;
    ev.text = text;
    recorder_emit(&ev);
}

/* Allocates and registers a block; called with the lock held. */
static struct alloc_block *block_new(ULONG size, SCODE *sc)
{
    struct alloc_block *b;
    SIZE_T total;

    alloc_calls++;
    if (alloc_fail_from != 0 && alloc_calls >= alloc_fail_from) {
        *sc = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    /* On x86 SIZE_T is 32 bits: a size near 4 GiB must not wrap. */
    total = (SIZE_T)size + HEADER_SIZE;
    if (total < (SIZE_T)size || registry_reserve() != 0) {
        *sc = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    b = HeapAlloc(GetProcessHeap(), 0, total);
    if (b == NULL) {
        *sc = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    b->root = NULL;
    b->children = NULL;
    b->sibling = NULL;
    b->size = size;
    registry_put(registry, registry_cap, user_from_block(b));
    registry_used++;
    *sc = S_OK;
    return b;
}

SCODE STDMETHODCALLTYPE fake_alloc_buffer(ULONG cbSize, LPVOID *lppBuffer)
{
    struct alloc_block *b;
    void *p = NULL;
    SCODE sc;

    AcquireSRWLockExclusive(&alloc_lock);
    if (lppBuffer == NULL) {
        sc = MAPI_E_INVALID_PARAMETER;
    } else {
        b = block_new(cbSize, &sc);
        if (b != NULL) {
            p = user_from_block(b);
            alloc_roots++;
        }
        *lppBuffer = p;
    }
    emit(EVENT_ALLOC, "MAPIAllocateBuffer", cbSize, p, sc);
    ReleaseSRWLockExclusive(&alloc_lock);
    return sc;
}

SCODE STDMETHODCALLTYPE fake_alloc_more(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer)
{
    struct alloc_block *b, *root;
    const char *what = "MAPIAllocateMore";
    void *p = NULL;
    SCODE sc;

    AcquireSRWLockExclusive(&alloc_lock);
    if (lppBuffer == NULL) {
        sc = MAPI_E_INVALID_PARAMETER;
    } else if (registry_find(lpObject) == NULL) {
        sc = MAPI_E_INVALID_PARAMETER;
        what = "MAPIAllocateMore: unknown parent";
        *lppBuffer = NULL;
    } else {
        root = block_from_user(lpObject);
        if (root->root != NULL) {
            root = root->root;
        }
        b = block_new(cbSize, &sc);
        if (b != NULL) {
            b->root = root;
            b->sibling = root->children;
            root->children = b;
            p = user_from_block(b);
        }
        *lppBuffer = p;
    }
    emit(EVENT_ALLOC, what, cbSize, p, sc);
    ReleaseSRWLockExclusive(&alloc_lock);
    return sc;
}

ULONG STDMETHODCALLTYPE fake_free_buffer(LPVOID lpBuffer)
{
    struct alloc_block *root, *child, *next;
    const char *why = NULL;
    SCODE sc = S_OK;
    ULONG freed = 0;
    void **slot;

    AcquireSRWLockExclusive(&alloc_lock);
    slot = registry_find(lpBuffer);
    if (lpBuffer == NULL) {
        /* MAPIFreeBuffer(NULL) is allowed and does nothing. */
    } else if (slot == NULL) {
        sc = MAPI_E_INVALID_PARAMETER;
        why = "MAPIFreeBuffer: unknown buffer";
    } else if (block_from_user(lpBuffer)->root != NULL) {
        /* MAPI frees children only with their root; freeing one alone would
         * leave a dangling link in the root's chain. */
        sc = MAPI_E_INVALID_PARAMETER;
        why = "MAPIFreeBuffer: not a root buffer";
    } else {
        root = block_from_user(lpBuffer);
        for (child = root->children; child != NULL; child = next) {
            next = child->sibling;
            registry_remove(registry_find(user_from_block(child)));
            HeapFree(GetProcessHeap(), 0, child);
            freed++;
        }
        registry_remove(slot);
        HeapFree(GetProcessHeap(), 0, root);
        freed++;
        alloc_roots--;
    }
    emit(EVENT_FREE, why, freed, lpBuffer, sc);
    ReleaseSRWLockExclusive(&alloc_lock);
    return (ULONG)sc;
}

LONG fake_alloc_outstanding(void)
{
    LONG n;

    AcquireSRWLockShared(&alloc_lock);
    n = alloc_roots;
    ReleaseSRWLockShared(&alloc_lock);
    return n;
}

void fake_alloc_fail_from(ULONG from_call)
{
    AcquireSRWLockExclusive(&alloc_lock);
    alloc_fail_from = from_call;
    alloc_calls = 0;
    ReleaseSRWLockExclusive(&alloc_lock);
}

/* The IMalloc. */

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

static void *STDMETHODCALLTYPE fake_malloc_Alloc(IMalloc *iface, SIZE_T cb)
{
    void *p = HeapAlloc(fake_malloc_heap(), 0, cb);

    if (p != NULL) {
        InterlockedIncrement(&malloc_from_iface(iface)->outstanding);
    }
    return p;
}

static void STDMETHODCALLTYPE fake_malloc_Free(IMalloc *iface, void *pv)
{
    /* Free of NULL is a no-op by contract; of a foreign pointer, ignored. */
    if (fake_malloc_owns(pv) && HeapFree(fake_malloc_heap(), 0, pv)) {
        InterlockedDecrement(&malloc_from_iface(iface)->outstanding);
    }
}

/* IMalloc::Realloc: NULL pv allocates; cb 0 frees and answers NULL; a
 * foreign pv answers NULL and is left alone. */
static void *STDMETHODCALLTYPE fake_malloc_Realloc(IMalloc *iface, void *pv, SIZE_T cb)
{
    if (pv == NULL) {
        return fake_malloc_Alloc(iface, cb);
    }
    if (!fake_malloc_owns(pv)) {
        return NULL;
    }
    if (cb == 0) {
        fake_malloc_Free(iface, pv);
        return NULL;
    }
    return HeapReAlloc(fake_malloc_heap(), 0, pv, cb);
}

static SIZE_T STDMETHODCALLTYPE fake_malloc_GetSize(IMalloc *iface, void *pv)
{
    (void)iface;
    return fake_malloc_owns(pv) ? HeapSize(fake_malloc_heap(), 0, pv) : (SIZE_T)-1;
}

static int STDMETHODCALLTYPE fake_malloc_DidAlloc(IMalloc *iface, void *pv)
{
    (void)iface;
    return fake_malloc_owns(pv) ? 1 : 0;
}

static void STDMETHODCALLTYPE fake_malloc_HeapMinimize(IMalloc *iface)
{
    (void)iface;
    HeapCompact(fake_malloc_heap(), 0);
}

static const IMallocVtbl fake_malloc_vtbl = {
    fake_malloc_QueryInterface,
    fake_malloc_AddRef,
    fake_malloc_Release,
    fake_malloc_Alloc,
    fake_malloc_Realloc,
    fake_malloc_Free,
    fake_malloc_GetSize,
    fake_malloc_DidAlloc,
    fake_malloc_HeapMinimize,
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
