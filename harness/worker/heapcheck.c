/*
 * heapcheck.c: turns heap corruption by the provider into a `crash` event
 * (see heapcheck.h for what is checked, where, and why).
 *
 * Measured under Wine 8.0 (x86_64), which is what shaped this:
 *  - With no heap debugging, free() twice and HeapFree twice return quietly
 *    (HeapFree answers FALSE, error 87); a write past a block is seen only if
 *    it damages the next block's header, and then only by HeapValidate.
 *  - WINEDEBUG=warn+heap sets tail checking, free checking and parameter
 *    validation on every heap from the process's start, including the C
 *    runtimes' own heaps (msvcrt and ucrtbase each HeapCreate one at load).
 *    Still nothing fails loudly: a second free only prints a warning and the
 *    free of an overrun block succeeds, its damaged tail erased.
 *  - HeapValidate(heap, 0, block) accepts a block already freed (held back
 *    by free checking) and an overrun block of the low-fragmentation front
 *    end; HeapSize answers (SIZE_T)-1 for the first, and the tail bytes show
 *    the second. Whole-heap HeapValidate does not look inside the
 *    low-fragmentation groups, so it is the checkpoint, not the main check.
 */
#include "heapcheck.h"

#include <stdio.h>
#include <string.h>

#include <windows.h>

#include "fake_record.h"
#include "imports.h"
#include "recorder.h"

/* Heap flags sit at offset 0x70 of a 64-bit heap: the Windows 10 layout,
 * which Wine's heap keeps for compatibility. */
#define HEAP_FLAGS_OFFSET 0x70
/* What tail checking writes past every block: 16 bytes of 0xAB. */
#define TAIL_FILL  0xAB
#define TAIL_BYTES 16
/* Blocks from about 1 MiB are mapped on their own, without a filled tail. */
#define TAIL_MAX_BLOCK 0xF0000u
/* C runtimes whose free and realloc can be wrapped at once. */
#define CRT_SLOTS     4
#define MAX_HEAPS     64
#define STACK_FRAMES  16
#define CALLERS_SHOWN 3

typedef void(__cdecl *free_fn)(void *);
typedef void *(__cdecl *realloc_fn)(void *, size_t);
typedef intptr_t(__cdecl *heap_handle_fn)(void);

struct crt_slot {
    HMODULE module;
    HANDLE heap;
    free_fn real_free;
    realloc_fn real_realloc;
};

static struct crt_slot slots[CRT_SLOTS];
static int enabled;

/* The frames above `site` on this thread's stack, as "module+0xoffset, ...". */
static void callers_of(const void *site, char *out, size_t cap)
{
    void *frames[STACK_FRAMES];
    USHORT n = RtlCaptureStackBackTrace(0, STACK_FRAMES, frames, NULL);
    size_t len = 0;
    int shown = 0;

    out[0] = '\0';
    for (USHORT i = 0; i < n; i++) {
        if (frames[i] != site) {
            continue;
        }
        for (USHORT k = i + 1; k < n && frames[k] != NULL && shown < CALLERS_SHOWN && len + 2 < cap;
             k++, shown++) {
            char where[MAX_PATH + 32];
            fake_format_caller(frames[k], where, sizeof where);
            len += (size_t)snprintf(out + len, cap - len, "%s%s", shown ? ", " : "", where);
        }
        return;
    }
}

/* Emits the event and ends the process: the provider's heap is damaged,
 * nothing it does from here on is worth judging. The first report wins. */
static void report(const void *where, const char *text, const void *block)
{
    static LONG claimed;
    struct event ev = {0};

    if (InterlockedCompareExchange(&claimed, 1, 0) != 0) {
        Sleep(INFINITE);
    }
    ev.kind = EVENT_CRASH;
    ev.hr = HEAPCHECK_CODE;
    ev.handle = (uint64_t)(ULONG_PTR)where;
    ev.value = (uint64_t)(ULONG_PTR)block;
    ev.text = text;
    recorder_emit(&ev);
    fflush(stderr);
    TerminateProcess(GetCurrentProcess(), HEAPCHECK_CODE);
    Sleep(INFINITE);
}

static void report_release(const void *site, const char *op, HANDLE heap, const void *block,
                           const char *what)
{
    static char text[1024];
    char at[MAX_PATH + 32], callers[3 * (MAX_PATH + 34)];
    int n;

    fake_format_caller(site, at, sizeof at);
    callers_of(site, callers, sizeof callers);
    n = snprintf(text, sizeof text, "%s (%s of block 0x%llx of heap 0x%llx: %s", at, op,
                 (unsigned long long)(ULONG_PTR)block, (unsigned long long)(ULONG_PTR)heap, what);
    if (n > 0 && (size_t)n < sizeof text) {
        snprintf(text + n, sizeof text - (size_t)n, "%s%s)", callers[0] ? "; called from " : "",
                 callers);
    }
    report(site, text, block);
}

static int tail_checked(HANDLE heap)
{
    DWORD flags = *(const volatile DWORD *)((const char *)heap + HEAP_FLAGS_OFFSET);
    return (flags & HEAP_TAIL_CHECKING_ENABLED) != 0;
}

static int tail_intact(const unsigned char *block, SIZE_T size)
{
    for (SIZE_T i = 0; i < TAIL_BYTES; i++) {
        if (block[size + i] != TAIL_FILL) {
            return 0;
        }
    }
    return 1;
}

/* Called by every wrapper before it passes a release on. */
static __attribute__((noinline)) void check_release(HANDLE heap, void *block, const char *op,
                                                    const void *site)
{
    SIZE_T size;

    if (block == NULL || heap == NULL) {
        return;
    }
    size = HeapSize(heap, 0, block);
    if (size == (SIZE_T)-1) {
        report_release(site, op, heap, block,
                       "not a live block: freed already, or never allocated from this heap");
    }
    if (tail_checked(heap) && size < TAIL_MAX_BLOCK && !tail_intact(block, size)) {
        report_release(site, op, heap, block,
                       "written past its end: the bytes after it were overwritten");
    }
    if (!HeapValidate(heap, 0, block)) {
        report_release(site, op, heap, block, "HeapValidate rejects it: its header is damaged");
    }
}

/* One free and one realloc wrapper per C runtime slot: each must know its
 * runtime's heap and real function, and a wrapper has no room for context. */
#define CRT_WRAPPERS(i)                                                            \
    static void __cdecl crt_free_##i(void *p)                                      \
    {                                                                              \
        check_release(slots[i].heap, p, "free()", __builtin_return_address(0));    \
        slots[i].real_free(p);                                                     \
    }                                                                              \
    static void *__cdecl crt_realloc_##i(void *p, size_t n)                        \
    {                                                                              \
        check_release(slots[i].heap, p, "realloc()", __builtin_return_address(0)); \
        return slots[i].real_realloc(p, n);                                        \
    }
CRT_WRAPPERS(0)
CRT_WRAPPERS(1)
CRT_WRAPPERS(2)
CRT_WRAPPERS(3)

static void *const crt_free_wrappers[CRT_SLOTS] = {crt_free_0, crt_free_1, crt_free_2, crt_free_3};
static void *const crt_realloc_wrappers[CRT_SLOTS] = {crt_realloc_0, crt_realloc_1, crt_realloc_2,
                                                      crt_realloc_3};

static BOOL WINAPI wrap_heap_free(HANDLE heap, DWORD flags, void *p)
{
    check_release(heap, p, "HeapFree", __builtin_return_address(0));
    return HeapFree(heap, flags, p);
}

static void *WINAPI wrap_heap_realloc(HANDLE heap, DWORD flags, void *p, SIZE_T n)
{
    check_release(heap, p, "HeapReAlloc", __builtin_return_address(0));
    return HeapReAlloc(heap, flags, p, n);
}

/* The slot of the C runtime that holds `fn` (an imported free or realloc),
 * taking a new one the first time; -1 if it is no C runtime we know how to
 * check (no _get_heap_handle) or the slots are full. */
static int crt_slot_of(const void *fn)
{
    HMODULE mod = NULL;
    heap_handle_fn heap_handle;

    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)fn, &mod)) {
        return -1;
    }
    for (int i = 0; i < CRT_SLOTS; i++) {
        if (slots[i].module == mod) {
            return i;
        }
        if (slots[i].module != NULL) {
            continue;
        }
        heap_handle = (heap_handle_fn)(void (*)(void))GetProcAddress(mod, "_get_heap_handle");
        slots[i].real_free = (free_fn)(void (*)(void))GetProcAddress(mod, "free");
        slots[i].real_realloc = (realloc_fn)(void (*)(void))GetProcAddress(mod, "realloc");
        if (heap_handle == NULL || slots[i].real_free == NULL || slots[i].real_realloc == NULL) {
            return -1;
        }
        slots[i].heap = (HANDLE)heap_handle();
        slots[i].module = mod;
        return i;
    }
    return -1;
}

/* The wrapper for one import, or NULL to leave it alone. */
static void *wrapper_for(const char *dll, const char *name, const void *current)
{
    int slot;

    if (dll == NULL) {
        return NULL; /* a GetProcAddress, on any thread: the slots are not locked */
    }
    if (strcmp(name, "HeapFree") == 0) {
        return (void *)wrap_heap_free;
    }
    if (strcmp(name, "HeapReAlloc") == 0) {
        return (void *)wrap_heap_realloc;
    }
    if (strcmp(name, "free") != 0 && strcmp(name, "realloc") != 0) {
        return NULL;
    }
    if ((slot = crt_slot_of(current)) < 0) {
        return NULL;
    }
    return name[0] == 'f' ? crt_free_wrappers[slot] : crt_realloc_wrappers[slot];
}

void heapcheck_init(void)
{
    enabled = 1;
    if (!tail_checked(GetProcessHeap())) {
        fprintf(stderr, "synchost-worker64: --heap-check: the heaps have no tail checking "
                        "(start the worker with WINEDEBUG=warn+heap); overruns may go unseen\n");
    }
    if (imports_watch(wrapper_for) != 0) {
        fprintf(stderr, "synchost-worker64: --heap-check: no DLL load notifications; "
                        "only the checkpoints will run\n");
    }
}

void heapcheck_checkpoint(const char *when)
{
    static char text[256];
    HANDLE heaps[MAX_HEAPS];
    DWORD count;

    if (!enabled) {
        return;
    }
    count = GetProcessHeaps(MAX_HEAPS, heaps);
    for (DWORD i = 0; i < count && i < MAX_HEAPS; i++) {
        if (HeapValidate(heaps[i], 0, NULL)) {
            continue;
        }
        snprintf(text, sizeof text,
                 "heap 0x%llx (HeapValidate found it damaged %s; the write that did it was "
                 "not seen)",
                 (unsigned long long)(ULONG_PTR)heaps[i], when);
        report(heaps[i], text, NULL);
    }
}
