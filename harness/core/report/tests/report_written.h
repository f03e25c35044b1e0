/*
 * report_written.h: the report tests' one way to read what a writer wrote.
 */
#ifndef SYNCHOST_REPORT_WRITTEN_H
#define SYNCHOST_REPORT_WRITTEN_H

#include "report/result.h"

/* Writes the report with fn into a temporary file (removed after); returns
 * its text, NUL-terminated (free it). Fails the test when anything does. */
char *write_report(int (*fn)(const struct run_report *, const char *), const struct run_report *r);

#endif /* SYNCHOST_REPORT_WRITTEN_H */
