/*
 * report_written.h: the report tests' one way to read what a writer wrote,
 * and the two scenarios and the violation their runs start from.
 */
#ifndef SYNCHOST_REPORT_WRITTEN_H
#define SYNCHOST_REPORT_WRITTEN_H

#include "report/result.h"

/* Writes the report with fn into a temporary file (removed after); returns
 * its text, NUL-terminated (free it). Fails the test when anything does. */
char *write_report(int (*fn)(const struct run_report *, const char *), const struct run_report *r);

/* Two scenarios named and filed as given, each with its result pointing at
 * it and an empty trace, and v a recommended progress-text-valid violation
 * at event 7 that says message. Everything else is left as it was. */
void two_scenarios_init(struct scenario sc[2], struct scenario_result res[2], struct violation *v,
                        char *const names[2], char *const files[2], const char *message);

#endif /* SYNCHOST_REPORT_WRITTEN_H */
