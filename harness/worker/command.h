/*
 * command.h: the worker's input, read on a thread of its own: after the
 * sealing key (read by main.c), one line each of
 *
 *     script ...  a scenario to run (script.h), queued for the main thread
 *     unload      no script follows: the main thread unloads the provider
 *                 (the input stays open for `stacks` until the worker exits)
 *     stacks      every thread's stack, as `frame` events ended by `stacks`
 *                 (stack.h): the supervisor asks this when a deadline has
 *                 passed, just before it kills the worker
 *
 * An empty or unknown line is ignored. End of input counts as `unload`. A thread of
 * the worker's own reads the lines, so a request is served while the
 * provider holds every other thread. Win32 only.
 */
#ifndef SYNCHOST_COMMAND_H
#define SYNCHOST_COMMAND_H

#include <stddef.h>

#include <windows.h>

/* Starts the reader on in (owned from now on). pending holds bytes already
 * read past the key line (n of them), treated as the start of the input.
 * Returns 0, or -1 when the thread could not start. */
int command_start(HANDLE in, const char *pending, size_t n);

/* Waits for the next script line and copies it (NUL-terminated, without
 * its newline) into line. Returns 0, or -1 at the end of input. Main thread
 * only. */
int command_next_script(char *line, size_t cap);

#endif /* SYNCHOST_COMMAND_H */
