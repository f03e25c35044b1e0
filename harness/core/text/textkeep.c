/* textkeep.c: a byte stream kept within a bound (see textkeep.h). */
#include "text/textkeep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void textkeep_init(struct textkeep *k, size_t max)
{
    memset(k, 0, sizeof *k);
    k->max = max < 2 ? 2 : max;
}

/* Grows *buf (of *cap bytes) to hold need bytes, doubling from 4 KiB and
 * never past limit. Returns 0, or -1 out of memory. */
static int grow(char **buf, size_t *cap, size_t need, size_t limit)
{
    size_t cap2 = *cap > 0 ? *cap : 4096;
    char *p;

    if (need <= *cap) {
        return 0;
    }
    while (cap2 < need) {
        cap2 *= 2;
    }
    cap2 = cap2 < limit ? cap2 : limit;
    if ((p = realloc(*buf, cap2)) == NULL) {
        return -1;
    }
    *buf = p;
    *cap = cap2;
    return 0;
}

/* Appends to *buf (*len of max bytes kept) as many of the *n bytes at *p as
 * it has room for, and moves *p and *n past them. Returns 0, or -1 out of
 * memory (k->oom set). */
static int fill(struct textkeep *k, char **buf, size_t *cap, size_t *len, size_t max,
                const char **p, size_t *n)
{
    size_t c = max - *len < *n ? max - *len : *n;

    if (c == 0) {
        return 0;
    }
    if (grow(buf, cap, *len + c, max) != 0) {
        k->oom = 1;
        return -1;
    }
    memcpy(*buf + *len, *p, c);
    *len += c;
    *p += c;
    *n -= c;
    return 0;
}

/* Adds n bytes to the tail: appended while it has room, then written over
 * its oldest bytes, a ring of tail_max bytes. */
static void tail_add(struct textkeep *k, const char *p, size_t n)
{
    size_t tail_max = k->max - k->max / 2;

    if (n >= tail_max) {
        /* Only the last tail_max bytes can stay. */
        p += n - tail_max;
        n = tail_max;
        if (grow(&k->tail, &k->tail_cap, tail_max, tail_max) != 0) {
            k->oom = 1;
            return;
        }
        memcpy(k->tail, p, n);
        k->tail_len = tail_max;
        k->tail_pos = 0;
        return;
    }
    if (fill(k, &k->tail, &k->tail_cap, &k->tail_len, tail_max, &p, &n) != 0) {
        return;
    }
    while (n > 0) { /* full: at most two turns, n < tail_max */
        size_t c = tail_max - k->tail_pos < n ? tail_max - k->tail_pos : n;
        memcpy(k->tail + k->tail_pos, p, c);
        k->tail_pos = (k->tail_pos + c) % tail_max;
        p += c;
        n -= c;
    }
}

void textkeep_add(struct textkeep *k, const char *p, size_t n)
{
    size_t head_max = k->max / 2;

    k->total += n;
    if (k->oom || n == 0) {
        return;
    }
    if (fill(k, &k->head, &k->head_cap, &k->head_len, head_max, &p, &n) != 0) {
        return;
    }
    if (n > 0) {
        tail_add(k, p, n);
    }
}

char *textkeep_take(struct textkeep *k, size_t *len, uint64_t *dropped)
{
    uint64_t left_out = k->total - k->head_len - k->tail_len;
    char mark[64];
    int mark_len = 0;
    char *s = NULL;

    *len = 0;
    *dropped = left_out;
    if (k->total > 0 && !k->oom) {
        if (left_out > 0) {
            mark_len = snprintf(mark, sizeof mark, TEXTKEEP_MARK, (unsigned long long)left_out);
        }
        s = malloc(k->head_len + (size_t)mark_len + k->tail_len + 1);
    }
    if (s != NULL) {
        size_t o = 0, older = k->tail_len - k->tail_pos;

        memcpy(s, k->head, k->head_len);
        o = k->head_len;
        memcpy(s + o, mark, (size_t)mark_len);
        o += (size_t)mark_len;
        /* The ring from its oldest byte: tail_pos to the end, then the start. */
        if (k->tail_len > 0) {
            memcpy(s + o, k->tail + k->tail_pos, older);
            memcpy(s + o + older, k->tail, k->tail_pos);
        }
        o += k->tail_len;
        s[o] = '\0';
        *len = o;
    }
    textkeep_free(k);
    return s;
}

void textkeep_free(struct textkeep *k)
{
    size_t max = k->max;

    free(k->head);
    free(k->tail);
    textkeep_init(k, max);
}
