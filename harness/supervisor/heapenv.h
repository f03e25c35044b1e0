/*
 * heapenv.h: the environment a worker starts with under --heap-check.
 *
 * Wine's heap debugging must be on from the worker's first instant: every
 * heap takes its checking flags when it is created, and the C runtimes
 * create theirs before the worker's own code runs. WINEDEBUG=warn+heap does
 * that (tail checking, free checking, parameter validation on every heap),
 * so the worker gets this process's environment with "warn+heap" added to
 * WINEDEBUG (after whatever the user set there). POSIX only.
 */
#ifndef SYNCHOST_HEAPENV_H
#define SYNCHOST_HEAPENV_H

/* A NULL-terminated environment for uv_spawn, built on the first call and
 * kept for the process's life; NULL when out of memory (the caller then
 * passes the environment on unchanged). Not thread-safe: call it from the
 * loop's thread. */
char **heapenv_worker_env(void);

#endif /* SYNCHOST_HEAPENV_H */
