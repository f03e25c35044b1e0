/*
 * report_file.h: how every report reaches its path (docs/reports.md). What the path names decides how, in one place
 * (report_target_resolve), which the supervisor's check before a run uses
 * too:
 *
 *   - a regular file, or nothing yet: written into a temporary file beside
 *     it ("PATH.tmp.PID", created exclusively, with the old file's mode),
 *     flushed and synced, then renamed over it, so that a reader never sees
 *     half a report;
 *   - anything else that exists (a FIFO, a device such as /dev/null, a
 *     terminal, /proc/self/fd/N): opened for writing and written in place,
 *     never created, truncated or replaced;
 *   - a symbolic link: followed to its final target, which is what is
 *     replaced or written; the link stays a link;
 *   - "-": stdout.
 *
 * Also the escaping the writers share: UTF-8 checked byte by byte.
 * Single-threaded.
 */
#ifndef SYNCHOST_REPORT_FILE_H
#define SYNCHOST_REPORT_FILE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

enum report_target_kind {
    REPORT_TARGET_STDOUT,   /* "-" */
    REPORT_TARGET_REPLACE,  /* a regular file or nothing: replaced atomically */
    REPORT_TARGET_IN_PLACE, /* anything else that exists: written in place */
};

struct report_target {
    enum report_target_kind kind;
    char path[PATH_MAX]; /* REPLACE: the final target (links followed); else as given */
    int exists;          /* dev and ino are set */
    dev_t dev;
    ino_t ino;
    mode_t mode; /* of what exists */
};

/* Decides how path is written, following symbolic links (at most 40). Two
 * report paths name one file when both exist with the same dev and ino, or
 * neither exists and their paths are equal (a REPLACE target's folder is
 * made absolute). Returns 0, or -1 with errno set (ENOENT: a missing
 * folder, ELOOP, EISDIR, ENAMETOOLONG, ...). */
int report_target_resolve(const char *path, struct report_target *t);

/* Do a and b name one file (see report_target_resolve)? */
int report_target_same(const struct report_target *a, const struct report_target *b);

/* A REPLACE target's temporary file, "PATH.tmp.PID" beside its final
 * target, into out. Returns 0, or -1 with errno ENAMETOOLONG. */
int report_target_temp(const struct report_target *t, char *out, size_t cap);

/* Writes what fn writes into f to path, as report_target_resolve decides;
 * fn returns 0 or -1. Returns 0, or -1 with errno set (and no temporary
 * file left behind). */
int report_file_write(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx);

struct json_t;

/* Writes doc to path as report_file_write does: JSON dumped with jansson's
 * flags (JSON_COMPACT, JSON_INDENT(n)), then a newline. Releases doc; a
 * NULL doc (one that could not be built) is -1 with errno ENOMEM. Returns
 * 0, or -1 with errno set. */
int report_file_write_json(const char *path, struct json_t *doc, size_t flags);


/* Where report_markup's text goes. */
enum report_markup {
    MARKUP_XML_TEXT, /* XML 1.0 character data (JUnit) */
    MARKUP_XML_ATTR, /* a double-quoted XML attribute: whitespace kept as &#N; */
    MARKUP_HTML,     /* HTML text or a quoted attribute: both quotes escaped */
};

/* Writes n bytes of s (NULs too) into f escaped for `where`: & < > always,
 * the quotes where they could end an attribute, and every byte that is not
 * well-formed UTF-8 or is a control character the markup cannot hold as
 * \xNN (so the reader sees what the provider wrote, and the file stays
 * valid). */
void report_markup(FILE *f, const char *s, size_t n, enum report_markup where);

#endif /* SYNCHOST_REPORT_FILE_H */
