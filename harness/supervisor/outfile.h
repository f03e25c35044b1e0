/*
 * outfile.h: checks, before anything runs, that an output file given on the
 * command line (--report-json, --junit, --tap; --html, --chrome-trace when
 * they come) can be written, so that a typo in a path is bad input
 * (exit 2) at once rather than a harness failure after the whole run.
 */
#ifndef SYNCHOST_OUTFILE_H
#define SYNCHOST_OUTFILE_H

#include <stddef.h>

/* Can path be written the way the report writers write it (a temporary file
 * "PATH.tmp.PID" beside it, then renamed over it)? "-" (stdout) always can.
 * Creates and removes that temporary file; leaves path itself alone. Returns
 * 0, or -1 with why filled in ("No such file or directory", "Is a directory",
 * "Permission denied", ...: strerror's words, or ours). */
int outfile_check(const char *path, char *why, size_t whycap);

#endif /* SYNCHOST_OUTFILE_H */
