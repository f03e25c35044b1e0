/*
 * optstr.h: strings that may be absent (NULL), compared: an absent string
 * sorts before every present one, and two absent ones are equal. Header
 * only.
 */
#ifndef SYNCHOST_OPTSTR_H
#define SYNCHOST_OPTSTR_H

#include <string.h>

/* Like strcmp, with NULL before every string. */
static inline int optstr_cmp(const char *a, const char *b)
{
    return a == NULL || b == NULL ? (a != NULL) - (b != NULL) : strcmp(a, b);
}

#endif /* SYNCHOST_OPTSTR_H */
