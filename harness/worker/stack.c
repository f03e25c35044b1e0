/*
 * stack.c: walks and names the frames of a thread's stack (see stack.h).
 *
 * The guard: a walk or a description runs inside guarded(), which saves
 * the caller's registers with stack_capture (RtlCaptureContext on x64),
 * as setjmp would, and marks the thread. A fault on a marked thread reaches
 * stack_guard_hook first (the worker's vectored handler calls it before
 * anything else), which puts the saved registers back, so stack_capture
 * "returns" a
 * second time with the slot's hit flag set, and guarded() returns -1. Only
 * the slot (static) and the caller's frame, which outlives the fault, are
 * used after that second return.
 */
#include "stack.h"

#include <stddef.h>
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

#ifndef _WIN64
/* stack_capture (stack.h) on x86. x86's RtlCaptureContext takes the
 * context of its caller's caller (through the caller's frame pointer),
 * which setjmp-like use cannot take: this one takes its caller's, as it
 * will be once it has returned (cdecl: the argument is the caller's to
 * pop). Control, integer and segment registers (CONTEXT_FULL); eax is 0. */
__asm__(".text\n"
        ".globl _stack_capture\n"
        ".def _stack_capture; .scl 2; .type 32; .endef\n"
        "_stack_capture:\n"
        "    movl 4(%esp), %eax\n"
        "    movl $0x10007, (%eax)\n" /* ContextFlags: i386 | CONTROL | INTEGER | SEGMENTS */
        "    movl %gs, %edx\n"
        "    movl %edx, 0x8c(%eax)\n"
        "    movl %fs, %edx\n"
        "    movl %edx, 0x90(%eax)\n"
        "    movl %es, %edx\n"
        "    movl %edx, 0x94(%eax)\n"
        "    movl %ds, %edx\n"
        "    movl %edx, 0x98(%eax)\n"
        "    movl %edi, 0x9c(%eax)\n"
        "    movl %esi, 0xa0(%eax)\n"
        "    movl %ebx, 0xa4(%eax)\n"
        "    movl $0, 0xa8(%eax)\n"
        "    movl $0, 0xac(%eax)\n"
        "    movl $0, 0xb0(%eax)\n"
        "    movl %ebp, 0xb4(%eax)\n"
        "    movl (%esp), %edx\n"
        "    movl %edx, 0xb8(%eax)\n" /* Eip: the return address */
        "    movl %cs, %edx\n"
        "    movl %edx, 0xbc(%eax)\n"
        "    pushfl\n"
        "    popl 0xc0(%eax)\n"
        "    leal 4(%esp), %edx\n"
        "    movl %edx, 0xc4(%eax)\n" /* Esp: as after the return */
        "    movl %ss, %edx\n"
        "    movl %edx, 0xc8(%eax)\n"
        "    ret\n");
_Static_assert(offsetof(CONTEXT, Eip) == 0xb8 && offsetof(CONTEXT, Esp) == 0xc4,
               "stack_capture writes x86's CONTEXT layout");
#endif

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
    stack_capture(&g->resume);
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

struct walk {
    CONTEXT ctx;
    struct stack_bounds bounds;
    struct stack_frame *out;
    size_t max, n;
};

#ifdef _WIN64
/* The function table entry covering pc, by binary search of the module's
 * .pdata (what RtlLookupFunctionEntry does, without its loader lock). */
static RUNTIME_FUNCTION *function_entry(uint64_t pc, uint64_t *base)
{
    const IMAGE_NT_HEADERS *nt = symbols_image_at(pc, base);
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

#else
/*
 * x86 has no unwind tables: frames are found by scanning the stack upward
 * from the stack pointer for return addresses, as debuggers do without
 * symbols. A value is taken as one when it points into executable image
 * memory right after a call instruction (E8 rel32, or FF /2 in any of its
 * encodings). Code built without frame pointers (GCC's -O2, MSVC's /Oy)
 * leaves no chain to follow, and the scan finds its callers all the same;
 * the price is that a stale return address left in a caller's locals can
 * show up as an extra frame. Every read is between the thread's stack
 * bounds or within one committed page of code.
 */
static int executable_at(uint64_t addr)
{
    MEMORY_BASIC_INFORMATION mbi;

    if (VirtualQuery((void *)(ULONG_PTR)addr, &mbi, sizeof mbi) == 0 || mbi.Type != MEM_IMAGE ||
        mbi.State != MEM_COMMIT) {
        return 0;
    }
    return (mbi.Protect & (PAGE_EXECUTE | PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE |
                           PAGE_EXECUTE_WRITECOPY)) != 0;
}

/* Is there a call instruction ending right before ret? */
static int follows_call(uint64_t ret)
{
    const BYTE *r = (const BYTE *)(ULONG_PTR)ret;

    if (ret < 0x10000 || !executable_at(ret) || !executable_at(ret - 7)) {
        return 0;
    }
    if (r[-5] == 0xE8) { /* call rel32 */
        return 1;
    }
    if (r[-2] == 0xFF && ((r[-1] & 0xF8) == 0xD0 || /* call reg */
                          ((r[-1] & 0xF8) == 0x10 && (r[-1] & 7) != 4 && (r[-1] & 7) != 5))) {
        return 1; /* call [reg] */
    }
    if (r[-3] == 0xFF && (((r[-2] & 0xF8) == 0x50 && (r[-2] & 7) != 4) || r[-2] == 0x14)) {
        return 1; /* call [reg+disp8], call [sib] */
    }
    if (r[-4] == 0xFF && r[-3] == 0x54) { /* call [sib+disp8] */
        return 1;
    }
    if (r[-6] == 0xFF && (r[-5] == 0x15 || ((r[-5] & 0xF8) == 0x90 && (r[-5] & 7) != 4))) {
        return 1; /* call [disp32], call [reg+disp32] */
    }
    return r[-7] == 0xFF && r[-6] == 0x94; /* call [sib+disp32] */
}

/* The next return address above the current frame's stack pointer. */
static int unwind_once(struct walk *w)
{
    CONTEXT *c = &w->ctx;
    uint64_t sp = c->Esp;

    if ((sp & 3) != 0) {
        sp = (sp + 3) & ~(uint64_t)3;
    }
    for (; sp >= w->bounds.low && sp + 4 <= w->bounds.high; sp += 4) {
        DWORD value = *(const DWORD *)(ULONG_PTR)sp;
        if (follows_call(value)) {
            c->Eip = value;
            c->Esp = (DWORD)(sp + 4);
            return 0;
        }
    }
    return -1;
}

#endif

static void walk_frames(void *arg)
{
    struct walk *w = arg;

    while (w->n < w->max && STACK_CTX_PC(&w->ctx) != 0) {
        w->out[w->n].pc = STACK_CTX_PC(&w->ctx);
        w->out[w->n].sp = STACK_CTX_SP(&w->ctx);
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
    const IMAGE_NT_HEADERS *nt;
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
