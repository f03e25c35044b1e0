/* command.c: the worker's input, read on a thread (see command.h). */
#include "command.h"

#include <string.h>

#include <stdio.h>

#include "hostheld.h"
#include "recorder.h"
#include "protocol/script.h"
#include "stack.h"
#include "threads.h"
#include "protocol/wire.h"

/* Scripts read ahead of the main thread: the supervisor sends the next one
 * only after the previous scenario's end, so one is the usual depth. */
#define QUEUE_DEPTH 4

static HANDLE command_in;
static char command_pending[SCRIPT_LINE_MAX];
static size_t command_pending_len;
static char command_buf[SCRIPT_LINE_MAX + 1];
static size_t command_len;

static CRITICAL_SECTION queue_lock;
static HANDLE queue_ready; /* semaphore: queued scripts, plus one at the end */
static char queue[QUEUE_DEPTH][SCRIPT_LINE_MAX + 1];
static size_t queue_head, queue_count;
static int queue_ended;
static HANDLE queue_space; /* semaphore: free entries */

static void queue_push(const char *line, size_t len)
{
    WaitForSingleObject(queue_space, INFINITE);
    EnterCriticalSection(&queue_lock);
    memcpy(queue[(queue_head + queue_count) % QUEUE_DEPTH], line, len);
    queue[(queue_head + queue_count) % QUEUE_DEPTH][len] = '\0';
    queue_count++;
    LeaveCriticalSection(&queue_lock);
    ReleaseSemaphore(queue_ready, 1, NULL);
}

/* No script follows: the main thread unloads the provider. */
static void queue_end(void)
{
    EnterCriticalSection(&queue_lock);
    if (!queue_ended) {
        queue_ended = 1;
        ReleaseSemaphore(queue_ready, 1, NULL);
    }
    LeaveCriticalSection(&queue_lock);
}

static void command_run(const char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ')) {
        len--;
    }
    if (len == 6 && memcmp(line, "stacks", 6) == 0) {
        stack_dump_all("the supervisor asked: a deadline passed");
    } else if (len == 6 && memcmp(line, "unload", 6) == 0) {
        queue_end();
    } else if (len > 7 && memcmp(line, "script ", 7) == 0) {
        queue_push(line, len);
    }
}

/* Appends bytes, running each complete line; an overlong line is dropped. */
static void command_feed(const char *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (data[i] == '\n') {
            if (command_len <= SCRIPT_LINE_MAX) {
                command_run(command_buf, command_len);
            }
            command_len = 0;
        } else if (command_len < SCRIPT_LINE_MAX) {
            command_buf[command_len++] = data[i];
        } else {
            command_len = SCRIPT_LINE_MAX + 1;
        }
    }
}

/* The host's input failed otherwise than by ending: its handle was closed
 * or replaced under it (the worker never closes it). Said in the event
 * stream, which the provider cannot forge, then the process ends. */
static void command_lost(DWORD error)
{
    struct event ev = {0};
    char text[160];

    snprintf(text, sizeof text,
             "the host's input handle failed with error %lu: the provider closed or replaced "
             "the host's handles",
             (unsigned long)error);
    ev.kind = EVENT_INTEGRITY;
    ev.text = text;
    recorder_emit(&ev);
    TerminateProcess(GetCurrentProcess(), WIRE_EXIT_STREAM_LOST);
}

static DWORD WINAPI command_reader(void *arg)
{
    static char buf[4096];
    DWORD n;

    (void)arg;
    stack_prepare_thread();
    command_feed(command_pending, command_pending_len);
    while (ReadFile(command_in, buf, sizeof buf, &n, NULL) && n > 0) {
        command_feed(buf, n);
    }
    if (GetLastError() != ERROR_BROKEN_PIPE && GetLastError() != ERROR_HANDLE_EOF &&
        GetLastError() != ERROR_SUCCESS) {
        command_lost(GetLastError());
    }
    if (command_len > 0 && command_len <= SCRIPT_LINE_MAX) {
        command_run(command_buf, command_len); /* a last line without its newline */
    }
    hostheld_close(command_in);
    queue_end();
    return 0;
}

int command_start(HANDLE in, const char *pending, size_t n)
{
    HANDLE t;

    InitializeCriticalSection(&queue_lock);
    queue_ready = CreateSemaphoreW(NULL, 0, QUEUE_DEPTH + 1, NULL);
    queue_space = CreateSemaphoreW(NULL, QUEUE_DEPTH, QUEUE_DEPTH, NULL);
    command_in = in;
    command_pending_len = n < sizeof command_pending ? n : sizeof command_pending;
    memcpy(command_pending, pending, command_pending_len);
    t = queue_ready != NULL && queue_space != NULL ? threads_start_host(command_reader, NULL)
                                                   : NULL;
    if (t == NULL) {
        CloseHandle(in);
        return -1;
    }
    CloseHandle(t);
    hostheld_add(in, "the host's command pipe");
    hostheld_add(queue_ready, "the host's command queue");
    hostheld_add(queue_space, "the host's command queue");
    return 0;
}

int command_next_script(char *line, size_t cap)
{
    for (;;) {
        WaitForSingleObject(queue_ready, INFINITE);
        EnterCriticalSection(&queue_lock);
        if (queue_count > 0) {
            size_t len = strlen(queue[queue_head]);
            if (len >= cap) {
                len = cap - 1;
            }
            memcpy(line, queue[queue_head], len);
            line[len] = '\0';
            queue_head = (queue_head + 1) % QUEUE_DEPTH;
            queue_count--;
            LeaveCriticalSection(&queue_lock);
            ReleaseSemaphore(queue_space, 1, NULL);
            return 0;
        }
        if (queue_ended) {
            LeaveCriticalSection(&queue_lock);
            ReleaseSemaphore(queue_ready, 1, NULL); /* the end stays visible */
            return -1;
        }
        LeaveCriticalSection(&queue_lock);
    }
}
