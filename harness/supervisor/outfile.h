/*
 * outfile.h: checks, before anything runs, that an output file given on the
 * command line or in the configuration (--report-json, --junit, --tap,
 * --html, --chrome-trace) can be written, so that a typo in a path is bad
 * input (exit 2) at once rather than a harness failure after the whole run.
 */
#ifndef SYNCHOST_OUTFILE_H
#define SYNCHOST_OUTFILE_H

#include <stddef.h>

#include "report/report_file.h"

/* Can path be written the way the report writers write it (report_file.h:
 * a regular file or a new one replaced through a temporary file beside its
 * final target, anything else written in place)? "-" (stdout) always can.
 * For a replaced file, creates and removes that temporary file; leaves path
 * itself alone, and never opens a FIFO or device. Fills t (for comparing
 * paths). Returns 0, or -1 with why filled in ("No such file or directory",
 * "Is a directory", "Permission denied", ...: strerror's words, or ours). */
int outfile_check(const char *path, struct report_target *t, char *why, size_t whycap);

#endif /* SYNCHOST_OUTFILE_H */
