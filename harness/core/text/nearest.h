/*
 * nearest.h: the name a misspelt word most likely means, for messages
 * ("unknown key 'overlpa' in sync; did you mean 'overlap'?").
 *
 * Case-insensitive edit distance (an insertion, a deletion, a change or two
 * neighbours swapped each count one); a name counts as near when at most a
 * quarter of the word's letters (at least one, at most three) differ.
 * Portable C, no allocation; words past NEAREST_MAX_LEN are never near.
 */
#ifndef SYNCHOST_NEAREST_H
#define SYNCHOST_NEAREST_H

#include <stddef.h>

#define NEAREST_MAX_LEN 64

/* The edit distance between s (len bytes) and name, or (size_t)-1 when
 * either is longer than NEAREST_MAX_LEN. */
size_t nearest_distance(const char *s, size_t len, const char *name);

/* The first of names (count of them; NULL entries skipped) nearest to s
 * and near enough, or NULL. */
const char *nearest_name(const char *s, size_t len, const char *const *names, size_t count);

#endif /* SYNCHOST_NEAREST_H */
