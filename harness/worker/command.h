/*
 * command.h: the supervisor's requests to a running worker, one line each on
 * the worker's standard input after the sealing key. Win32 only.
 *
 *     stacks    every thread's stack, as `frame` events ended by `stacks`
 *               (stack.h): the supervisor asks this when a deadline has
 *               passed, just before it kills the worker
 *
 * An unknown line is ignored; end of input ends the channel. A thread of the
 * worker's own reads the lines, so a request is served while the provider
 * holds every other thread.
 */
#ifndef SYNCHOST_COMMAND_H
#define SYNCHOST_COMMAND_H

#include <stddef.h>

#include <windows.h>

/* Starts the reader on in (owned from now on). pending holds bytes already
 * read past the key line (n of them), treated as the start of the input. */
void command_start(HANDLE in, const char *pending, size_t n);

#endif /* SYNCHOST_COMMAND_H */
