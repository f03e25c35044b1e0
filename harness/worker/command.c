/* command.c: the supervisor's requests, read on a thread (see command.h). */
#include "command.h"

#include <string.h>

#include "stack.h"

#define COMMAND_LINE_MAX 64

static HANDLE command_in;
static char command_pending[COMMAND_LINE_MAX];
static size_t command_pending_len;
static char command_buf[COMMAND_LINE_MAX];
static size_t command_len;

static void command_run(const char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ')) {
        len--;
    }
    if (len == 6 && memcmp(line, "stacks", 6) == 0) {
        stack_dump_all("the supervisor asked: a deadline passed");
    }
}

/* Appends bytes, running each complete line; an overlong line is dropped. */
static void command_feed(const char *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (data[i] == '\n') {
            if (command_len <= COMMAND_LINE_MAX) {
                command_run(command_buf, command_len);
            }
            command_len = 0;
        } else if (command_len < COMMAND_LINE_MAX) {
            command_buf[command_len++] = data[i];
        } else {
            command_len = COMMAND_LINE_MAX + 1;
        }
    }
}

static DWORD WINAPI command_reader(void *arg)
{
    char buf[256];
    DWORD n;

    (void)arg;
    stack_prepare_thread();
    command_feed(command_pending, command_pending_len);
    while (ReadFile(command_in, buf, sizeof buf, &n, NULL) && n > 0) {
        command_feed(buf, n);
    }
    CloseHandle(command_in);
    return 0;
}

void command_start(HANDLE in, const char *pending, size_t n)
{
    HANDLE t;

    command_in = in;
    command_pending_len = n < sizeof command_pending ? n : sizeof command_pending;
    memcpy(command_pending, pending, command_pending_len);
    t = CreateThread(NULL, 64 * 1024, command_reader, NULL, 0, NULL);
    if (t == NULL) {
        CloseHandle(in);
        return;
    }
    CloseHandle(t);
}
