/*
 * textkeep.h: a stream of bytes kept within a bound: whole when it fits,
 * else its first half and its last half, with the bytes between counted and
 * left out. For the worker's standard error (docs/reports.md,
 * worker_stderr): its first part holds the cause of what went wrong, its
 * last part the end (a crash, Wine's last words), so both are kept.
 *
 * Memory grows with what is kept, never past the bound: a stream of a few
 * lines costs a few lines. Bytes are bytes: NULs and ill-formed UTF-8 are
 * kept as they came (the report writers escape them). Not thread-safe.
 */
#ifndef SYNCHOST_TEXTKEEP_H
#define SYNCHOST_TEXTKEEP_H

#include <stddef.h>
#include <stdint.h>

/* The most of the worker's standard error kept per scenario, in bytes. */
#define TEXTKEEP_STDERR_MAX (1u << 20)

struct textkeep {
    size_t max; /* the bound: max/2 first bytes, the rest last */
    char *head; /* the first bytes, up to max/2 */
    size_t head_len, head_cap;
    char *tail;                          /* the last bytes after the head: a ring once full */
    size_t tail_len, tail_cap, tail_pos; /* tail_pos: the oldest byte, once full */
    uint64_t total;                      /* every byte added since the last take */
    int oom;                             /* memory ran out: bytes were counted, not kept */
};

/* An empty keep of at most max (>= 2) bytes. */
void textkeep_init(struct textkeep *k, size_t max);

/* Adds n bytes. Out of memory, they are counted and not kept. */
void textkeep_add(struct textkeep *k, const char *p, size_t n);

/* What was kept since the last take, as one string (the caller's to free;
 * NUL-terminated, and it may hold NULs), of *len bytes. When bytes were
 * left out (*dropped > 0, the count), the string has, between the first
 * half and the last, the line TEXTKEEP_MARK with that count. NULL when
 * nothing was added, or memory ran out (then *len is 0). k is emptied
 * (its memory freed), ready for more. */
char *textkeep_take(struct textkeep *k, size_t *len, uint64_t *dropped);

/* The marker written where bytes were left out (a printf format of the
 * count). */
#define TEXTKEEP_MARK "\n[synchost: %llu bytes left out here]\n"

/* Frees what k holds; k is then empty. */
void textkeep_free(struct textkeep *k);

#endif /* SYNCHOST_TEXTKEEP_H */
