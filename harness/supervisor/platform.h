/*
 * platform.h: what the supervisor does one way on Linux and another on
 * Windows, in the manner of libuv's src/unix and src/win (unix/platform.c,
 * win/platform.c). Everything else is written once, against libuv and
 * POSIX (on Windows with harness/platform/win/posix.h). Loop thread only.
 */
#ifndef SYNCHOST_PLATFORM_H
#define SYNCHOST_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

/* The event ring's file: made new (in /dev/shm, $TMPDIR or /tmp on Linux;
 * in %TEMP% on Windows), len bytes of zeros, mapped shared into *mem; its
 * name into path (cap bytes) for the worker, which maps it too. *os is what
 * the mapping keeps open (Windows: the file, removed when it closes).
 * Returns 0 or a negative errno. */
int platform_ring_create(char *path, size_t cap, size_t len, void **mem, intptr_t *os);

/* Unmaps what platform_ring_create mapped, and closes what it kept open.
 * The file's name is removed by the caller (unlink) once the worker has it
 * mapped; on Windows it goes when the last handle to it closes. */
void platform_ring_release(void *mem, size_t len, intptr_t os);

/* Reads what pipe fd holds now without waiting, into buf (cap bytes):
 * returns the bytes read, 0 when there is nothing (or it cannot be known
 * without disturbing the loop's own read; the loop then reads it). */
size_t platform_read_ready(uv_os_fd_t fd, char *buf, size_t cap);

/* The id under which the worker's threads' waits for a CPU are read in
 * Linux's /proc, by the supervisor (cpuwait.h) and by the worker
 * (callstat.h, written into the ring for it): the process synchost
 * started, on Linux (the worker under Wine's loader); 0, which turns that
 * reading off, on Windows, where there is no /proc (and under Wine a
 * Windows process id names some other Linux process). Deadlines on Windows
 * are then wall-clock time, with no credit. */
uint32_t platform_worker_proc_id(uv_pid_t pid);

/* A path the supervisor built with '/' (which Windows takes too), written
 * in place the way the platform's users read paths: unchanged on Linux,
 * with backslashes on Windows. For messages; the path still opens. */
void platform_path_for_display(char *path);

#endif /* SYNCHOST_PLATFORM_H */
