/*
 * regex.h: POSIX extended regular expressions for the Windows build, which
 * has no regex.h (mingw-w64 ships none). The supervisor matches scenario
 * names against --filter and --exclude with regcomp(REG_EXTENDED |
 * REG_NOSUB) and regexec; this is that much of POSIX: a match or not, no
 * submatches.
 *
 * The language: literals, '.', bracket expressions with ranges and '^'
 * negation (and [:alpha:], [:digit:], [:alnum:], [:space:], [:upper:],
 * [:lower:], [:punct:], [:xdigit:]), '^' and '$' anchors, groups, '|', the
 * quantifiers '*', '+', '?', '{m}', '{m,}' and '{m,n}', and '\' before a
 * character taking it literally. Matching backtracks; patterns and names
 * are short. Not thread-safe across one regex_t (each is used by one thread).
 */
#ifndef SYNCHOST_PLATFORM_WIN_REGEX_H
#define SYNCHOST_PLATFORM_WIN_REGEX_H

#include <stddef.h>

#define REG_EXTENDED 1
#define REG_ICASE    2
#define REG_NOSUB    4
#define REG_NEWLINE  8

#define REG_NOMATCH 1
#define REG_BADPAT  2
#define REG_EBRACK  7
#define REG_EPAREN  8
#define REG_EBRACE  9
#define REG_BADBR   10
#define REG_ERANGE  11
#define REG_ESPACE  12
#define REG_BADRPT  13

typedef struct {
    size_t re_nsub;
    void *re_impl; /* the parsed pattern (regex.c) */
} regex_t;

typedef long regoff_t;
typedef struct {
    regoff_t rm_so, rm_eo;
} regmatch_t;

/* cflags: REG_EXTENDED is the only syntax; REG_ICASE is honoured. Returns 0
 * or a REG_ error code (regerror says it in words). */
int regcomp(regex_t *re, const char *pattern, int cflags);
/* Returns 0 when pattern matches somewhere in s, else REG_NOMATCH. No
 * submatches are reported (nmatch is ignored). */
int regexec(const regex_t *re, const char *s, size_t nmatch, regmatch_t pmatch[], int eflags);
size_t regerror(int code, const regex_t *re, char *buf, size_t cap);
void regfree(regex_t *re);

#endif /* SYNCHOST_PLATFORM_WIN_REGEX_H */
