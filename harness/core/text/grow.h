/*
 * grow.h: room for one more item at the end of an array that doubles as it
 * fills, the way every growing list of harness/core keeps its items.
 * Header only.
 */
#ifndef SYNCHOST_GROW_H
#define SYNCHOST_GROW_H

#include <stdint.h>
#include <stdlib.h>

/* items holds *cap items of size bytes, count of them used. Returns items
 * when item count fits, else the array reallocated to twice *cap (first
 * when *cap is 0) with *cap updated; NULL when memory ran out or the size
 * would overflow, items and *cap then as they were (the caller still owns
 * items). */
static inline void *grow_room(void *items, size_t *cap, size_t count, size_t size, size_t first)
{
    size_t n;
    void *p;

    if (count < *cap) {
        return items;
    }
    n = *cap ? *cap * 2 : first;
    if (n < *cap || n > SIZE_MAX / size) {
        return NULL;
    }
    p = realloc(items, n * size);
    if (p != NULL) {
        *cap = n;
    }
    return p;
}

#endif /* SYNCHOST_GROW_H */
