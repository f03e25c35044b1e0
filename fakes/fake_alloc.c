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
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <mapicode.h>

#include "fake_alloc.h"
#include "fake_faults.h"
#include "fake_object.h"
#include "fake_record.h"
#include "recorder.h"

#define HEADER_SIZE      32
#define SLOT_EMPTY       ((void *)0)
#define SLOT_TOMB        ((void *)1)
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

/* Who asked for a buffer, for the event's text: the provider's call site,
 * or the host method that allocates for it. */
struct alloc_origin {
    const char *method;    /* "MAPIAllocateBuffer", "MAPIAllocateMore" */
    const void *caller;    /* the provider's return address, or NULL */
    const char *host;      /* the host method that allocated, or NULL */
    struct fake_call call; /* the service call, counted (n = 0: not counted) */
};

/* Records an EVENT_ALLOC (value = the size asked for) or an EVENT_FREE
 * (value = the blocks freed) of the buffer p; index = the service's call
 * number, step = 1 when sc is an injected fault. */
static void emit(enum event_kind kind, const char *text, ULONG value, void *p, SCODE sc,
                 const struct fake_call *call)
{
    struct event ev = {0};

    ev.kind = kind;
    ev.hr = (uint32_t)sc;
    ev.value = value;
    ev.handle = (uint64_t)(uintptr_t)p;
    ev.text = text;
    if (call != NULL) {
        ev.index = call->n;
        ev.step = call->fault != S_OK && sc == call->fault ? 1u : 0u;
    }
    recorder_emit(&ev);
}

/* "MAPIAllocateBuffer from provider.dll+0x1a2b", "MAPIAllocateMore by host
 * for profsect GetProps", and " (fault injected)"; built before the lock. */
static const char *origin_text(const struct alloc_origin *o, char *buf, size_t cap)
{
    char where[MAX_PATH + 32];
    int n;

    if (o->host != NULL) {
        n = snprintf(buf, cap, "%s by host for %s", o->method, o->host);
    } else if (o->caller != NULL) {
        fake_format_caller(o->caller, where, sizeof where);
        n = snprintf(buf, cap, "%s from %s", o->method, where);
    } else {
        n = snprintf(buf, cap, "%s", o->method);
    }
    if (o->call.fault != S_OK && n > 0 && (size_t)n < cap) {
        snprintf(buf + n, cap - (size_t)n, " (fault injected)");
    }
    return buf;
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

/* MAPIAllocateBuffer (more false: a new root) or MAPIAllocateMore (a
 * block freed with lpObject's root), answered and recorded as o says. */
static SCODE alloc_block(ULONG cbSize, bool more, LPVOID lpObject, LPVOID *lppBuffer,
                         const struct alloc_origin *o)
{
    char text[FAKE_CALL_TEXT_MAX];
    struct alloc_block *b, *root = NULL;
    const char *what = text;
    void *p = NULL;
    SCODE sc;

    origin_text(o, text, sizeof text);
    AcquireSRWLockExclusive(&alloc_lock);
    if (lppBuffer == NULL) {
        sc = MAPI_E_INVALID_PARAMETER;
    } else if (more && registry_find(lpObject) == NULL) {
        sc = MAPI_E_INVALID_PARAMETER;
        what = "MAPIAllocateMore: unknown parent";
        *lppBuffer = NULL;
    } else if (o->call.fault != S_OK) {
        sc = o->call.fault;
        *lppBuffer = NULL;
    } else {
        if (more) {
            root = block_from_user(lpObject);
            if (root->root != NULL) {
                root = root->root;
            }
        }
        b = block_new(cbSize, &sc);
        if (b != NULL && root != NULL) {
            b->root = root;
            b->sibling = root->children;
            root->children = b;
        } else if (b != NULL) {
            alloc_roots++;
        }
        p = b != NULL ? user_from_block(b) : NULL;
        *lppBuffer = p;
    }
    emit(EVENT_ALLOC, what, cbSize, p, sc, &o->call);
    ReleaseSRWLockExclusive(&alloc_lock);
    return sc;
}

SCODE STDMETHODCALLTYPE fake_alloc_buffer(ULONG cbSize, LPVOID *lppBuffer)
{
    struct alloc_origin o = {"MAPIAllocateBuffer", __builtin_return_address(0), NULL,
                             fake_fault_begin(FAULT_SVC_MAPI_ALLOCATE_BUFFER)};

    return alloc_block(cbSize, false, NULL, lppBuffer, &o);
}

SCODE STDMETHODCALLTYPE fake_alloc_more(ULONG cbSize, LPVOID lpObject, LPVOID *lppBuffer)
{
    struct alloc_origin o = {"MAPIAllocateMore", __builtin_return_address(0), NULL,
                             fake_fault_begin(FAULT_SVC_MAPI_ALLOCATE_MORE)};

    return alloc_block(cbSize, true, lpObject, lppBuffer, &o);
}

SCODE fake_alloc_host(ULONG cbSize, const char *why, LPVOID *lppBuffer)
{
    struct alloc_origin o = {"MAPIAllocateBuffer", NULL, why, {FAULT_SERVICE_COUNT, 0, S_OK}};

    return alloc_block(cbSize, false, NULL, lppBuffer, &o);
}

SCODE fake_alloc_more_host(ULONG cbSize, LPVOID lpObject, const char *why, LPVOID *lppBuffer)
{
    struct alloc_origin o = {"MAPIAllocateMore", NULL, why, {FAULT_SERVICE_COUNT, 0, S_OK}};

    return alloc_block(cbSize, true, lpObject, lppBuffer, &o);
}

ULONG STDMETHODCALLTYPE fake_free_buffer(LPVOID lpBuffer)
{
    struct fake_call call = fake_fault_begin(FAULT_SVC_MAPI_FREE_BUFFER);
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
    if (call.fault != S_OK) {
        /* The buffer is freed all the same: a failing free must not turn
         * into a leak the provider is blamed for. */
        sc = call.fault;
        why = "MAPIFreeBuffer (fault injected)";
    }
    emit(EVENT_FREE, why, freed, lpBuffer, sc, &call);
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
