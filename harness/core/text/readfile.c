/*
 * readfile.c: input files read whole within a size limit (see readfile.h).
 */
#include "text/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef O_BINARY
#define O_BINARY 0
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

int readfile_open(struct readfile *rf, const char *path, char *err, size_t cap)
{
    struct stat st;

    memset(rf, 0, sizeof *rf);
    rf->path = path;
    rf->fd = open(path, O_RDONLY | O_BINARY | O_CLOEXEC);
    if (rf->fd < 0) {
        snprintf(err, cap, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(rf->fd, &st) != 0) {
        snprintf(err, cap, "%s: cannot read: %s", path, strerror(errno));
        readfile_close(rf);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, cap, "%s: cannot read: %s", path, strerror(EISDIR));
        readfile_close(rf);
        return -1;
    }
    rf->sized = S_ISREG(st.st_mode);
    rf->size = rf->sized && st.st_size > 0 ? (uint64_t)st.st_size : 0;
    return 0;
}

/* "N bytes" or "N bytes (M MiB)", for messages. */
static const char *bytes(uint64_t n, char *buf, size_t cap)
{
    if (n >= 1024 * 1024) {
        snprintf(buf, cap, "%" PRIu64 " bytes (%" PRIu64 " MiB)", n, n >> 20);
    } else {
        snprintf(buf, cap, "%" PRIu64 " bytes", n);
    }
    return buf;
}

static int too_large(const char *path, uint64_t size, int at_least, uint64_t limit,
                     const char *what, char *err, size_t cap)
{
    char a[64], b[64];

    snprintf(err, cap, "%s: too large for %s: %s%s, more than the limit of %s", path, what,
             at_least ? "at least " : "", bytes(size, a, sizeof a), bytes(limit, b, sizeof b));
    return -1;
}

int readfile_check(const struct readfile *rf, uint64_t limit, const char *what, char *err,
                   size_t cap)
{
    return rf->sized && rf->size > limit ? too_large(rf->path, rf->size, 0, limit, what, err, cap)
                                         : 0;
}

long readfile_peek(const struct readfile *rf, char *buf, size_t cap_bytes, char *err, size_t cap)
{
    ssize_t n;

    if (!rf->sized) {
        return 0;
    }
    do {
        n = pread(rf->fd, buf, cap_bytes, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        snprintf(err, cap, "%s: cannot read: %s", rf->path, strerror(errno));
        return -1;
    }
    return (long)n;
}

int readfile_read(struct readfile *rf, uint64_t limit, const char *what, char **data, size_t *len,
                  char *err, size_t cap)
{
    /* A sized file gets its size (and a byte more, to see it did not grow)
     * at once; anything else grows by doubling, never past limit + 1. */
    size_t room = rf->sized ? (size_t)rf->size + 1 : 65536, got = 0;
    char *buf;

    *data = NULL;
    *len = 0;
    if (readfile_check(rf, limit, what, err, cap) != 0) {
        return -1;
    }
    room = room > limit + 1 ? (size_t)limit + 1 : room;
    if ((buf = malloc(room + 1)) == NULL) {
        snprintf(err, cap, "%s: cannot read: out of memory", rf->path);
        return -1;
    }
    for (;;) {
        ssize_t n;
        if (got == room) {
            size_t more = room * 2 > limit + 1 ? (size_t)limit + 1 : room * 2;
            char *grown = more > room ? realloc(buf, more + 1) : NULL;
            if (more <= room) {
                free(buf);
                return too_large(rf->path, got, 1, limit, what, err, cap);
            }
            if (grown == NULL) {
                free(buf);
                snprintf(err, cap, "%s: cannot read: out of memory", rf->path);
                return -1;
            }
            buf = grown;
            room = more;
        }
        n = read(rf->fd, buf + got, room - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            snprintf(err, cap, "%s: cannot read: %s", rf->path, strerror(errno));
            free(buf);
            return -1;
        }
        if (n == 0) {
            break;
        }
        got += (size_t)n;
    }
    if (got > limit) {
        free(buf);
        return too_large(rf->path, got, 1, limit, what, err, cap);
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return 0;
}

void readfile_close(struct readfile *rf)
{
    if (rf->fd >= 0) {
        close(rf->fd);
    }
    rf->fd = -1;
}

int readfile_load(const char *path, uint64_t limit, const char *what, char **data, size_t *len,
                  char *err, size_t cap)
{
    struct readfile rf;
    int rc;

    *data = NULL;
    *len = 0;
    if (readfile_open(&rf, path, err, cap) != 0) {
        return -1;
    }
    rc = readfile_read(&rf, limit, what, data, len, err, cap);
    readfile_close(&rf);
    return rc;
}
