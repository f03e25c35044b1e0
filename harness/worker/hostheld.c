/* hostheld.c: the handles the host holds, kept from the provider (see hostheld.h). */
#include "hostheld.h"

#include <stdio.h>

#include "fake_record.h"
#include "recorder.h"
#include "protocol/wire.h"

#define HELD_MAX 16u

struct held {
    HANDLE h;
    HANDLE copy;          /* a duplicate, to tell the same object from another */
    const char *role;     /* "the host's command pipe" */
    unsigned refused_gen; /* the scenario whose refused close was recorded, or 0 */
};

/* CompareObjectHandles (kernelbase, Windows 10 and Wine 8): NULL where the
 * system lacks it, and then a handle closed is told, one replaced is not. */
typedef BOOL(WINAPI *compare_fn)(HANDLE, HANDLE);

static SRWLOCK lock = SRWLOCK_INIT;
static struct held held[HELD_MAX];
static size_t n_held;
static unsigned generation = 1;
static compare_fn compare;
static INIT_ONCE compare_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK find_compare(INIT_ONCE *once, void *param, void **ctx)
{
    HMODULE base = GetModuleHandleW(L"kernelbase.dll");

    (void)once, (void)param, (void)ctx;
    if (base != NULL) {
        compare = (compare_fn)(void (*)(void))GetProcAddress(base, "CompareObjectHandles");
    }
    return TRUE;
}

void hostheld_add(HANDLE h, const char *role)
{
    HANDLE copy = NULL;

    if (h == NULL || h == INVALID_HANDLE_VALUE) {
        return;
    }
    InitOnceExecuteOnce(&compare_once, find_compare, NULL, NULL);
    if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &copy, 0, FALSE,
                         DUPLICATE_SAME_ACCESS)) {
        copy = NULL;
    }
    AcquireSRWLockExclusive(&lock);
    if (n_held < HELD_MAX) {
        held[n_held++] = (struct held){h, copy, role, 0};
        copy = NULL;
    }
    ReleaseSRWLockExclusive(&lock);
    if (copy != NULL) {
        CloseHandle(copy);
    }
}

BOOL hostheld_close(HANDLE h)
{
    HANDLE copy = NULL;

    AcquireSRWLockExclusive(&lock);
    for (size_t i = 0; i < n_held; i++) {
        if (held[i].h == h) {
            copy = held[i].copy;
            held[i] = held[--n_held];
            break;
        }
    }
    ReleaseSRWLockExclusive(&lock);
    if (copy != NULL) {
        CloseHandle(copy);
    }
    return CloseHandle(h);
}

/* The listed entry h is, as the handle itself or as its duplicate; with
 * *is_copy set for the duplicate. Under the lock. */
static struct held *find_locked(HANDLE h, int *is_copy)
{
    for (size_t i = 0; i < n_held; i++) {
        if (held[i].h == h || held[i].copy == h) {
            *is_copy = held[i].copy == h;
            return &held[i];
        }
    }
    return NULL;
}

int hostheld_refuse(HANDLE h, const char *api, const void *site)
{
    char text[MAX_PATH + 192], at[MAX_PATH + 32];
    const char *role = NULL;
    int is_copy = 0, listed, first = 0;
    struct held *e;

    AcquireSRWLockExclusive(&lock);
    e = find_locked(h, &is_copy);
    listed = e != NULL;
    if (e != NULL && e->refused_gen != generation) {
        e->refused_gen = generation;
        role = e->role;
        first = 1;
    }
    ReleaseSRWLockExclusive(&lock);
    if (first) { /* one refusal per handle per scenario is said */
        struct event ev = {0};

        fake_format_caller(site, at, sizeof at);
        snprintf(text, sizeof text,
                 "the provider closed %s%s, handle 0x%llx (%s at %s); the host refused the close "
                 "and kept it",
                 is_copy ? "the host's check copy of " : "", role, (unsigned long long)(ULONG_PTR)h,
                 api, at);
        ev.kind = EVENT_INTEGRITY;
        ev.value = 1;
        ev.text = text;
        recorder_emit(&ev);
    }
    return listed;
}

void hostheld_begin(void)
{
    AcquireSRWLockExclusive(&lock);
    generation++;
    ReleaseSRWLockExclusive(&lock);
}

/* Does e still name the object it was listed for? */
static int intact(const struct held *e)
{
    DWORD flags;

    if (!GetHandleInformation(e->h, &flags)) {
        return 0;
    }
    if (e->copy == NULL || compare == NULL) {
        return 1;
    }
    return compare(e->h, e->copy) ? 1 : 0;
}

void hostheld_check(void)
{
    static char text[256];
    const char *lost = NULL;
    HANDLE value = NULL;
    struct event ev = {0};

    AcquireSRWLockShared(&lock);
    for (size_t i = 0; i < n_held && lost == NULL; i++) {
        if (!intact(&held[i])) {
            lost = held[i].role;
            value = held[i].h;
        }
    }
    ReleaseSRWLockShared(&lock);
    if (lost == NULL) {
        return;
    }
    snprintf(text, sizeof text,
             "%s, handle 0x%llx, was closed or replaced in a way the host does not watch "
             "(NtClose called directly, or a system DLL on the provider's behalf)",
             lost, (unsigned long long)(ULONG_PTR)value);
    ev.kind = EVENT_INTEGRITY;
    ev.text = text;
    recorder_emit(&ev);
    TerminateProcess(GetCurrentProcess(), WIRE_EXIT_STREAM_LOST);
}
