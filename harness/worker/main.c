/*
 * main.c: synchost-worker64.exe, the fake Outlook process. Started by the
 * supervisor (under Wine on Linux):
 *
 *     synchost-worker64.exe --key-stdin --ring PATH [--heap-check]
 *
 * maps the event ring at PATH (harness/core/protocol/ring.h), which the supervisor
 * created, reads the ring's key (harness/core/protocol/seal.h), one line of hex,
 * then one script per line (harness/core/protocol/script.h) from standard input, and
 * runs each scenario as it arrives, the provider staying loaded from one to
 * the next; at the end of input it unloads the provider and exits 0 (after
 * a fast shutdown, host.shutdown: fast, it exits 0 at once instead). By
 * hand, under a debugger, it reads the scripts from a file (or standard
 * input) with an all-zero key:
 *
 *     wine synchost-worker64.exe [--heap-check] SCRIPTS.txt
 *
 * (synchost prints the exact command, script line included, under every
 * scenario that did not pass: "under winedbg".)
 * Events go into the ring; without --ring (by hand) they are printed on
 * standard output as lines (harness/core/protocol/wire.h). Standard output carries
 * nothing else: the provider's own prints go to standard error.
 * --heap-check turns heap corruption by the provider into a `crash` event
 * with code 0xC0000374 (heapcheck.h; the supervisor also sets
 * WINEDEBUG=warn+heap for it).
 *
 * Exit status: 0 every script ran and the provider was unloaded; 2 bad
 * arguments or a line that is not a script; WIRE_EXIT_STREAM_LOST a handle
 * the host relies on was closed or replaced by the provider (wire.h); a crash
 * ends the process with the exception code.
 */
#include <io.h>
#include <objbase.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "callstat.h"
#include "command.h"
#include "debugged.h"
#include "debugout.h"
#include "handles.h"
#include "lookups.h"
#include "heapcheck.h"
#include "effects.h"
#include "hostheld.h"
#include "recorder.h"
#include "protocol/ring.h"
#include "protocol/script.h"
#include "protocol/seal.h"
#include "starve.h"
#include "protocol/wire.h"
#include "worker.h"

/* How long the ending process waits for records being written (a writer
 * takes microseconds; one waiting for room in a full ring, longer). */
#define RING_CLOSE_WAIT_MS 500u

static HANDLE stream;

/* Every line is written through at once: nothing is buffered in the worker,
 * so a provider that crashes the process a microsecond later loses nothing
 * that was already recorded. A write that fails means the pipe handle was
 * closed or replaced under the host (the worker never closes it): nothing
 * further could reach the supervisor, so the process ends at once with a
 * status that says so, rather than run on unobserved. */
static void stream_sink(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    while (len > 0) {
        DWORD done = 0;
        if (!WriteFile(stream, line, (DWORD)len, &done, NULL) || done == 0) {
            TerminateProcess(GetCurrentProcess(), WIRE_EXIT_STREAM_LOST);
            return;
        }
        line += done;
        len -= done;
    }
}

/* Keeps the real standard output for the stream and points the process's
 * standard output (Win32 handle and this CRT's fd 1) at standard error, so a
 * provider that prints cannot corrupt the stream. */
static void take_stdout(void)
{
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);

    /* Our own copy: redirecting fd 1 below closes the handle behind it. */
    if (!DuplicateHandle(GetCurrentProcess(), out, GetCurrentProcess(), &stream, 0, FALSE,
                         DUPLICATE_SAME_ACCESS)) {
        stream = out;
        return;
    }
    SetStdHandle(STD_OUTPUT_HANDLE, err);
    fflush(stdout);
    _dup2(_fileno(stderr), _fileno(stdout));
    hostheld_add(stream, "the host's event stream");
    hostheld_add(err, "the host's standard error");
}

/* The sealing key: the first line of standard input, read before anything
 * else. What was read past it goes to command_start(). */
static int read_key(HANDLE in, char *pending, size_t *pending_len)
{
    char buf[SEAL_KEY_HEX + 64];
    uint8_t key[SEAL_KEY_BYTES];
    DWORD got = 0, n;
    const char *nl = NULL;
    size_t len;

    while (nl == NULL && got < sizeof buf &&
           ReadFile(in, buf + got, (DWORD)(sizeof buf - got), &n, NULL) && n > 0) {
        got += n;
        nl = memchr(buf, '\n', got);
    }
    if (nl == NULL) {
        return -1;
    }
    len = (size_t)(nl - buf);
    *pending_len = got - len - 1;
    memcpy(pending, nl + 1, *pending_len);
    while (len > 0 && buf[len - 1] == '\r') {
        len--;
    }
    if (seal_key_parse(buf, len, key) != 0) {
        return -1;
    }
    recorder_set_key(key);
    SecureZeroMemory(buf, sizeof buf);
    SecureZeroMemory(key, sizeof key);
    return 0;
}

/* The ring's view, for the crash handler (worker_crash_watch_ring). */
static void *ring_view;
static size_t ring_len;

/* Maps the supervisor's event ring (harness/core/protocol/ring.h): from then on every
 * event goes there, written by the thread that records it. The handles are
 * closed at once: the view is all the worker keeps, so a provider that
 * closes every handle in the process cannot take the ring away. */
static int map_ring(const WCHAR *path)
{
    HANDLE file, mapping;
    void *view;
    LARGE_INTEGER size;

    file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                       0, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        return -1;
    }
    mapping = GetFileSizeEx(file, &size)
                  ? CreateFileMappingW(file, NULL, PAGE_READWRITE, 0, 0, NULL)
                  : NULL;
    CloseHandle(file);
    if (mapping == NULL) {
        return -1;
    }
    view = MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, 0);
    CloseHandle(mapping);
    if (view == NULL) {
        return -1;
    }
    ring_view = view;
    ring_len = (size_t)size.QuadPart;
    if (recorder_use_ring(view, (size_t)size.QuadPart) != 0) {
        return -1;
    }
    /* Before any provider loads: the calling thread's count is opened by
     * the id the supervisor wrote, which a provider may overwrite later. */
    callstat_open(ring_worker_pid(view));
    return 0;
}

static int usage(const char *why)
{
    fprintf(stderr,
            "synchost-worker64: %s\n"
            "usage: synchost-worker64.exe --key-stdin --ring PATH [--heap-check]\n"
            "       synchost-worker64.exe [--heap-check] [SCRIPTS.txt]\n",
            why);
    return 2;
}

/* Runs the scripts as they arrive; at the end of input, unloads. */
static int serve(void)
{
    static char line[SCRIPT_LINE_MAX + 1];
    static struct host_script script;
    struct worker w;
    struct event ev = {0};

    worker_init(&w);
    while (command_next_script(line, sizeof line) == 0) {
        if (script_parse(line, strlen(line), &script) != 0) {
            fprintf(stderr, "synchost-worker64: not a script: %.80s\n", line);
            return 2;
        }
        memset(&ev, 0, sizeof ev);
        ev.kind = EVENT_END;
        ev.value = (uint64_t)worker_run(&w, &script);
        worker_crash_settle();
        hostheld_check();
        recorder_emit_tally(&ev, RECORDER_TALLY_WAIT_MS);
        if (w.fast_exit) {
            /* Outlook's process exits after DoFastShutdown: nothing is
             * released or unloaded, and no further script is run. */
            return 0;
        }
        if (w.held) {
            /* The provider's threads still run its code: nothing else
             * runs in this process, and the DLL is not freed under them
             * (the supervisor gives the next scenario a fresh worker). */
            return 0;
        }
        if (w.retired) {
            /* The provider still holds the scenario's objects: nothing
             * else runs here, and the process ends as a process of the
             * scenario's own would, unloading the DLL; a script sent
             * ahead is left unread. */
            break;
        }
    }
    worker_unload(&w);
    return 0;
}

int wmain(int argc, WCHAR **argv)
{
    static char pending[SEAL_KEY_HEX + 64];
    size_t pending_len = 0;
    int status, key_stdin = 0, heap_check = 0;
    const WCHAR *file = NULL, *ring = NULL;
    HANDLE in;

    for (int i = 1; i < argc; i++) {
        if (wcscmp(argv[i], L"--key-stdin") == 0) {
            key_stdin = 1;
        } else if (wcscmp(argv[i], L"--heap-check") == 0) {
            heap_check = 1;
        } else if (wcscmp(argv[i], L"--ring") == 0 && i + 1 < argc) {
            ring = argv[++i];
        } else if (argv[i][0] != L'-' && file == NULL) {
            file = argv[i];
        } else {
            return usage("unknown option");
        }
    }
    /* By hand under winedbg, the console the worker was given may show
     * nothing: its output goes to the debugger's terminal instead. */
    if (ring == NULL && !key_stdin) {
        debugged_reach_terminal();
    }
    in = GetStdHandle(STD_INPUT_HANDLE);
    if (file != NULL && !key_stdin) {
        in = CreateFileW(file, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        if (in == INVALID_HANDLE_VALUE) {
            return usage("cannot open the scripts file");
        }
    }
    if (key_stdin && read_key(in, pending, &pending_len) != 0) {
        return usage("--key-stdin: standard input did not start with a key of 32 hex digits");
    }
    /* The provider is not to read the host's input: it stays the reader
     * thread's, away from the process's standard input. */
    SetStdHandle(STD_INPUT_HANDLE, NULL);
    take_stdout();
    recorder_init(stream_sink, NULL);
    if (ring != NULL && map_ring(ring) != 0) {
        return usage("--ring: cannot map the event ring");
    }
    worker_crash_init();
    if (ring != NULL) {
        worker_crash_watch_ring(ring_view, ring_len);
    }
    if (command_start(in, pending, pending_len) != 0) {
        return usage("could not start the input thread");
    }
    debugout_init();
    starve_witness_start();
    effects_init();
    handles_init();
    lookups_init();
    if (heap_check) {
        heapcheck_init();
    }
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);

    status = serve();
    fflush(stderr);
    /* A thread the provider left running may be writing a record: it is
     * let finish (a bounded time), and nothing is written after it, so that
     * the supervisor finds no record half written in a process that ended
     * by itself (it would take that for damage to the ring). */
    recorder_close_ring(RING_CLOSE_WAIT_MS);
    /* Ending here rather than returning keeps any thread the provider left
     * running from holding the process open. */
    TerminateProcess(GetCurrentProcess(), (UINT)status);
    return status;
}
