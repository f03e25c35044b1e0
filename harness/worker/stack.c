/*
 * stack.c: walks and names the frames of a thread's stack (see stack.h).
 *
 * The guard: a walk or a description runs inside guarded(), which saves
 * the caller's registers with RtlCaptureContext, as setjmp would, and
 * marks the thread. A fault on a marked thread reaches stack_guard_hook
 * first (the worker's vectored handler calls it before anything else),
 * which puts the saved registers back, so RtlCaptureContext "returns" a
 * second time with the slot's hit flag set, and guarded() returns -1. Only
 * the slot (static) and the caller's frame, which outlives the fault, are
 * used after that second return.
 */
#include "stack.h"

#include <stdio.h>
#include <string.h>
#include <tlhelp32.h>
#include <winternl.h>

#include "recorder.h"
#include "symbols.h"

#define GUARD_SLOTS 4

struct guard {
    volatile LONG tid; /* the guarded thread, 0 when the slot is free */
    volatile LONG hit; /* a fault came back through this slot */
    CONTEXT resume;
};

static struct guard guards[GUARD_SLOTS];

LONG stack_guard_hook(EXCEPTION_POINTERS *info)
{
    LONG tid = (LONG)GetCurrentThreadId();

    for (int i = 0; i < GUARD_SLOTS; i++) {
        struct guard *g = &guards[i];
        if (g->tid == tid && !g->hit) {
            g->hit = 1;
            memcpy(info->ContextRecord, &g->resume, sizeof g->resume);
            return EXCEPTION_CONTINUE_EXECUTION;
        }
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

/* Runs fn(arg) so that a fault inside it ends it rather than the process.
 * Returns 0, or -1 when it faulted. Unguarded when all slots are taken. */
static int __attribute__((noinline)) guarded(void (*fn)(void *), void *arg)
{
    struct guard *volatile g = NULL;
    LONG tid = (LONG)GetCurrentThreadId();

    for (int i = 0; i < GUARD_SLOTS && g == NULL; i++) {
        if (InterlockedCompareExchange(&guards[i].tid, tid, 0) == 0) {
            g = &guards[i];
        }
    }
    if (g == NULL) {
        fn(arg);
        return 0;
    }
    g->hit = 0;
    RtlCaptureContext(&g->resume);
    if (g->hit) {
        InterlockedExchange(&g->tid, 0);
        return -1;
    }
    fn(arg);
    InterlockedExchange(&g->tid, 0);
    return 0;
}

void stack_prepare_thread(void)
{
    char tmp[64];

    /* The C runtime allocates its per-thread data on a thread's first
     * formatted output; later, the heap may be held by a crashed thread. */
    snprintf(tmp, sizeof tmp, "%ls+0x%llx %s", L"x", 1ull, "y");
}

struct stack_bounds stack_bounds_current(void)
{
    ULONG_PTR low = 0, high = 0;
    struct stack_bounds b;

    /* The whole reservation: after a stack overflow the stack pointer can
     * be below the limit the TEB records as committed. Reads of pages not
     * committed fault, and the guard catches them. */
    GetCurrentThreadStackLimits(&low, &high);
    b.low = low;
    b.high = high;
    return b;
}

/* The function table entry covering pc, by binary search of the module's
 * .pdata (what RtlLookupFunctionEntry does, without its loader lock). */
static RUNTIME_FUNCTION *function_entry(uint64_t pc, uint64_t *base)
{
    const IMAGE_NT_HEADERS64 *nt = symbols_image_at(pc, base);
    const IMAGE_DATA_DIRECTORY *dir;
    RUNTIME_FUNCTION *table;
    size_t lo = 0, hi;
    uint64_t rva;

    if (nt == NULL || nt->OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_EXCEPTION) {
        return NULL;
    }
    dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXCEPTION];
    if (dir->VirtualAddress == 0 || dir->Size < sizeof *table) {
        return NULL;
    }
    table = (RUNTIME_FUNCTION *)(ULONG_PTR)(*base + dir->VirtualAddress);
    hi = dir->Size / sizeof *table;
    rva = pc - *base;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rva < table[mid].BeginAddress) {
            hi = mid;
        } else if (rva >= table[mid].EndAddress) {
            lo = mid + 1;
        } else {
            return &table[mid];
        }
    }
    return NULL;
}

struct walk {
    CONTEXT ctx;
    struct stack_bounds bounds;
    struct stack_frame *out;
    size_t max, n;
};

/* One frame up: with unwind data, or as a leaf (return address on top). */
static int unwind_once(struct walk *w)
{
    CONTEXT *c = &w->ctx;
    uint64_t pc = c->Rip, sp = c->Rsp, base = 0;
    RUNTIME_FUNCTION *entry;
    void *handler_data = NULL;
    DWORD64 frame = 0;

    if (sp < w->bounds.low || sp + 8 > w->bounds.high || (sp & 7) != 0) {
        return -1;
    }
    entry = function_entry(pc, &base);
    if (entry == NULL) {
        c->Rip = *(const DWORD64 *)(ULONG_PTR)sp;
        c->Rsp = sp + 8;
    } else {
        RtlVirtualUnwind(UNW_FLAG_NHANDLER, base, pc, entry, c, &handler_data, &frame, NULL);
    }
    /* Stacks grow down: a caller's frame is above its callee's. */
    if (c->Rsp <= sp || c->Rsp > w->bounds.high) {
        return -1;
    }
    return 0;
}

static void walk_frames(void *arg)
{
    struct walk *w = arg;

    while (w->n < w->max && w->ctx.Rip != 0) {
        w->out[w->n].pc = w->ctx.Rip;
        w->out[w->n].sp = w->ctx.Rsp;
        w->n++;
        if (unwind_once(w) != 0) {
            break;
        }
    }
}

size_t stack_walk(const CONTEXT *ctx, struct stack_bounds bounds, struct stack_frame *out,
                  size_t max)
{
    static struct walk walks[GUARD_SLOTS + 1]; /* off the caller's stack; one per thread */
    static volatile LONG walk_busy[GUARD_SLOTS + 1];
    struct walk *w = NULL;
    size_t n;
    int slot = -1;

    for (int i = 0; i < GUARD_SLOTS + 1 && w == NULL; i++) {
        if (InterlockedCompareExchange(&walk_busy[i], 1, 0) == 0) {
            slot = i;
            w = &walks[i];
        }
    }
    if (w == NULL) {
        return 0;
    }
    memcpy(&w->ctx, ctx, sizeof w->ctx);
    w->bounds = bounds;
    w->out = out;
    w->max = max;
    w->n = 0;
    guarded(walk_frames, w);
    n = w->n;
    InterlockedExchange(&walk_busy[slot], 0);
    return n;
}

struct describe {
    uint64_t pc;
    unsigned flags;
    char *out;
    size_t cap;
};

static void describe_frame(void *arg)
{
    struct describe *d = arg;
    char module[MAX_PATH], symbol[SYMBOLS_NAME_MAX];
    const IMAGE_NT_HEADERS64 *nt;
    uint64_t base = 0, rva, sym_rva = 0;
    /* A return address may be the first byte of the next function: the
     * call before it names the frame. */
    uint64_t look = (d->flags & STACK_CALLER) && d->pc > 0 ? d->pc - 1 : d->pc;

    snprintf(d->out, d->cap, "0x%llx", (unsigned long long)d->pc);
    nt = symbols_image_at(look, &base);
    if (nt == NULL) {
        return;
    }
    rva = d->pc - base;
    symbols_module_name(base, nt, module, sizeof module);
    snprintf(d->out, d->cap, "%s+0x%llx", module, (unsigned long long)rva);
    if (!(d->flags & STACK_NO_SYMBOL) &&
        symbols_lookup(base, nt, look - base, symbol, sizeof symbol, &sym_rva) == 0) {
        size_t len = strlen(d->out);
        snprintf(d->out + len, d->cap - len, " (%s+0x%llx)", symbol,
                 (unsigned long long)(rva - sym_rva));
    }
}

void stack_describe(uint64_t pc, unsigned flags, char *out, size_t cap)
{
    struct describe d = {pc, flags, out, cap};

    if (cap == 0) {
        return;
    }
    out[0] = '\0';
    guarded(describe_frame, &d);
}

void stack_emit(uint32_t tid, const struct stack_frame *frames, size_t n,
                uint32_t (*emit)(struct event *ev))
{
    char text[STACK_DESCRIBE_MAX];

    for (size_t i = 0; i < n; i++) {
        struct event ev = {0};

        stack_describe(frames[i].pc, i > 0 ? STACK_CALLER : 0, text, sizeof text);
        ev.kind = EVENT_FRAME;
        ev.thread = tid;
        ev.index = (uint32_t)i;
        ev.handle = frames[i].pc;
        ev.value = frames[i].sp;
        ev.text = text;
        emit(&ev);
    }
}

/* NtQueryInformationThread's ThreadBasicInformation (not in mingw's
 * winternl.h). */
struct thread_basic {
    NTSTATUS exit_status;
    void *teb;
    HANDLE process, thread; /* CLIENT_ID */
    ULONG_PTR affinity;
    LONG priority, base_priority;
};

/* Bounds of another thread's stack, from its TEB (readable in-process). */
static int thread_bounds(HANDLE thread, struct stack_bounds *b)
{
    struct thread_basic info;
    const NT_TIB *tib;

    if (NtQueryInformationThread(thread, (THREADINFOCLASS)0 /* ThreadBasicInformation */, &info,
                                 sizeof info, NULL) != 0 ||
        info.teb == NULL) {
        return -1;
    }
    tib = info.teb;
    b->low = (uint64_t)(ULONG_PTR)tib->StackLimit;
    b->high = (uint64_t)(ULONG_PTR)tib->StackBase;
    return 0;
}

#define DUMP_THREADS 64

struct dumped {
    DWORD tid;
    size_t n;
    struct stack_frame frames[STACK_MAX_FRAMES];
};

/* Suspends, reads and resumes one thread; its frames go into d. Nothing is
 * emitted while it is suspended: it may hold the recorder's lock. */
static void walk_thread(DWORD tid, struct dumped *d)
{
    static CONTEXT ctx; /* one dump at a time (the callers are serial) */
    struct stack_bounds b;
    HANDLE h = OpenThread(THREAD_SUSPEND_RESUME | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION,
                          FALSE, tid);

    d->tid = tid;
    d->n = 0;
    if (h == NULL) {
        return;
    }
    if (SuspendThread(h) != (DWORD)-1) {
        memset(&ctx, 0, sizeof ctx);
        ctx.ContextFlags = CONTEXT_FULL;
        if (GetThreadContext(h, &ctx) && thread_bounds(h, &b) == 0) {
            d->n = stack_walk(&ctx, b, d->frames, STACK_MAX_FRAMES);
        }
        ResumeThread(h);
    }
    CloseHandle(h);
}

void stack_dump_all(const char *why)
{
    static struct dumped dumps[DUMP_THREADS];
    static volatile LONG busy;
    DWORD self = GetCurrentThreadId(), pid = GetCurrentProcessId();
    struct event ev = {0};
    THREADENTRY32 te;
    HANDLE snap;
    size_t count = 0;

    if (InterlockedCompareExchange(&busy, 1, 0) != 0) {
        return;
    }
    stack_prepare_thread();
    snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    te.dwSize = sizeof te;
    if (snap != INVALID_HANDLE_VALUE && Thread32First(snap, &te)) {
        do {
            if (te.th32OwnerProcessID == pid && te.th32ThreadID != self && count < DUMP_THREADS) {
                walk_thread(te.th32ThreadID, &dumps[count++]);
            }
            te.dwSize = sizeof te;
        } while (Thread32Next(snap, &te));
    }
    if (snap != INVALID_HANDLE_VALUE) {
        CloseHandle(snap);
    }
    for (size_t i = 0; i < count; i++) {
        if (dumps[i].n == 0) {
            /* Still named, so that no thread is missing from the dump. */
            struct event none = {0};
            none.kind = EVENT_FRAME;
            none.thread = dumps[i].tid;
            none.text = "(the thread could not be suspended or read)";
            recorder_emit(&none);
        }
        stack_emit(dumps[i].tid, dumps[i].frames, dumps[i].n, recorder_emit);
    }
    ev.kind = EVENT_STACKS;
    ev.value = count;
    ev.text = why;
    recorder_emit(&ev);
    InterlockedExchange(&busy, 0);
}

/* The first frame of d inside [base, base + size), or -1. */
static long frame_in_image(const struct dumped *d, uint64_t base, uint64_t size)
{
    for (size_t i = 0; i < d->n; i++) {
        if (d->frames[i].pc >= base && d->frames[i].pc - base < size) {
            return (long)i;
        }
    }
    return -1;
}

size_t stack_emit_in_image(const DWORD *ids, size_t n, const void *base, size_t size,
                           const char *why, char *first, size_t cap)
{
    static struct dumped dumps[DUMP_THREADS];
    uint64_t lo = (uint64_t)(ULONG_PTR)base;
    struct event ev = {0};
    size_t kept = 0;

    first[0] = '\0';
    stack_prepare_thread();
    for (size_t i = 0; i < n && kept < DUMP_THREADS; i++) {
        walk_thread(ids[i], &dumps[kept]);
        if (frame_in_image(&dumps[kept], lo, size) >= 0) {
            kept++;
        }
    }
    for (size_t i = 0; i < kept; i++) {
        stack_emit(dumps[i].tid, dumps[i].frames, dumps[i].n, recorder_emit);
    }
    if (kept == 0) {
        return 0;
    }
    {
        char at[STACK_DESCRIBE_MAX];
        long f = frame_in_image(&dumps[0], lo, size);
        stack_describe(dumps[0].frames[f].pc, f > 0 ? STACK_CALLER : 0, at, sizeof at);
        snprintf(first, cap, "thread %lu at %s", (unsigned long)dumps[0].tid, at);
    }
    ev.kind = EVENT_STACKS;
    ev.value = kept;
    ev.text = why;
    recorder_emit(&ev);
    return kept;
}
