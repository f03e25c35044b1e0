/*
 * main.c: synchost-worker64.exe. Started by the supervisor (under Wine on
 * Linux), or by hand under a debugger:
 *
 *     wine synchost-worker64.exe --provider reference.dll [--flags 0x80]
 *          [--timeout-ms 5000] [--settle-ms 50] [--shutdown-timeout-ms 5000]
 *          [--probe] [--key-stdin] [--progress-return 3:0x80040113]...
 *
 * Standard output carries the event stream and nothing else: the provider's
 * own prints are sent to standard error. --probe stops after the load chain
 * (no sync). --key-stdin reads the stream's sealing key (harness/core/seal.h)
 * as one line of hex from standard input before anything else, then the
 * supervisor's requests from the rest of it (command.h); without it the key
 * is all zeros. Exit status: 0 the scenario ran to its end; 1 the
 * load chain stopped it; 2 bad arguments; WIRE_EXIT_STREAM_LOST the event
 * stream could no longer be written (the provider closed or replaced the
 * host's handle); a crash ends the process with the exception code.
 */
#include <io.h>
#include <objbase.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "command.h"
#include "debugout.h"
#include "recorder.h"
#include "seal.h"
#include "wire.h"
#include "worker.h"

static HANDLE stream;
/* Standard input after the key line, for command.h, and what was read past
 * that line. */
static HANDLE commands;
static char commands_pending[SEAL_KEY_HEX + 2];
static size_t commands_pending_len;

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

/* The sealing key, one line of hex on standard input, read before the
 * provider is loaded; the rest of standard input is kept for the commands
 * and taken away from the process's standard handles. */
static int read_key(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    char buf[SEAL_KEY_HEX + 2];
    uint8_t key[SEAL_KEY_BYTES];
    DWORD got = 0, n;
    const char *nl;

    while (got < sizeof buf && ReadFile(in, buf + got, (DWORD)(sizeof buf - got), &n, NULL) &&
           n > 0) {
        got += n;
        if (memchr(buf, '\n', got) != NULL) {
            break;
        }
    }
    nl = memchr(buf, '\n', got);
    if (nl != NULL) {
        commands_pending_len = got - (size_t)(nl + 1 - buf);
        memcpy(commands_pending, nl + 1, commands_pending_len);
        got = (DWORD)(nl - buf);
    }
    while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r')) {
        got--;
    }
    if (seal_key_parse(buf, got, key) != 0) {
        return -1;
    }
    recorder_set_key(key);
    SecureZeroMemory(buf, sizeof buf);
    SecureZeroMemory(key, sizeof key);
    commands = in;
    SetStdHandle(STD_INPUT_HANDLE, NULL);
    return 0;
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
}

static int parse_u32(const WCHAR *s, DWORD *out)
{
    WCHAR *end;
    unsigned long long v;

    if (s == NULL || *s == 0 || *s == L'-') {
        return -1;
    }
    v = wcstoull(s, &end, 0);
    if (*end != 0 || v > 0xffffffffull) {
        return -1;
    }
    *out = (DWORD)v;
    return 0;
}

static int usage(const char *why)
{
    fprintf(stderr,
            "synchost-worker64: %s\n"
            "usage: synchost-worker64.exe --provider DLL [--flags N] [--timeout-ms N] "
            "[--settle-ms N] [--shutdown-timeout-ms N] [--probe] [--key-stdin] "
            "[--progress-return FROM:HRESULT]...\n",
            why);
    return 2;
}

int wmain(int argc, WCHAR **argv)
{
    struct worker_scenario sc;
    struct event ev = {0};
    int status, key_stdin = 0;

    memset(&sc, 0, sizeof sc);
    sc.flags = 0x80;
    sc.timeout_ms = 5000;
    sc.settle_ms = 50;
    sc.shutdown_timeout_ms = 5000;
    for (int i = 1; i < argc; i++) {
        const WCHAR *arg = argv[i];
        const WCHAR *val = i + 1 < argc ? argv[i + 1] : NULL;
        DWORD v = 0;

        if (wcscmp(arg, L"--probe") == 0) {
            sc.probe = 1;
            continue;
        }
        if (wcscmp(arg, L"--key-stdin") == 0) {
            key_stdin = 1;
            continue;
        }
        if (wcscmp(arg, L"--progress-return") == 0 && val != NULL) {
            struct fake_callback_config *cfg = &sc.callback;
            WCHAR *colon = wcschr(val, L':');
            DWORD from = 0, hr = 0;

            if (colon == NULL || cfg->progress_return_count == FAKE_CALLBACK_MAX_PROGRESS_RETURNS) {
                return usage("--progress-return takes FROM:HRESULT, at most 8 times");
            }
            *colon = 0;
            if (parse_u32(val, &from) != 0 || from == 0 || parse_u32(colon + 1, &hr) != 0) {
                return usage("--progress-return takes FROM:HRESULT, both numbers, FROM >= 1");
            }
            cfg->progress_returns[cfg->progress_return_count].from_call = from;
            cfg->progress_returns[cfg->progress_return_count].hresult = (HRESULT)hr;
            cfg->progress_return_count++;
            i++;
            continue;
        }
        if (wcscmp(arg, L"--provider") == 0 && val != NULL) {
            sc.provider = val;
        } else if (wcscmp(arg, L"--flags") == 0 && parse_u32(val, &v) == 0) {
            sc.flags = v;
        } else if (wcscmp(arg, L"--timeout-ms") == 0 && parse_u32(val, &v) == 0) {
            sc.timeout_ms = v;
        } else if (wcscmp(arg, L"--settle-ms") == 0 && parse_u32(val, &v) == 0) {
            sc.settle_ms = v;
        } else if (wcscmp(arg, L"--shutdown-timeout-ms") == 0 && parse_u32(val, &v) == 0) {
            sc.shutdown_timeout_ms = v;
        } else {
            return usage("unknown option or bad value");
        }
        i++;
    }
    if (sc.provider == NULL) {
        return usage("--provider is required");
    }

    if (key_stdin && read_key() != 0) {
        return usage("--key-stdin: standard input did not hold a key of 32 hex digits");
    }
    take_stdout();
    recorder_init(stream_sink, NULL);
    worker_crash_init();
    if (commands != NULL) {
        command_start(commands, commands_pending, commands_pending_len);
    }
    debugout_init();
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);

    ev.kind = EVENT_HELLO;
    ev.handle = GetCurrentProcessId();
    ev.text = "x64";
    recorder_emit(&ev);

    status = worker_run(&sc);

    ev = (struct event){0};
    ev.kind = EVENT_END;
    ev.value = (uint64_t)status;
    recorder_emit(&ev);
    fflush(stderr);
    /* Ending here rather than returning keeps the provider's DLL detach code
     * and any thread it left running from holding the process open. */
    TerminateProcess(GetCurrentProcess(), (UINT)status);
    return status;
}
