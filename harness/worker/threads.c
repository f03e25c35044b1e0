/* threads.c: the process's threads, kept as the loader reports them (see threads.h). */
#include "threads.h"

#include <stdio.h>

#include <winternl.h>

#include "fake_record.h"
#include "starve.h"

/* More running threads than this and the newest are not kept (nor waited
 * for): far past what a provider runs. */
#define MAX_RUNNING 4096u
/* What one wait takes at most before the list is read again. */
#define WAIT_SLICE_MS 50u

struct running {
    DWORD id;
    unsigned long number;
    int host; /* one of the host's own (threads_host): never counted */
};

static SRWLOCK lock = SRWLOCK_INIT;
static struct running list[MAX_RUNNING];
static size_t n_running;
static unsigned long started;

static void drop_locked(DWORD id)
{
    for (size_t i = 0; i < n_running; i++) {
        if (list[i].id == id) {
            list[i] = list[--n_running];
            return;
        }
    }
}

static struct running *find_locked(DWORD id)
{
    for (size_t i = 0; i < n_running; i++) {
        if (list[i].id == id) {
            return &list[i];
        }
    }
    return NULL;
}

/* Numbers a thread and keeps it, once. Under the lock. */
static struct running *add_locked(DWORD id)
{
    struct running *r = find_locked(id);

    if (r != NULL) {
        return r;
    }
    started++;
    if (n_running < MAX_RUNNING) {
        list[n_running] = (struct running){id, started, 0};
        return &list[n_running++];
    }
    return NULL;
}

void threads_starting(DWORD id)
{
    if (id == 0) {
        return;
    }
    AcquireSRWLockExclusive(&lock);
    add_locked(id);
    ReleaseSRWLockExclusive(&lock);
}

void threads_host(DWORD id)
{
    struct running *r;

    if (id == 0) {
        return;
    }
    AcquireSRWLockExclusive(&lock);
    r = add_locked(id);
    if (r != NULL) {
        r->host = 1;
    }
    ReleaseSRWLockExclusive(&lock);
}

HANDLE threads_start_host(LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE t = CreateThread(NULL, 64 * 1024, fn, arg, 0, NULL);

    if (t != NULL) {
        threads_host(GetThreadId(t));
    }
    return t;
}

/* The loader calls this on each thread as it starts and as it ends, under
 * its own lock; the lock here is never held across a call into it. */
static void NTAPI on_thread(PVOID module, DWORD reason, PVOID reserved)
{
    (void)module;
    (void)reserved;
    if (reason != DLL_THREAD_ATTACH && reason != DLL_THREAD_DETACH) {
        return;
    }
    AcquireSRWLockExclusive(&lock);
    if (reason == DLL_THREAD_DETACH) {
        drop_locked(GetCurrentThreadId());
    } else {
        add_locked(GetCurrentThreadId());
    }
    ReleaseSRWLockExclusive(&lock);
}

/* The C runtime's TLS directory calls every callback placed between its
 * .CRT$XLA and .CRT$XLZ markers; _tls_used is that directory. */
__attribute__((section(".CRT$XLB"), used)) PIMAGE_TLS_CALLBACK synchost_on_thread = on_thread;
extern const IMAGE_TLS_DIRECTORY _tls_used;
const void *const synchost_tls_directory = &_tls_used;

unsigned long threads_mark(void)
{
    unsigned long n;

    AcquireSRWLockShared(&lock);
    n = started;
    ReleaseSRWLockShared(&lock);
    return n;
}

/* Where a thread starts, asked of the system (ThreadQuerySetWin32StartAddress). */
static void *start_address(HANDLE h)
{
    void *start = NULL;

    if (NtQueryInformationThread(h, (THREADINFOCLASS)9, &start, sizeof start, NULL) != 0) {
        return NULL;
    }
    return start;
}

/* A thread of the system's own: one ntdll starts for the thread pool (work
 * items, timers, waits), which keeps it idle after its work, as Windows'
 * does. Not the provider's thread, whoever queued the work. */
static int system_thread(HANDLE h)
{
    static const unsigned char *base;
    static DWORD size;
    const unsigned char *start = start_address(h);

    if (base == NULL) {
        const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)GetModuleHandleW(L"ntdll.dll");
        if (dos == NULL) {
            return 0;
        }
        size = ((const IMAGE_NT_HEADERS *)((const unsigned char *)dos + dos->e_lfanew))
                   ->OptionalHeader.SizeOfImage;
        base = (const unsigned char *)dos;
    }
    return start != NULL && start >= base && start < base + size;
}

/* Opens the threads started after mark that still run (at most cap), not
 * counting the system's own (system_thread); drops from the list the ones
 * found ended. Returns how many still run. */
static size_t open_since(unsigned long mark, HANDLE *out, size_t cap, size_t *opened)
{
    DWORD ids[MAXIMUM_WAIT_OBJECTS];
    size_t n = 0, running = 0;

    *opened = 0;
    AcquireSRWLockShared(&lock);
    for (size_t i = 0; i < n_running && n < cap; i++) {
        if (list[i].number > mark && !list[i].host && list[i].id != GetCurrentThreadId()) {
            ids[n++] = list[i].id;
        }
    }
    ReleaseSRWLockShared(&lock);
    for (size_t i = 0; i < n; i++) {
        HANDLE h = OpenThread(SYNCHRONIZE | THREAD_QUERY_INFORMATION, FALSE, ids[i]);
        if (h != NULL && GetProcessIdOfThread(h) == GetCurrentProcessId() &&
            WaitForSingleObject(h, 0) == WAIT_TIMEOUT) {
            if (system_thread(h)) {
                CloseHandle(h);
                continue;
            }
            out[(*opened)++] = h;
            running++;
            continue;
        }
        if (h != NULL) {
            CloseHandle(h);
        }
        AcquireSRWLockExclusive(&lock); /* ended without saying so */
        drop_locked(ids[i]);
        ReleaseSRWLockExclusive(&lock);
    }
    return running;
}

/* "thread 1234, started at x.dll+0x1a2b" (its start address, asked of the
 * system: ThreadQuerySetWin32StartAddress). */
static void describe(HANDLE h, char *out, size_t cap)
{
    void *start = start_address(h);
    char at[MAX_PATH + 32];

    if (start != NULL) {
        fake_format_caller(start, at, sizeof at);
        snprintf(out, cap, "thread %lu, started at %s", (unsigned long)GetThreadId(h), at);
    } else {
        snprintf(out, cap, "thread %lu", (unsigned long)GetThreadId(h));
    }
}

size_t threads_wait_since(unsigned long mark, DWORD timeout_ms, char *first, size_t cap)
{
    struct starve_mark since;
    int refreshed = 0;

    starve_mark(&since);
    for (;;) {
        HANDLE h[MAXIMUM_WAIT_OBJECTS];
        size_t opened;
        size_t running = open_since(mark, h, MAXIMUM_WAIT_OBJECTS, &opened);
        ULONGLONG now = GetTickCount64(), end = starve_deadline(&since, timeout_ms);

        if (running > 0 && now >= end && !refreshed) {
            /* The machine's load may have moved the end since last told:
             * looked at again once the figure is taken afresh. */
            refreshed = 1;
            for (size_t i = 0; i < opened; i++) {
                CloseHandle(h[i]);
            }
            starve_refresh();
            continue;
        }
        if (running > 0 && now < end) {
            DWORD slice = end - now < WAIT_SLICE_MS ? (DWORD)(end - now) : WAIT_SLICE_MS;
            WaitForMultipleObjects((DWORD)opened, h, FALSE, slice);
        } else if (first != NULL && cap > 0) {
            first[0] = '\0';
            if (opened > 0) {
                describe(h[0], first, cap);
            }
        }
        for (size_t i = 0; i < opened; i++) {
            CloseHandle(h[i]);
        }
        if (running == 0 || now >= end) {
            return running;
        }
    }
}

size_t threads_running_since(unsigned long mark, DWORD *ids, size_t cap)
{
    HANDLE h[MAXIMUM_WAIT_OBJECTS];
    size_t opened, n = 0;

    open_since(mark, h, MAXIMUM_WAIT_OBJECTS, &opened);
    for (size_t i = 0; i < opened; i++) {
        if (n < cap) {
            ids[n++] = GetThreadId(h[i]);
        }
        CloseHandle(h[i]);
    }
    return n;
}
