/*
 * winstart.h: why a worker did not start, when Wine said so. A worker that
 * ends before it speaks is started again, a few times, and then its
 * scenario errors (exit 3): the message says what failed and, for the
 * failures of Wine's own whose cure is known, the one thing to do.
 */
#ifndef SYNCHOST_WINSTART_H
#define SYNCHOST_WINSTART_H

#include <stddef.h>

/* Whether WINEPREFIX was the user's (given) rather than synchost's own
 * (winenv_defaults tells, before any worker starts). */
void winstart_prefix_given(int given);

/* A worker's standard error (err, len bytes, not terminated) from a start
 * that failed: when it shows a failure whose cure is known, writes that
 * cure, naming $WINEPREFIX, into fix (cap bytes) and returns 1; else 0.
 * Known: a prefix in which Wine cannot load kernel32.dll (status c0000135,
 * a prefix made before wine32 was installed or by another Wine version).
 * synchost's own prefix is cured by being made anew; one the user gave is
 * never touched, so the cure is to make and give another. */
int winstart_failure(const char *err, size_t len, char *fix, size_t cap);

#endif /* SYNCHOST_WINSTART_H */
