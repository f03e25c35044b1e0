/*
 * worker.c: the load chain and the shutdown around a scenario's syncs, as
 * Outlook performs them (the syncs themselves: sync_run.c).
 *
 * Documented (Outlook MAPI reference, "MSProviderInit", "IMSProvider::Logon",
 * "IMSLogon::Logoff"): the provider DLL is loaded, its MSProviderInit hands
 * back an IMSProvider, Logon gives the IMSLogon and the store, the store is
 * asked for IID_IMAPISync; at the end the host logs off, releases the
 * objects, shuts the provider down and frees the DLL. Under host.shutdown:
 * fast, the end is Outlook's fast shutdown instead when the provider offers
 * it ("IMAPIProviderShutdown : IUnknown", "Fast Shutdown Overview"): the
 * process then ends with nothing released.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <synchost/mapisync.h>

#include <mapicode.h>
#include <mapispi.h>

#include "callconv.h"
#include "checks.h"
#include "effects.h"
#include "fake_alloc.h"
#include "fake_faults.h"
#include "fake_profsect.h"
#include "fake_support.h"
#include "handover.h"
#include "heapcheck.h"
#include "threads.h"
#include "identity.h"
#include "lookups.h"
#include "observe.h"
#include "recorder.h"
#include "stack.h"
#include "sync_run.h"
#include "worker.h"

/* How long, at most, the host watches the provider's threads after freeing
 * its DLL: long enough for a thread it left behind to crash where the
 * report can see it, short enough that a thread pool's idle workers cost
 * little. Capped further by what is left of the shutdown deadline. */
#define UNLOAD_WATCH_MS 1000u
/* What the watch leaves of the shutdown deadline, for the last events. */
#define UNLOAD_MARGIN_MS 250u

static void emit_phase(enum host_phase phase)
{
    struct event ev = {0};

    ev.kind = EVENT_PHASE;
    ev.step = phase;
    ev.text = host_phase_name(phase);
    recorder_emit(&ev);
}

static void emit_load(enum load_step step, HRESULT hr, const char *detail)
{
    struct event ev = {0};
    char missed[EVENT_TEXT_MAX - 512], text[EVENT_TEXT_MAX];

    /* What the provider looked for and did not find during the step, taken
     * (and so forgotten) whatever the outcome, said when it failed. */
    lookups_take(missed, sizeof missed);
    ev.kind = EVENT_LOAD;
    ev.step = step;
    ev.hr = (uint32_t)hr;
    ev.text = detail;
    if (FAILED(hr) && missed[0] != '\0') {
        snprintf(text, sizeof text, "%s; it looked for what is not here: %s",
                 detail != NULL ? detail : "failed", missed);
        ev.text = text;
    }
    recorder_emit(&ev);
}

/* Win32 error text in UTF-8, without the trailing newline. */
static void win32_message(DWORD code, char *out, size_t cap)
{
    WCHAR buf[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code,
                             0, buf, 512, NULL);

    while (n > 0 && (buf[n - 1] == L'\n' || buf[n - 1] == L'\r' || buf[n - 1] == L' ')) {
        buf[--n] = 0;
    }
    if (n == 0) {
        snprintf(out, cap, "error %lu", (unsigned long)code);
        return;
    }
    snprintf(out, cap, "%ls (error %lu)", buf, (unsigned long)code);
}

/* When LoadLibrary says "module not found" for a file that exists, one of its
 * imports is missing. Walk the import table of the image (mapped without
 * resolving its imports) and name the first DLL that cannot be found, so the
 * report says what to ship rather than just "not found". */
static void find_missing_import(const WCHAR *path, char *out, size_t cap)
{
    HMODULE img = LoadLibraryExW(path, NULL, DONT_RESOLVE_DLL_REFERENCES);
    const BYTE *base = (const BYTE *)img;
    const IMAGE_NT_HEADERS *nt;
    const IMAGE_DATA_DIRECTORY *dir;
    const IMAGE_IMPORT_DESCRIPTOR *imp;

    out[0] = '\0';
    if (img == NULL) {
        return;
    }
    nt = (const IMAGE_NT_HEADERS *)(base + ((const IMAGE_DOS_HEADER *)base)->e_lfanew);
    dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    if (dir->VirtualAddress != 0) {
        for (imp = (const IMAGE_IMPORT_DESCRIPTOR *)(base + dir->VirtualAddress); imp->Name != 0;
             imp++) {
            const char *name = (const char *)(base + imp->Name);
            HMODULE dep = LoadLibraryExA(name, NULL, DONT_RESOLVE_DLL_REFERENCES);
            if (dep == NULL) {
                snprintf(out, cap, "%s", name);
                break;
            }
            FreeLibrary(dep);
        }
    }
    FreeLibrary(img);
}

static HMODULE load_provider(const WCHAR *path)
{
    char detail[1024], missing[256];
    WCHAR full[MAX_PATH];
    HMODULE dll;
    DWORD err;

    if (GetFullPathNameW(path, MAX_PATH, full, NULL) == 0) {
        wcsncpy(full, path, MAX_PATH - 1);
        full[MAX_PATH - 1] = 0;
    }
    /* Altered search path: the provider's own folder is searched for its
     * dependencies, as when MAPI loads a provider by its full path. */
    dll = LoadLibraryExW(full, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (dll != NULL) {
        emit_load(LOAD_STEP_DLL, S_OK, NULL);
        return dll;
    }
    err = GetLastError();
    win32_message(err, detail, sizeof detail);
    if (err == ERROR_MOD_NOT_FOUND && GetFileAttributesW(full) != INVALID_FILE_ATTRIBUTES) {
        size_t n = strlen(detail);
        find_missing_import(full, missing, sizeof missing);
        snprintf(detail + n, sizeof detail - n, "; missing dependency: %s",
                 missing[0] ? missing : "(not found by name)");
    } else if (err == ERROR_DLL_INIT_FAILED) {
        size_t n = strlen(detail);
        snprintf(detail + n, sizeof detail - n, "; DllMain returned FALSE");
    }
    emit_load(LOAD_STEP_DLL, HRESULT_FROM_WIN32(err), detail);
    return NULL;
}

/* The objects of one scenario's load chain, released in the reverse order.
 * The DLL itself is the worker's (struct worker). */
struct chain {
    HMODULE dll;
    IMSProvider *provider;
    IMSLogon *logon;
    IMsgStore *store;
    IMAPISync *sync;
    IMAPISupport *support; /* the host's, never freed (see fake_support.h) */
};

/* Calls MSProviderInit as Outlook does, __cdecl (STDMAPIINITCALLTYPE), and
 * checks it is one: on x86 an entry point declared __stdcall (WINAPI, as
 * COM methods are) pops its 36 bytes of arguments, which Outlook pops
 * again. detail is "" or why the entry point is wrong. */
static HRESULT call_init(HMODULE dll, MSPROVIDERINIT *init, ULONG *provider_ver,
                         IMSProvider **provider, char *detail, size_t cap)
{
    const ULONG_PTR args[] = {
        (ULONG_PTR)dll,
        (ULONG_PTR)fake_malloc_get(),
        (ULONG_PTR)fake_alloc_buffer,
        (ULONG_PTR)fake_alloc_more,
        (ULONG_PTR)fake_free_buffer,
        0,
        CURRENT_SPI_VERSION,
        (ULONG_PTR)provider_ver,
        (ULONG_PTR)provider,
    };
    LONG off = 0;
    HRESULT hr = (HRESULT)callconv_call(CALLCONV_CDECL, (const void *)init, args,
                                        sizeof args / sizeof args[0], &off);

    detail[0] = '\0';
    if (off != 0) {
        snprintf(detail, cap,
                 "MSProviderInit returned 0x%08lX but popped %ld bytes of its arguments, which "
                 "its caller pops too: it is declared __stdcall (WINAPI), and Outlook calls it "
                 "__cdecl (STDMAPIINITCALLTYPE); declare it STDMAPIINITCALLTYPE",
                 (unsigned long)hr, (long)off);
    }
    return hr;
}

/* LoadLibrary to QueryInterface(IID_IMAPISync), and under probe the
 * IUnknown identity. Returns 0 when every step succeeded; each step's
 * outcome is a `load` event. */
static int load_chain(struct chain *c, const struct host_script *sc)
{
    MSPROVIDERINIT *init;
    IMAPISupport *support = NULL;
    LPMAPIERROR mapi_error = NULL;
    ULONG provider_ver = 0, cb_security = 0;
    LPBYTE security = NULL;
    char detail[256];
    HRESULT hr;

    init = (MSPROVIDERINIT *)(void *)GetProcAddress(c->dll, "MSProviderInit");
    if (init == NULL) {
        /* What it is instead, by the entry points MAPI's other kinds of
         * service provider export (Outlook MAPI reference, "XPProviderInit",
         * "ABProviderInit"). */
        const char *kind = GetProcAddress(c->dll, "XPProviderInit") != NULL
                               ? ": it is a transport provider (XPProviderInit), and synchost "
                                 "hosts message store providers"
                           : GetProcAddress(c->dll, "ABProviderInit") != NULL
                               ? ": it is an address book provider (ABProviderInit), and "
                                 "synchost hosts message store providers"
                               : "";
        snprintf(detail, sizeof detail, "the DLL does not export MSProviderInit%s", kind);
        emit_load(LOAD_STEP_ENTRY_POINT, HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND), detail);
        return -1;
    }
    hr = call_init(c->dll, init, &provider_ver, &c->provider, detail, sizeof detail);
    if (detail[0] != '\0') {
        emit_load(LOAD_STEP_ENTRY_POINT, E_FAIL, detail);
        return -1;
    }
    if (SUCCEEDED(hr) && c->provider == NULL) {
        emit_load(LOAD_STEP_ENTRY_POINT, E_POINTER,
                  "MSProviderInit returned success but no provider object");
        return -1;
    }
    snprintf(detail, sizeof detail, "provider SPI version 0x%08lx", (unsigned long)provider_ver);
    emit_load(LOAD_STEP_ENTRY_POINT, hr, FAILED(hr) ? "MSProviderInit failed" : detail);
    if (FAILED(hr)) {
        return -1;
    }

    fake_support_create(&support);
    c->support = support;
    if (support != NULL && sc->has_profile) {
        fake_profsect_set(fake_support_profsect(support), sc->profile, sc->profile_count);
    }
    /* Without MAPI_UNICODE in ulFlags the provider reads the profile name as
     * an 8-bit string, whatever LPTSTR means in this build ("IMSProvider::
     * Logon"), so the narrow literal is what MAPI would pass. */
    hr = c->provider->lpVtbl->Logon(c->provider, support, 0, (LPTSTR) "synchost", 0, NULL, 0, NULL,
                                    &cb_security, &security, &mapi_error, &c->logon, &c->store);
    if (SUCCEEDED(hr) && (c->logon == NULL || c->store == NULL)) {
        emit_load(LOAD_STEP_LOGON, E_POINTER,
                  c->logon == NULL ? "Logon returned success but no IMSLogon"
                                   : "Logon returned success but no IMsgStore");
        return -1;
    }
    emit_load(LOAD_STEP_LOGON, hr, FAILED(hr) ? "IMSProvider::Logon failed" : NULL);
    if (FAILED(hr)) {
        return -1;
    }

    hr = c->store->lpVtbl->QueryInterface(c->store, &IID_IMAPISync, (void **)&c->sync);
    if (SUCCEEDED(hr) && c->sync == NULL) {
        emit_load(LOAD_STEP_QI_IMAPISYNC, E_POINTER, "QueryInterface returned success and NULL");
        return -1;
    }
    emit_load(LOAD_STEP_QI_IMAPISYNC, hr,
              FAILED(hr) ? "the store does not implement IMAPISync" : NULL);
    if (FAILED(hr)) {
        return -1;
    }
    if (sc->probe) {
        hr = identity_check((IUnknown *)c->store, (IUnknown *)c->sync, detail, sizeof detail);
        emit_load(LOAD_STEP_IDENTITY, hr, detail);
    }
    return FAILED(hr) ? -1 : 0;
}

/* Logoff, Shutdown and Release, as MAPI ends a store provider's session. */
static void shutdown_chain(struct chain *c)
{
    struct event ev = {0};
    ULONG flags = 0;

    if (c->sync != NULL) {
        c->sync->lpVtbl->Release(c->sync);
    }
    if (c->logon != NULL) {
        ev.kind = EVENT_LOGOFF;
        ev.hr = (uint32_t)c->logon->lpVtbl->Logoff(c->logon, &flags);
        recorder_emit(&ev);
    }
    if (c->store != NULL) {
        c->store->lpVtbl->Release(c->store);
    }
    if (c->logon != NULL) {
        c->logon->lpVtbl->Release(c->logon);
    }
    if (c->provider != NULL) {
        flags = 0;
        c->provider->lpVtbl->Shutdown(c->provider, &flags);
        c->provider->lpVtbl->Release(c->provider);
    }
}

static HRESULT emit_fast(enum fast_step step, HRESULT hr, uint64_t handle)
{
    struct event ev = {0};

    ev.kind = EVENT_FAST_SHUTDOWN;
    ev.step = step;
    ev.hr = (uint32_t)hr;
    ev.handle = handle;
    ev.text = fast_step_name(step);
    recorder_emit(&ev);
    return hr;
}

/* How long the host waits for the provider's threads to end: what is left
 * of the shutdown deadline, less the margin, at most cap ms (0: no cap). */
static DWORD fast_watch_ms(const struct worker *w, DWORD cap)
{
    ULONGLONG now = GetTickCount64();
    DWORD watch = 0;

    if (w->shutdown_deadline > now + UNLOAD_MARGIN_MS) {
        watch = (DWORD)(w->shutdown_deadline - now - UNLOAD_MARGIN_MS);
    }
    return cap != 0 && watch > cap ? cap : watch;
}

/* Outlook's fast shutdown of the provider: QueryInterface on the provider
 * object for IID_IMAPIProviderShutdown, QueryFastShutdown, and when it says
 * S_OK, NotifyProcessShutdown and DoFastShutdown; then the provider's
 * threads are given the rest of the bound to end. Returns 1 when the
 * sequence ran to DoFastShutdown (the process is to end now, nothing
 * released), 0 when the provider does not offer it or declined (the plain
 * shutdown follows; the interface is released first). */
static int fast_shutdown(struct chain *c, struct worker *w)
{
    IMAPIProviderShutdown *ps = NULL;
    struct event ev = {0};
    HRESULT hr;

    hr = c->provider->lpVtbl->QueryInterface(c->provider, &IID_IMAPIProviderShutdown, (void **)&ps);
    emit_fast(FAST_STEP_QI, hr, (uint64_t)(uintptr_t)ps);
    if (FAILED(hr) || ps == NULL) {
        return 0;
    }
    if (emit_fast(FAST_STEP_QUERY, ps->lpVtbl->QueryFastShutdown(ps), 0) != S_OK) {
        ps->lpVtbl->Release(ps);
        return 0;
    }
    emit_fast(FAST_STEP_NOTIFY, ps->lpVtbl->NotifyProcessShutdown(ps), 0);
    hr = ps->lpVtbl->DoFastShutdown(ps);
    ev.kind = EVENT_FAST_SHUTDOWN;
    ev.step = FAST_STEP_DO;
    ev.hr = (uint32_t)hr;
    ev.text = fast_step_name(FAST_STEP_DO);
    ev.index = fast_watch_ms(w, UNLOAD_WATCH_MS);
    ev.value = threads_wait_since(w->threads_mark, ev.index, NULL, 0);
    recorder_emit(&ev);
    return 1;
}

/* Each round of syncs after the first is a sync phase of its own, with its
 * own deadline in the supervisor. */
static void new_round(void)
{
    emit_phase(PHASE_SYNC);
}

static void emit_hello(unsigned ordinal)
{
    struct event ev = {0};

    ev.kind = EVENT_HELLO;
    ev.handle = GetCurrentProcessId();
    ev.value = ordinal;
#ifdef _WIN64
    ev.text = "x64";
#else
    ev.text = "x86";
#endif
    recorder_emit(&ev);
}

void worker_init(struct worker *w)
{
    MSG msg;

    memset(w, 0, sizeof *w);
    /* The thread's message queue, made now rather than by the first wait,
     * so that no scenario's timing includes making it. */
    PeekMessageW(&msg, NULL, 0, 0, PM_NOREMOVE);
    /* The host's own threads; any other is the provider's (or one a system
     * DLL started for it). */
    w->threads_mark = threads_mark();
}

/* The DLL the script names: loaded once, kept loaded across scenarios as
 * Outlook keeps a store provider loaded across syncs. */
static HMODULE provider_dll(struct worker *w, const struct host_script *sc, WCHAR *path, size_t cap)
{
    if (MultiByteToWideChar(CP_UTF8, 0, sc->provider, -1, path, (int)cap) == 0) {
        emit_load(LOAD_STEP_DLL, E_INVALIDARG, "the provider path is not valid UTF-8");
        return NULL;
    }
    if (w->dll != NULL && wcscmp(path, w->path) == 0) {
        emit_load(LOAD_STEP_DLL, S_OK, "loaded by an earlier scenario of this worker");
        return w->dll;
    }
    if (w->dll != NULL) {
        emit_load(LOAD_STEP_DLL, E_INVALIDARG, "a worker hosts one provider DLL");
        return NULL;
    }
    w->dll = load_provider(path);
    if (w->dll != NULL) {
        wcsncpy(w->path, path, sizeof w->path / sizeof w->path[0] - 1);
    }
    return w->dll;
}

/* Retires the worker (it runs nothing more) and says why: an EVENT_UNLOADED
 * of `step` (UNLOAD_HELD, UNLOAD_RETIRED) counting `count` things the
 * provider still holds, described by `text`. */
static void retire(struct worker *w, uint32_t step, size_t count, const char *text)
{
    struct event ev = {0};

    w->retired = 1;
    ev.kind = EVENT_UNLOADED;
    ev.step = step;
    ev.value = count;
    ev.text = text;
    recorder_emit(&ev);
}

/* After the scenario's shutdown: the threads it started are given the rest
 * of the shutdown bound to end. Any that still run the provider's code then
 * would run on in a DLL unmapped under them if the host freed it, and
 * crash for a reason of the host's making: the DLL is kept, their stacks
 * are recorded, and the worker is retired (a hang, not a crash, and no
 * later scenario of this worker inherits the thread). */
static void hold_if_running(struct worker *w)
{
    static DWORD ids[MAXIMUM_WAIT_OBJECTS];
    char first[STACK_DESCRIBE_MAX + 32];
    const IMAGE_NT_HEADERS *nt;
    size_t n, held;

    if (threads_wait_since(w->scenario_mark, fast_watch_ms(w, 0), NULL, 0) == 0) {
        return;
    }
    n = threads_running_since(w->scenario_mark, ids, MAXIMUM_WAIT_OBJECTS);
    nt = (const IMAGE_NT_HEADERS *)((const BYTE *)w->dll +
                                    ((const IMAGE_DOS_HEADER *)w->dll)->e_lfanew);
    held = stack_emit_in_image(ids, n, w->dll, nt->OptionalHeader.SizeOfImage,
                               "threads of the provider still running its code after the "
                               "shutdown bound",
                               first, sizeof first);
    if (held == 0) {
        return;
    }
    w->held = 1;
    retire(w, UNLOAD_HELD, held, first);
}

/* After the scenario's shutdown and the wait for its threads: a provider
 * that still holds what the host handed over for the scenario (handover.h)
 * may call in on it at any time, from threads that are not the scenario's
 * (the system thread pool, a timer). In a pooled worker such a call would
 * land in the next scenario and be judged there; so the worker is retired
 * and runs nothing else, as when each scenario has a process of its own.
 * The holding itself is the scenario's to be judged (callback-refcount,
 * done-called-once). */
static void retire_if_kept(struct worker *w, IMAPISupport *support, const struct host_script *sc)
{
    static char what[512];
    size_t kept = handover_kept(support, sc->has_logoff_after, what, sizeof what);

    if (kept == 0) {
        return;
    }
    retire(w, UNLOAD_RETIRED, kept, what);
}

int worker_run(struct worker *w, const struct host_script *sc)
{
    static WCHAR path[SCRIPT_PATH_MAX];
    struct chain c = {0};
    int status = 1;

    emit_hello(++w->ordinal);
    handover_begin();
    emit_phase(PHASE_LOAD);
    c.dll = provider_dll(w, sc, path, sizeof path / sizeof path[0]);
    /* host.faults count each service's calls from this scenario's start. */
    fake_faults_set(sc->faults, sc->fault_count);
    checks_handles_before();
    w->scenario_mark = threads_mark();
    if (c.dll != NULL && load_chain(&c, sc) == 0) {
        checks_provider_qi(c.store, c.sync);
        if (!sc->probe) {
            struct sync_chain sc_chain = {&c.sync, &c.logon, &c.store,
                                          c.support != NULL ? fake_support_profsect(c.support)
                                                            : NULL};
            emit_phase(PHASE_SYNC);
            sync_run_all(&sc_chain, sc, new_round);
        }
        status = 0;
    }
    emit_phase(PHASE_SHUTDOWN);
    w->shutdown_deadline = GetTickCount64() + sc->shutdown_timeout_ms;
    if (status == 0 && sc->shutdown_mode == SCENARIO_SHUTDOWN_FAST && fast_shutdown(&c, w)) {
        w->fast_exit = 1; /* no Logoff, no Release, no FreeLibrary: the process ends */
        return status;
    }
    shutdown_chain(&c);
    effects_processes_after(EFFECTS_PROCESS_WAIT_MS);
    /* Not in a worker's first scenario: Wine opens some of the host's own
     * handles on first use, and they would count as the provider's. */
    if (c.dll != NULL && w->ordinal > 1) {
        checks_handles_after(CHECKS_END_WAIT_MS);
    }
    heapcheck_checkpoint("after logoff and shutdown");
    if (c.dll != NULL) {
        hold_if_running(w);
    }
    if (c.dll != NULL && !w->held) {
        retire_if_kept(w, c.support, sc);
    }
    return status;
}

/* FreeLibrary, as MAPI unloads a provider after Shutdown, then the threads
 * the provider started (every thread that was not there before the DLL was
 * loaded) are watched until they end: a thread it left behind that crashes
 * later, or the DLL's own detach code, is seen and reported here rather
 * than passing unnoticed because the process ended first. The watch ends
 * within the last scenario's shutdown deadline. */
void worker_unload(struct worker *w)
{
    struct event ev = {0};
    ULONGLONG now;
    DWORD watch = 0;

    emit_phase(PHASE_UNLOAD);
    if (w->dll != NULL && !w->held) {
        worker_crash_guard_detach(w->dll);
        worker_crash_watch_loader(1);
        FreeLibrary(w->dll);
        worker_crash_watch_loader(0);
        w->dll = NULL;
    }
    now = GetTickCount64();
    if (w->shutdown_deadline > now + UNLOAD_MARGIN_MS) {
        watch = (DWORD)(w->shutdown_deadline - now - UNLOAD_MARGIN_MS);
    }
    ev.kind = EVENT_UNLOADED;
    ev.value = threads_wait_since(w->threads_mark, watch < UNLOAD_WATCH_MS ? watch : UNLOAD_WATCH_MS,
                                  NULL, 0);
    recorder_emit_tally(&ev, RECORDER_TALLY_WAIT_MS);
}
