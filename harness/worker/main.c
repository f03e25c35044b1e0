/*
 * main.c: synchost-worker64.exe, the fake Outlook process. Started by the
 * supervisor (under Wine on Linux):
 *
 *     synchost-worker64.exe --key-stdin [--heap-check]
 *
 * reads the stream's sealing key (harness/core/seal.h), one line of hex,
 * then one script per line (harness/core/script.h) from standard input, and
 * runs each scenario as it arrives, the provider staying loaded from one to
 * the next; at the end of input it unloads the provider and exits 0. By
 * hand, under a debugger, it reads the scripts from a file (or standard
 * input) with an all-zero key:
 *
 *     wine synchost-worker64.exe [--heap-check] SCRIPTS.txt
 *
 * (`synchost trace --print-script ...` prints a scenario's script.)
 * Standard output carries the event stream and nothing else: the provider's
 * own prints go to standard error. --heap-check turns heap corruption by the
 * provider into a `crash` event with code 0xC0000374 (heapcheck.h; the
 * supervisor also sets WINEDEBUG=warn+heap for it).
 *
 * Exit status: 0 every script ran and the provider was unloaded; 2 bad
 * arguments or a line that is not a script; WIRE_EXIT_STREAM_LOST the event
 * stream could no longer be written (the provider closed or replaced the
 * host's handle); a crash ends the process with the exception code.
 */
#include <io.h>
#include <objbase.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "debugout.h"
#include "heapcheck.h"
#include "recorder.h"
#include "script.h"
#include "seal.h"
#include "wire.h"
#include "worker.h"

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
}

/* Reads the input line by line: the key, then the scripts. */
struct input {
    HANDLE h;
    char buf[SCRIPT_LINE_MAX + 1];
    size_t len;
    int eof;
};

/* The next line without its newline, NUL-terminated, in in->buf; its length
 * in *len. Returns 0, or -1 at the end of input. A line too long for the
 * buffer is returned cut (it will not parse). */
static int next_line(struct input *in, char *line, size_t cap, size_t *len)
{
    for (;;) {
        char *nl = memchr(in->buf, '\n', in->len);
        DWORD n = 0;

        if (nl != NULL || in->len == sizeof in->buf - 1 || (in->eof && in->len > 0)) {
            size_t take = nl != NULL ? (size_t)(nl - in->buf) : in->len;
            size_t used = nl != NULL ? take + 1 : take;

            *len = take < cap ? take : cap - 1;
            memcpy(line, in->buf, *len);
            line[*len] = '\0';
            memmove(in->buf, in->buf + used, in->len - used);
            in->len -= used;
            return 0;
        }
        if (in->eof) {
            return -1;
        }
        if (!ReadFile(in->h, in->buf + in->len, (DWORD)(sizeof in->buf - 1 - in->len), &n, NULL) ||
            n == 0) {
            in->eof = 1;
        }
        in->len += n;
    }
}

static int read_key(struct input *in)
{
    char line[SEAL_KEY_HEX + 8];
    uint8_t key[SEAL_KEY_BYTES];
    size_t len = 0;

    if (next_line(in, line, sizeof line, &len) != 0) {
        return -1;
    }
    while (len > 0 && line[len - 1] == '\r') {
        len--;
    }
    if (seal_key_parse(line, len, key) != 0) {
        return -1;
    }
    recorder_set_key(key);
    SecureZeroMemory(line, sizeof line);
    SecureZeroMemory(key, sizeof key);
    return 0;
}

static int usage(const char *why)
{
    fprintf(stderr,
            "synchost-worker64: %s\n"
            "usage: synchost-worker64.exe --key-stdin [--heap-check]\n"
            "       synchost-worker64.exe [--heap-check] [SCRIPTS.txt]\n",
            why);
    return 2;
}

/* Runs the scripts as they arrive; at the end of input, unloads. */
static int serve(struct input *in)
{
    static char line[SCRIPT_LINE_MAX + 1];
    static struct host_script script;
    struct worker w;
    struct event ev = {0};
    size_t len;

    worker_init(&w);
    while (next_line(in, line, sizeof line, &len) == 0) {
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        if (len == 0) {
            continue;
        }
        if (script_parse(line, len, &script) != 0) {
            fprintf(stderr, "synchost-worker64: not a script: %.80s\n", line);
            return 2;
        }
        memset(&ev, 0, sizeof ev);
        ev.kind = EVENT_END;
        ev.value = (uint64_t)worker_run(&w, &script);
        recorder_emit(&ev);
    }
    worker_unload(&w);
    return 0;
}

int wmain(int argc, WCHAR **argv)
{
    static struct input in;
    int status, key_stdin = 0, heap_check = 0;
    const WCHAR *file = NULL;

    for (int i = 1; i < argc; i++) {
        if (wcscmp(argv[i], L"--key-stdin") == 0) {
            key_stdin = 1;
        } else if (wcscmp(argv[i], L"--heap-check") == 0) {
            heap_check = 1;
        } else if (argv[i][0] != L'-' && file == NULL) {
            file = argv[i];
        } else {
            return usage("unknown option");
        }
    }
    in.h = GetStdHandle(STD_INPUT_HANDLE);
    if (file != NULL && !key_stdin) {
        in.h = CreateFileW(file, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        if (in.h == INVALID_HANDLE_VALUE) {
            return usage("cannot open the scripts file");
        }
    }
    if (key_stdin && read_key(&in) != 0) {
        return usage("--key-stdin: standard input did not start with a key of 32 hex digits");
    }
    /* The provider is not to read the host's scripts: the input stays the
     * host's private handle, away from the process's standard input. */
    SetStdHandle(STD_INPUT_HANDLE, NULL);
    take_stdout();
    recorder_init(stream_sink, NULL);
    worker_crash_init();
    debugout_init();
    if (heap_check) {
        heapcheck_init();
    }
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);

    status = serve(&in);
    fflush(stderr);
    /* Ending here rather than returning keeps any thread the provider left
     * running from holding the process open. */
    TerminateProcess(GetCurrentProcess(), (UINT)status);
    return status;
}
