/*
 * Hostile: forges a clean ending of the scenario into the host's event
 * stream, then leaves. On the sync thread, after its Progress steps and
 * instead of Done, it writes the lines a correct provider's scenario ends
 * with (done, release, event_signaled, settled, release, logoff, end, in the
 * worker's wire format, with plausible sequence numbers, times, thread ids
 * handle and Done status) to every pipe handle of its process, and calls ExitProcess(0).
 * Nothing of it really happened: no Done, no signal, no logoff.
 * Breaks host-integrity ("leave the host's handles and event stream alone").
 */
#include "behaviour.h"

#include <strsafe.h>

/* The events a scenario of the engine records before its first Progress:
 * hello, 3 loads + addref, call, qi, addref, return, debug_output, alloc. */
#define EVENTS_BEFORE_PROGRESS 12
/* What the worker records as event_signaled's value (the default timeout). */
#define FORGED_TIMEOUT_MS 5000
#define FORGED_TEXT_MAX   1024

/* Microseconds since this process started: the worker's clock, roughly. */
static unsigned long long forged_now_us(void)
{
    FILETIME created, exited, kernel, user, now;
    ULARGE_INTEGER a, b;

    if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) {
        return 100000;
    }
    GetSystemTimeAsFileTime(&now);
    a.LowPart = created.dwLowDateTime;
    a.HighPart = created.dwHighDateTime;
    b.LowPart = now.dwLowDateTime;
    b.HighPart = now.dwHighDateTime;
    return b.QuadPart > a.QuadPart ? (b.QuadPart - a.QuadPart) / 10 : 100000;
}

static void forged_lines(const struct provider_sync_view *view, char *buf, size_t cap)
{
    /* free is recorded after the last Progress, then Done would come. */
    unsigned long s = EVENTS_BEFORE_PROGRESS + view->progress_calls + 1;
    unsigned long long t = forged_now_us();
    unsigned long me = GetCurrentThreadId();
    unsigned long host = view->caller_tid;
    unsigned long long h = (unsigned long long)(ULONG_PTR)view->host_event;
    char hr_field[32] = ""; /* the wire leaves out fields equal to zero */

    if (view->status != S_OK) {
        StringCchPrintfA(hr_field, sizeof hr_field, " hr=0x%lx", (unsigned long)view->status);
    }

    StringCchPrintfA(buf, cap,
                     "done seq=%lu t=%llu tid=%lu%s handle=0x%llx\n"
                     "release seq=%lu t=%llu tid=%lu value=1 text=callback\n"
                     "event_signaled seq=%lu t=%llu tid=%lu handle=0x%llx value=%u\n"
                     "settled seq=%lu t=%llu tid=%lu handle=0x%llx value=1\n"
                     "release seq=%lu t=%llu tid=%lu value=1 text=support\n"
                     "logoff seq=%lu t=%llu tid=%lu\n"
                     "end seq=%lu t=%llu tid=%lu\n",
                     s, t, me, hr_field, h, s + 1, t + 3, me, s + 2, t + 130, host, h,
                     FORGED_TIMEOUT_MS, s + 3, t + 51000, host, h, s + 4, t + 51040, host, s + 5,
                     t + 51042, host, s + 6, t + 51060, host);
}

static void forge_stream(const struct provider_sync_view *view)
{
    char buf[FORGED_TEXT_MAX];
    size_t len = 0;

    forged_lines(view, buf, sizeof buf);
    StringCchLengthA(buf, sizeof buf, &len);
    /* Whichever pipe is the host's stream gets the ending; the others (its
     * standard error, a read end) take it or refuse it. */
    for (ULONG_PTR value = 4; value <= 0x4000; value += 4) {
        HANDLE h = (HANDLE)value;
        DWORD written;

        if (h == view->host_event || h == view->event || h == view->thread) {
            continue;
        }
        if (GetFileType(h) == FILE_TYPE_PIPE) {
            WriteFile(h, buf, (DWORD)len, &written, NULL);
        }
    }
    ExitProcess(0);
}

const struct provider_behaviour provider_behaviour = {
    .before_done = forge_stream,
};
