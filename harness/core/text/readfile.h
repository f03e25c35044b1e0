/*
 * readfile.h: a file synchost reads as input (a scenario file, the
 * configuration, a baseline, a report to rerun), read whole within a size
 * limit that is checked before anything is read: fstat on the opened
 * descriptor says how large a regular file is, so an oversized one (a sparse
 * file of a gigabyte, say) costs neither the time nor the memory of reading
 * it. A file fstat cannot size (a FIFO, a device) is read until the limit is
 * passed, then refused the same way.
 *
 * Messages name the file, its size and the limit, never its content.
 * Single-threaded use per call; no global state.
 */
#ifndef SYNCHOST_READFILE_H
#define SYNCHOST_READFILE_H

#include <stddef.h>
#include <stdint.h>

struct readfile {
    const char *path; /* borrowed */
    int fd;
    int sized;     /* a regular file: size is what fstat said */
    uint64_t size; /* bytes, when sized */
};

/* Opens path for reading and asks fstat its size. Returns 0, or -1 with
 * "PATH: cannot read: why" in err. */
int readfile_open(struct readfile *rf, const char *path, char *err, size_t cap);

/* Refuses a sized file over limit: -1 with "PATH: too large for WHAT: N
 * bytes, more than the limit of L" in err; else 0. */
int readfile_check(const struct readfile *rf, uint64_t limit, const char *what, char *err,
                   size_t cap);

/* Up to cap_bytes bytes from the start of a sized file, without moving on;
 * the number read, or -1 with err set. Not for unsized files (returns 0). */
long readfile_peek(const struct readfile *rf, char *buf, size_t cap_bytes, char *err, size_t cap);

/* Reads the rest of the file into a new NUL-terminated buffer (*data, to
 * free) of *len bytes, checking limit before and while reading. Returns 0,
 * or -1 with err set (*data is NULL then). */
int readfile_read(struct readfile *rf, uint64_t limit, const char *what, char **data, size_t *len,
                  char *err, size_t cap);

void readfile_close(struct readfile *rf);

/* Open, read within limit, close: 0, or -1 with err set. */
int readfile_load(const char *path, uint64_t limit, const char *what, char **data, size_t *len,
                  char *err, size_t cap);

#endif /* SYNCHOST_READFILE_H */
