/* nearest.c: the nearest name to a misspelt word (nearest.h). */
#include "text/nearest.h"

#include <string.h>

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

size_t nearest_distance(const char *s, size_t len, const char *name)
{
    /* Three rows of the optimal string alignment distance: Levenshtein's,
     * with two neighbours swapped counting as one edit. */
    size_t rows[3][NEAREST_MAX_LEN + 1];
    size_t nlen = strlen(name);

    if (len > NEAREST_MAX_LEN || nlen > NEAREST_MAX_LEN) {
        return (size_t)-1;
    }
    for (size_t j = 0; j <= nlen; j++) {
        rows[0][j] = j;
    }
    for (size_t i = 1; i <= len; i++) {
        size_t *cur = rows[i % 3], *prev = rows[(i - 1) % 3], *prev2 = rows[(i + 1) % 3];
        cur[0] = i;
        for (size_t j = 1; j <= nlen; j++) {
            size_t cost = lower(s[i - 1]) == lower(name[j - 1]) ? 0 : 1;
            size_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best) {
                best = prev[j] + 1;
            }
            if (cur[j - 1] + 1 < best) {
                best = cur[j - 1] + 1;
            }
            if (i > 1 && j > 1 && lower(s[i - 1]) == lower(name[j - 2]) &&
                lower(s[i - 2]) == lower(name[j - 1]) && prev2[j - 2] + 1 < best) {
                best = prev2[j - 2] + 1;
            }
            cur[j] = best;
        }
    }
    return rows[len % 3][nlen];
}

const char *nearest_name(const char *s, size_t len, const char *const *names, size_t count)
{
    size_t limit = len / 4, best_d = (size_t)-1;
    const char *best = NULL;

    if (limit < 1) {
        limit = 1;
    }
    if (limit > 3) {
        limit = 3;
    }
    for (size_t i = 0; i < count; i++) {
        size_t d;
        if (names[i] == NULL) {
            continue;
        }
        d = nearest_distance(s, len, names[i]);
        if (d <= limit && d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}
