/*
 * report_read.h: a previous synchost JSON report (report_json.c, docs/reports.md) read back, as much of it as the regression workflow needs:
 * each scenario run's name, file, status and the rules it violated. Used by
 * --baseline (a report as the baseline) and --rerun-failed.
 *
 * Strict about what it uses, lenient about the rest: the document must be a
 * JSON object with "tool": "synchost" and a "scenarios" array whose items
 * have a non-empty string "name" and a known "status"; "file" (a string) and
 * "violations" (objects with a string "rule") are read when present. Fields
 * it does not use are ignored, since reports gain fields over time.
 *
 * Ownership: a struct report_doc owns its strings; report_doc_free() frees
 * them. Single-threaded; no global state.
 */
#ifndef SYNCHOST_REPORT_READ_H
#define SYNCHOST_REPORT_READ_H

#include <stddef.h>

#include "rules/rules.h"

/* The largest report read back: a report holds some 1 KB a scenario, so this
 * is room for a quarter of a million scenario runs. Checked before the file
 * is read (readfile.h); reading takes time and memory linear in the size. */
#define REPORT_READ_MAX_SIZE (256 * 1024 * 1024)

struct report_run {
    char *name;
    char *file; /* "" when the report gives none */
    enum scenario_status status;
    char **rules; /* each violated rule once, in the report's order */
    size_t rule_count;
};

struct report_doc {
    struct report_run *runs; /* one per scenario run, in the report's order */
    size_t count;
};

/* Reads the report at path into *doc (zeroed first). Returns 0, or -1 with
 * "PATH: why" or "PATH:LINE:COL: why" in err (nothing is kept then). */
int report_read_file(const char *path, struct report_doc *doc, char *err, size_t cap);

/* The same from len bytes of data; name stands for the file in messages. */
int report_read_buffer(const char *name, const char *data, size_t len, struct report_doc *doc,
                       char *err, size_t cap);

void report_doc_free(struct report_doc *doc);

/* The status spelt as the report spells it ("timed_out"). Returns 0, or -1
 * when name is no status. */
int report_status_parse(const char *name, enum scenario_status *out);

/* Does a scenario file as one run wrote it (want; NULL or "" matches any)
 * name the file have? Equal, or one ends with "/" and the other: a report
 * written from another folder, or an expectations file naming just
 * "on-demand.yaml" for "<builtin>/on-demand.yaml". "<builtin>/" (the
 * built-in suite, scripts/suites/conformance) stands for any folder, so that
 * a report of `conform` names the same files for `run` on that folder. */
int report_file_matches(const char *want, const char *have);

#endif /* SYNCHOST_REPORT_READ_H */
