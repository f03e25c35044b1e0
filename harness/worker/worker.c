/*
 * worker.c: the load chain and one background sync, as Outlook performs them.
 *
 * Documented (Outlook MAPI reference, "IMAPISync::SynchronizeInBackground",
 * "MSProviderInit", "IMSProvider::Logon"): the provider DLL is loaded, its
 * MSProviderInit hands back an IMSProvider, Logon gives the IMSLogon and the
 * store, the store is asked for IID_IMAPISync, and SynchronizeInBackground
 * gets a MAPISIB whose phSyncDoneEvent receives the event the provider
 * signals when its sync thread ends. Inferred: the host waits on that event
 * on its own (STA) thread while pumping messages, then closes the handle.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <synchost/mapisync.h>

#include <mapicode.h>
#include <mapispi.h>

#include "fake_alloc.h"
#include "fake_callback.h"
#include "fake_session.h"
#include "fake_support.h"
#include "heapcheck.h"
#include "recorder.h"
#include "worker.h"

static void emit_load(enum load_step step, HRESULT hr, const char *detail)
{
    struct event ev = {0};

    ev.kind = EVENT_LOAD;
    ev.step = step;
    ev.hr = (uint32_t)hr;
    ev.text = detail;
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

/* Waits for h while pumping messages, as Outlook's UI thread would: a
 * provider may post to the host thread and must not deadlock it. */
static DWORD wait_pumping(HANDLE h, DWORD timeout_ms)
{
    ULONGLONG end = GetTickCount64() + timeout_ms;

    for (;;) {
        ULONGLONG now = GetTickCount64();
        DWORD left = now >= end ? 0 : (DWORD)(end - now);
        DWORD w = MsgWaitForMultipleObjects(1, &h, FALSE, left, QS_ALLINPUT);
        MSG msg;

        if (w != WAIT_OBJECT_0 + 1) {
            return w;
        }
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
}

static void pump_for(DWORD ms)
{
    HANDLE never = CreateEventW(NULL, TRUE, FALSE, NULL);

    if (never != NULL) {
        wait_pumping(never, ms);
        CloseHandle(never);
    } else {
        Sleep(ms);
    }
}

static void run_sync(IMAPISync *sync, const struct worker_scenario *sc)
{
    IMAPISyncProgressCallback *cb = NULL;
    IMAPISession *session = NULL;
    HANDLE done_event = NULL;
    struct event ev = {0};
    ULONGLONG t0, elapsed;
    MAPISIB sib;
    HRESULT hr;
    int waitable;

    if (FAILED(fake_callback_create(&sc->callback, &cb))) {
        return; /* out of memory in the host: nothing to test with */
    }
    fake_session_create(&session);

    memset(&sib, 0, sizeof sib);
    sib.ulSize = sizeof sib;
    sib.ulFlags = sc->flags;
    sib.psesSync = session;
    sib.punkCallBack = (IUnknown *)cb;
    sib.phSyncDoneEvent = &done_event;

    ev.kind = EVENT_CALL;
    ev.flags = sc->flags;
    recorder_emit(&ev);
    t0 = GetTickCount64();
    hr = sync->lpVtbl->SynchronizeInBackground(sync, &sib);
    elapsed = GetTickCount64() - t0;

    waitable = done_event != NULL && WaitForSingleObject(done_event, 0) != WAIT_FAILED;
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_RETURN;
    ev.hr = (uint32_t)hr;
    ev.handle = (uint64_t)(ULONG_PTR)done_event;
    ev.value = (uint64_t)waitable;
    recorder_emit(&ev);

    if (SUCCEEDED(hr) && waitable) {
        DWORD left = elapsed >= sc->timeout_ms ? 0 : (DWORD)(sc->timeout_ms - elapsed);
        DWORD w = wait_pumping(done_event, left);

        memset(&ev, 0, sizeof ev);
        ev.kind = w == WAIT_OBJECT_0 ? EVENT_EVENT_SIGNALED : EVENT_EVENT_TIMEOUT;
        ev.handle = (uint64_t)(ULONG_PTR)done_event;
        ev.value = sc->timeout_ms;
        recorder_emit(&ev);
    } else if (SUCCEEDED(hr)) {
        /* No event to wait on (a violation already): give the sync until the
         * deadline to call Done, so the rest of its behaviour is still seen. */
        while (fake_callback_done_calls(cb) == 0 && GetTickCount64() - t0 < sc->timeout_ms) {
            pump_for(10);
        }
    }
    /* Late callbacks (Progress after Done, a second Done) show up here. */
    pump_for(sc->settle_ms);
    memset(&ev, 0, sizeof ev);
    ev.kind = EVENT_SETTLED;
    ev.value = 2;
    if (waitable) {
        /* The host owns the handle it was given: Done hands it back so that
         * Outlook can close it ("IMAPISyncProgressCallback::Done"). Failing
         * here means the provider closed it (event-owned-by-host). */
        ev.handle = (uint64_t)(ULONG_PTR)done_event;
        ev.value = CloseHandle(done_event) ? 1 : 0;
    }
    recorder_emit(&ev);
    heapcheck_checkpoint("after the sync");
}

int worker_run(const struct worker_scenario *sc)
{
    MSPROVIDERINIT *init;
    IMSProvider *provider = NULL;
    IMSLogon *logon = NULL;
    IMsgStore *store = NULL;
    IMAPISync *sync = NULL;
    IMAPISupport *support = NULL;
    LPMAPIERROR mapi_error = NULL;
    ULONG provider_ver = 0, cb_security = 0, flags = 0;
    LPBYTE security = NULL;
    struct event ev = {0};
    char detail[256];
    HMODULE dll;
    HRESULT hr;
    int status = 1;

    dll = load_provider(sc->provider);
    if (dll == NULL) {
        goto done;
    }
    init = (MSPROVIDERINIT *)(void *)GetProcAddress(dll, "MSProviderInit");
    if (init == NULL) {
        emit_load(LOAD_STEP_ENTRY_POINT, HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND),
                  "the DLL does not export MSProviderInit");
        goto done;
    }
    hr = init(dll, fake_malloc_get(), fake_alloc_buffer, fake_alloc_more, fake_free_buffer, 0,
              CURRENT_SPI_VERSION, &provider_ver, &provider);
    if (SUCCEEDED(hr) && provider == NULL) {
        emit_load(LOAD_STEP_ENTRY_POINT, E_POINTER,
                  "MSProviderInit returned success but no provider object");
        goto done;
    }
    snprintf(detail, sizeof detail, "provider SPI version 0x%08lx", (unsigned long)provider_ver);
    emit_load(LOAD_STEP_ENTRY_POINT, hr, FAILED(hr) ? "MSProviderInit failed" : detail);
    if (FAILED(hr)) {
        goto done;
    }

    fake_support_create(&support);
    /* Without MAPI_UNICODE in ulFlags the provider reads the profile name as
     * an 8-bit string, whatever LPTSTR means in this build ("IMSProvider::
     * Logon"), so the narrow literal is what MAPI would pass. */
    hr = provider->lpVtbl->Logon(provider, support, 0, (LPTSTR) "synchost", 0, NULL, 0, NULL,
                                 &cb_security, &security, &mapi_error, &logon, &store);
    if (SUCCEEDED(hr) && (logon == NULL || store == NULL)) {
        emit_load(LOAD_STEP_LOGON, E_POINTER,
                  logon == NULL ? "Logon returned success but no IMSLogon"
                                : "Logon returned success but no IMsgStore");
        goto done;
    }
    emit_load(LOAD_STEP_LOGON, hr, FAILED(hr) ? "IMSProvider::Logon failed" : NULL);
    if (FAILED(hr)) {
        goto done;
    }

    hr = store->lpVtbl->QueryInterface(store, &IID_IMAPISync, (void **)&sync);
    if (SUCCEEDED(hr) && sync == NULL) {
        emit_load(LOAD_STEP_QI_IMAPISYNC, E_POINTER, "QueryInterface returned success and NULL");
        goto done;
    }
    emit_load(LOAD_STEP_QI_IMAPISYNC, hr,
              FAILED(hr) ? "the store does not implement IMAPISync" : NULL);
    if (FAILED(hr)) {
        goto done;
    }

    if (!sc->probe) {
        run_sync(sync, sc);
    }
    status = 0;

done:
    if (sync != NULL) {
        sync->lpVtbl->Release(sync);
    }
    if (logon != NULL) {
        memset(&ev, 0, sizeof ev);
        ev.kind = EVENT_LOGOFF;
        ev.hr = (uint32_t)logon->lpVtbl->Logoff(logon, &flags);
        recorder_emit(&ev);
    }
    if (store != NULL) {
        store->lpVtbl->Release(store);
    }
    if (logon != NULL) {
        logon->lpVtbl->Release(logon);
    }
    if (provider != NULL) {
        flags = 0;
        provider->lpVtbl->Shutdown(provider, &flags);
        provider->lpVtbl->Release(provider);
    }
    /* The DLL stays loaded: a provider thread may still run, and Outlook
     * does not unload a store provider under its own threads either. */
    return status;
}
