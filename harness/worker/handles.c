/* handles.c: the handles the provider's code opens, while open (see handles.h). */
#include "handles.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <winternl.h>

#include "fake_record.h"
#include "hostheld.h"
#include "imports.h"
#include "lookups.h"
#include "observe.h"
#include "threads.h"

/* More open handles than this and the newest are not kept (and a leak among
 * them is not seen): a provider with this many open is broken anyway. */
#define MAX_OPEN 65536u

struct open_handle {
    HANDLE h;
    const char *api;  /* the call that opened it */
    const char *type; /* the object manager's name for its type; NULL: any */
    const void *site; /* the provider's call */
    unsigned gen;     /* the scenario that opened it */
};

/* The done events the host holds: from the call's return to the host's own
 * CloseHandle after the settle period. A few per scenario (one per call of
 * an overlap), so the close wrappers only compare against a short list. */
#define HOST_OWNED_MAX 32u

struct host_owned {
    HANDLE h;
    const void *closed_at; /* the provider's CloseHandle of it, or NULL */
};

/* Each call site that opened a handle, and the scenario in which it first
 * did: a handle is judged only when its site opened one in an earlier
 * scenario of this worker. A site's first handle may be what the provider
 * keeps once per process (a lazily made global, a runtime's semaphore made
 * at its first contention), made in whichever scenario first needs it:
 * only a second session tells that from a handle per session. More sites
 * than this and the newest are judged from their first scenario on. */
#define SITES_MAX 1024u

struct site_seen {
    const void *site;
    unsigned gen;
};

/* The provider's last closes, whatever they closed: a done event closed
 * before the host looked at it is told from a value that never was one. */
#define RECENT_CLOSES 64u

struct recent_close {
    HANDLE h;
    const void *site;
};

static SRWLOCK lock = SRWLOCK_INIT;
static struct recent_close recent[RECENT_CLOSES];
static unsigned long n_closes;
static struct site_seen sites[SITES_MAX];
static size_t n_sites;
static struct host_owned host_owned[HOST_OWNED_MAX];
static size_t n_host_owned;
static struct open_handle *open_list;
static size_t n_open, cap_open;
static unsigned generation;
static size_t opened_now;

/* Drops h from the list (it was closed). Under the lock. */
static void drop_locked(HANDLE h)
{
    for (size_t i = 0; i < n_open; i++) {
        if (open_list[i].h == h) {
            open_list[i] = open_list[--n_open];
            return;
        }
    }
}

/* Remembers the scenario in which site first opened a handle. Under the lock. */
static void note_site_locked(const void *site)
{
    for (size_t i = 0; i < n_sites; i++) {
        if (sites[i].site == site) {
            return;
        }
    }
    if (n_sites < SITES_MAX) {
        sites[n_sites++] = (struct site_seen){site, generation};
    }
}

/* Did site open a handle before scenario gen? Under the lock (shared). */
static int site_seen_before(const void *site, unsigned gen)
{
    for (size_t i = 0; i < n_sites; i++) {
        if (sites[i].site == site) {
            return sites[i].gen < gen;
        }
    }
    return 1; /* past SITES_MAX: judged */
}

static HANDLE keep(HANDLE h, const char *api, const char *type, const void *site)
{
    if (h == NULL || h == INVALID_HANDLE_VALUE) {
        return h;
    }
    AcquireSRWLockExclusive(&lock);
    drop_locked(h); /* a value seen before was closed in a way not watched */
    if (n_open == cap_open && cap_open < MAX_OPEN) {
        size_t cap = cap_open ? cap_open * 2 : 64;
        void *p = open_list ? HeapReAlloc(GetProcessHeap(), 0, open_list, cap * sizeof *open_list)
                            : HeapAlloc(GetProcessHeap(), 0, cap * sizeof *open_list);
        if (p != NULL) {
            open_list = p;
            cap_open = cap;
        }
    }
    if (n_open < cap_open) {
        open_list[n_open++] = (struct open_handle){h, api, type, site, generation};
        opened_now++;
    }
    note_site_locked(site);
    ReleaseSRWLockExclusive(&lock);
    return h;
}

static void forget(HANDLE h)
{
    AcquireSRWLockExclusive(&lock);
    drop_locked(h);
    ReleaseSRWLockExclusive(&lock);
}

/* The provider's code closes h (CloseHandle, or DuplicateHandle with
 * DUPLICATE_CLOSE_SOURCE) at `site`. When h is a handle the host holds, the
 * close is remembered: Wine hands a closed value out again at once, so the
 * host's own CloseHandle later may well succeed, on an object of the
 * provider's, and cannot tell. */
static void provider_closes(HANDLE h, const void *site)
{
    AcquireSRWLockExclusive(&lock);
    drop_locked(h);
    recent[n_closes++ % RECENT_CLOSES] = (struct recent_close){h, site};
    for (size_t i = 0; i < n_host_owned; i++) {
        if (host_owned[i].h == h && host_owned[i].closed_at == NULL) {
            host_owned[i].closed_at = site;
        }
    }
    ReleaseSRWLockExclusive(&lock);
}

/* A wrapper per call: the real one (the worker's own import, which is not
 * wrapped), then the handle kept with the provider's call site. */
#define OPENS(name, type, params, args)                                 \
    static HANDLE WINAPI w_##name params                                \
    {                                                                   \
        return keep(name args, #name, type, __builtin_return_address(0)); \
    }
typedef LPSECURITY_ATTRIBUTES SA;
OPENS(CreateEventA, "Event", (SA a, BOOL m, BOOL s, LPCSTR n), (a, m, s, n))
OPENS(CreateEventW, "Event", (SA a, BOOL m, BOOL s, LPCWSTR n), (a, m, s, n))
OPENS(CreateEventExA, "Event", (SA a, LPCSTR n, DWORD f, DWORD x), (a, n, f, x))
OPENS(CreateEventExW, "Event", (SA a, LPCWSTR n, DWORD f, DWORD x), (a, n, f, x))
OPENS(OpenEventA, "Event", (DWORD x, BOOL i, LPCSTR n), (x, i, n))
OPENS(OpenEventW, "Event", (DWORD x, BOOL i, LPCWSTR n), (x, i, n))
OPENS(CreateMutexA, "Mutant", (SA a, BOOL o, LPCSTR n), (a, o, n))
OPENS(CreateMutexW, "Mutant", (SA a, BOOL o, LPCWSTR n), (a, o, n))
OPENS(CreateMutexExA, "Mutant", (SA a, LPCSTR n, DWORD f, DWORD x), (a, n, f, x))
OPENS(CreateMutexExW, "Mutant", (SA a, LPCWSTR n, DWORD f, DWORD x), (a, n, f, x))
OPENS(OpenMutexA, "Mutant", (DWORD x, BOOL i, LPCSTR n), (x, i, n))
OPENS(OpenMutexW, "Mutant", (DWORD x, BOOL i, LPCWSTR n), (x, i, n))
OPENS(CreateSemaphoreA, "Semaphore", (SA a, LONG c, LONG m, LPCSTR n), (a, c, m, n))
OPENS(CreateSemaphoreW, "Semaphore", (SA a, LONG c, LONG m, LPCWSTR n), (a, c, m, n))
OPENS(CreateSemaphoreExW, "Semaphore", (SA a, LONG c, LONG m, LPCWSTR n, DWORD f, DWORD x),
      (a, c, m, n, f, x))
OPENS(OpenSemaphoreW, "Semaphore", (DWORD x, BOOL i, LPCWSTR n), (x, i, n))
OPENS(CreateWaitableTimerA, "Timer", (SA a, BOOL m, LPCSTR n), (a, m, n))
OPENS(CreateWaitableTimerW, "Timer", (SA a, BOOL m, LPCWSTR n), (a, m, n))
OPENS(CreateWaitableTimerExW, "Timer", (SA a, LPCWSTR n, DWORD f, DWORD x), (a, n, f, x))
OPENS(OpenWaitableTimerW, "Timer", (DWORD x, BOOL i, LPCWSTR n), (x, i, n))
OPENS(OpenThread, "Thread", (DWORD x, BOOL i, DWORD id), (x, i, id))
OPENS(OpenProcess, "Process", (DWORD x, BOOL i, DWORD id), (x, i, id))
OPENS(CreateFileMappingA, "Section", (HANDLE h, SA a, DWORD p, DWORD hi, DWORD lo, LPCSTR n),
      (h, a, p, hi, lo, n))
OPENS(CreateFileMappingW, "Section", (HANDLE h, SA a, DWORD p, DWORD hi, DWORD lo, LPCWSTR n),
      (h, a, p, hi, lo, n))
OPENS(OpenFileMappingA, "Section", (DWORD x, BOOL i, LPCSTR n), (x, i, n))
OPENS(OpenFileMappingW, "Section", (DWORD x, BOOL i, LPCWSTR n), (x, i, n))

/* A file not there is also told to lookups.h, for a failing load step. */
#define OPENS_FILE(name, wide, chr)                                                         \
    static HANDLE WINAPI w_##name(const chr *n, DWORD x, DWORD s, SA a, DWORD d, DWORD f,     \
                                  HANDLE t)                                                   \
    {                                                                                         \
        HANDLE h = name(n, x, s, a, d, f, t);                                                 \
        if (h == INVALID_HANDLE_VALUE) {                                                      \
            lookups_file_missing(n, wide, GetLastError());                                    \
        }                                                                                     \
        return keep(h, #name, "File", __builtin_return_address(0));                           \
    }
OPENS_FILE(CreateFileA, 0, char)
OPENS_FILE(CreateFileW, 1, WCHAR)

/* A thread is also kept by threads.c at once, before it first runs. */
static HANDLE WINAPI w_CreateThread(SA a, SIZE_T s, LPTHREAD_START_ROUTINE f, LPVOID p, DWORD c,
                                    LPDWORD id)
{
    HANDLE h = CreateThread(a, s, f, p, c, id);

    if (h != NULL) {
        threads_starting(GetThreadId(h));
    }
    return keep(h, "CreateThread", "Thread", __builtin_return_address(0));
}

/* A completion port is new only when none was passed in. */
static HANDLE WINAPI w_CreateIoCompletionPort(HANDLE f, HANDLE port, ULONG_PTR key, DWORD n)
{
    HANDLE h = CreateIoCompletionPort(f, port, key, n);
    return port == NULL ? keep(h, "CreateIoCompletionPort", "IoCompletion",
                               __builtin_return_address(0))
                        : h;
}

/* A close of a handle the host holds (hostheld.h) is refused, as for a
 * value that names nothing: the host keeps working and the attempt is
 * recorded as host-integrity. */
static BOOL WINAPI w_DuplicateHandle(HANDLE sp, HANDLE s, HANDLE tp, LPHANDLE t, DWORD x, BOOL i,
                                     DWORD o)
{
    int closes_own = (o & DUPLICATE_CLOSE_SOURCE) && GetProcessId(sp) == GetCurrentProcessId();
    BOOL ok;

    if (closes_own && hostheld_refuse(s, "DuplicateHandle with DUPLICATE_CLOSE_SOURCE",
                                      __builtin_return_address(0))) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    ok = DuplicateHandle(sp, s, tp, t, x, i, o);
    if (closes_own) {
        provider_closes(s, __builtin_return_address(0));
    }
    if (ok && t != NULL && GetProcessId(tp) == GetCurrentProcessId()) {
        keep(*t, "DuplicateHandle", NULL, __builtin_return_address(0));
    }
    return ok;
}

static BOOL WINAPI w_CloseHandle(HANDLE h)
{
    if (hostheld_refuse(h, "CloseHandle", __builtin_return_address(0))) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    provider_closes(h, __builtin_return_address(0));
    return CloseHandle(h);
}

/* The same close one level down, for a provider that imports ntdll's. */
static NTSTATUS NTAPI w_NtClose(HANDLE h)
{
    if (hostheld_refuse(h, "NtClose", __builtin_return_address(0))) {
        return (NTSTATUS)0xC0000008L; /* STATUS_INVALID_HANDLE */
    }
    provider_closes(h, __builtin_return_address(0));
    return NtClose(h);
}

/* _beginthreadex, of the first C runtime seen importing it (msvcrt,
 * ucrtbase or a copy the provider ships). */
typedef uintptr_t(__cdecl *beginthreadex_fn)(void *, unsigned, unsigned(__stdcall *)(void *),
                                             void *, unsigned, unsigned *);
static beginthreadex_fn real_beginthreadex;

static uintptr_t __cdecl w_beginthreadex(void *a, unsigned s, unsigned(__stdcall *f)(void *),
                                         void *p, unsigned c, unsigned *id)
{
    uintptr_t h = real_beginthreadex(a, s, f, p, c, id);

    if (h != 0) {
        threads_starting(GetThreadId((HANDLE)h));
    }
    keep((HANDLE)h, "_beginthreadex", "Thread", __builtin_return_address(0));
    return h;
}

#define ENTRY IMPORTS_WRAPPER
static const struct imports_wrapper wrappers[] = {
    ENTRY(CreateEventA),         ENTRY(CreateEventW),       ENTRY(CreateEventExA),
    ENTRY(CreateEventExW),       ENTRY(OpenEventA),         ENTRY(OpenEventW),
    ENTRY(CreateMutexA),         ENTRY(CreateMutexW),       ENTRY(CreateMutexExA),
    ENTRY(CreateMutexExW),       ENTRY(OpenMutexA),         ENTRY(OpenMutexW),
    ENTRY(CreateSemaphoreA),     ENTRY(CreateSemaphoreW),   ENTRY(CreateSemaphoreExW),
    ENTRY(OpenSemaphoreW),       ENTRY(CreateWaitableTimerA), ENTRY(CreateWaitableTimerW),
    ENTRY(CreateWaitableTimerExW), ENTRY(OpenWaitableTimerW), ENTRY(CreateThread),
    ENTRY(OpenThread),           ENTRY(OpenProcess),        ENTRY(CreateFileA),
    ENTRY(CreateFileW),          ENTRY(CreateFileMappingA), ENTRY(CreateFileMappingW),
    ENTRY(OpenFileMappingA),     ENTRY(OpenFileMappingW),   ENTRY(CreateIoCompletionPort),
    ENTRY(DuplicateHandle),      ENTRY(CloseHandle),        ENTRY(NtClose),
};

static void *wrapper_for(const char *dll, const char *name, const void *current)
{
    if (strcmp(name, "_beginthreadex") == 0) {
        if (dll == NULL) {
            return NULL; /* a GetProcAddress: only imports pick the runtime */
        }
        if (real_beginthreadex == NULL) {
            real_beginthreadex = (beginthreadex_fn)(void (*)(void))current;
        }
        return current == (const void *)real_beginthreadex ? (void *)w_beginthreadex : NULL;
    }
    return imports_wrapper_named(wrappers, sizeof wrappers / sizeof wrappers[0], name);
}

void handles_init(void)
{
    imports_watch(wrapper_for);
}

void handles_begin(void)
{
    AcquireSRWLockExclusive(&lock);
    generation++;
    opened_now = 0;
    ReleaseSRWLockExclusive(&lock);
    hostheld_begin();
}

void handles_forget(HANDLE h)
{
    forget(h);
}

void handles_host_takes(HANDLE h)
{
    AcquireSRWLockExclusive(&lock);
    if (n_host_owned < HOST_OWNED_MAX) {
        host_owned[n_host_owned++] = (struct host_owned){h, NULL};
    }
    ReleaseSRWLockExclusive(&lock);
}

unsigned long handles_close_mark(void)
{
    unsigned long n;

    AcquireSRWLockShared(&lock);
    n = n_closes;
    ReleaseSRWLockShared(&lock);
    return n;
}

int handles_closed_since(unsigned long mark, HANDLE h, char *site, size_t cap)
{
    const void *at = NULL;

    AcquireSRWLockShared(&lock);
    if (n_closes - mark > RECENT_CLOSES) {
        mark = n_closes - RECENT_CLOSES; /* the older ones are not kept */
    }
    for (unsigned long i = mark; i < n_closes && at == NULL; i++) {
        if (recent[i % RECENT_CLOSES].h == h) {
            at = recent[i % RECENT_CLOSES].site;
        }
    }
    ReleaseSRWLockShared(&lock);
    if (at != NULL && site != NULL && cap > 0) {
        fake_format_caller(at, site, cap);
    }
    return at != NULL;
}

int handles_host_gives_up(HANDLE h, char *site, size_t cap)
{
    const void *closed_at = NULL;
    int held = 0;

    AcquireSRWLockExclusive(&lock);
    for (size_t i = 0; i < n_host_owned; i++) {
        if (host_owned[i].h == h) {
            held = 1;
            closed_at = host_owned[i].closed_at;
            host_owned[i] = host_owned[--n_host_owned];
            break;
        }
    }
    ReleaseSRWLockExclusive(&lock);
    if (site != NULL && cap > 0) {
        site[0] = '\0';
        if (closed_at != NULL) {
            fake_format_caller(closed_at, site, cap);
        }
    }
    return held && closed_at != NULL;
}

/* Is the handle still open on an object of the type it was opened for? A
 * value closed some other way is not, or names something else now. */
static int still_open(const struct open_handle *o, char *type, size_t cap)
{
    DWORD flags;

    observe_waitable(o->h, type, cap);
    if (!GetHandleInformation(o->h, &flags)) {
        return 0;
    }
    return o->type == NULL || strcmp(type, o->type) == 0;
}

size_t handles_still_open(size_t *opened, char *first, size_t cap)
{
    size_t n = 0;

    first[0] = '\0';
    AcquireSRWLockShared(&lock);
    *opened = opened_now;
    for (size_t i = 0; i < n_open; i++) {
        const struct open_handle *o = &open_list[i];
        char type[64], at[MAX_PATH + 32];
        if (o->gen != generation || !site_seen_before(o->site, o->gen) ||
            !still_open(o, type, sizeof type)) {
            continue;
        }
        if (n++ == 0) {
            fake_format_caller(o->site, at, sizeof at);
            snprintf(first, cap, "%s at %s: %s %s, handle 0x%llx", o->api, at,
                     type[0] && strchr("AEIOU", type[0]) != NULL ? "an" : "a", type[0] ? type : "object",
                     (unsigned long long)(ULONG_PTR)o->h);
        }
    }
    ReleaseSRWLockShared(&lock);
    return n;
}
