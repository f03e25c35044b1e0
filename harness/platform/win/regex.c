/*
 * regex.c: a small backtracking matcher for POSIX extended regular
 * expressions (regex.h). A pattern is parsed into alternatives of sequences
 * of atoms, each atom with its bounds; matching walks them with an explicit
 * continuation, so that a group's repetition and what follows the group are
 * tried in POSIX's greedy order.
 */
#include "regex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REP_MAX 255 /* the largest bound {m,n} takes, as glibc's RE_DUP_MAX */

enum atom_kind { ATOM_ANY, ATOM_SET, ATOM_BOL, ATOM_EOL, ATOM_GROUP };

struct alt;

struct atom {
    enum atom_kind kind;
    int min, max;          /* max -1: no bound */
    unsigned char set[32]; /* ATOM_SET: one bit per byte */
    struct alt *group;
};

struct seq {
    struct atom *atoms;
    size_t n;
};

struct alt {
    struct seq *seqs;
    size_t n;
};

struct parser {
    const char *p;
    int icase;
    int err;
    int depth; /* groups open: a ')' outside any is itself, as in glibc */
};

/* What to do once the current sequence has matched: go on in another
 * sequence (after a group), or match the group it belongs to once more. */
struct cont {
    const struct seq *seq;
    size_t i;     /* the group atom's index in seq */
    int count;    /* instances of it matched before this one */
    size_t start; /* where this instance began */
    const struct cont *next;
};

static struct alt *parse_alt(struct parser *ps);

static void alt_free(struct alt *a)
{
    if (a == NULL) {
        return;
    }
    for (size_t i = 0; i < a->n; i++) {
        for (size_t j = 0; j < a->seqs[i].n; j++) {
            alt_free(a->seqs[i].atoms[j].group);
        }
        free(a->seqs[i].atoms);
    }
    free(a->seqs);
    free(a);
}

static void set_add(unsigned char *set, int c, int icase)
{
    set[(unsigned char)c >> 3] |= (unsigned char)(1u << (c & 7));
    if (icase && isalpha(c)) {
        int o = islower(c) ? toupper(c) : tolower(c);
        set[(unsigned char)o >> 3] |= (unsigned char)(1u << (o & 7));
    }
}

static int set_has(const unsigned char *set, unsigned char c)
{
    return (set[c >> 3] >> (c & 7)) & 1;
}

/* "[:name:]" at p (after its '['): adds the class, returns its length. */
static size_t parse_class_name(struct parser *ps, const char *p, unsigned char *set)
{
    static const struct {
        const char *name;
        int (*is)(int);
    } classes[] = {
        {"alpha", isalpha}, {"digit", isdigit}, {"alnum", isalnum}, {"space", isspace},
        {"upper", isupper}, {"lower", islower}, {"punct", ispunct}, {"xdigit", isxdigit},
    };
    const char *end = strstr(p + 2, ":]");

    if (end == NULL) {
        return 0;
    }
    for (size_t k = 0; k < sizeof classes / sizeof classes[0]; k++) {
        if (strlen(classes[k].name) == (size_t)(end - p - 2) &&
            strncmp(p + 2, classes[k].name, (size_t)(end - p - 2)) == 0) {
            for (int c = 1; c < 256; c++) {
                if (classes[k].is(c)) {
                    set_add(set, c, ps->icase);
                }
            }
            return (size_t)(end + 2 - p);
        }
    }
    ps->err = REG_BADPAT;
    return 0;
}

/* A bracket expression, ps->p just after its '['. */
static void parse_set(struct parser *ps, struct atom *a)
{
    int neg = 0, first = 1;

    a->kind = ATOM_SET;
    if (*ps->p == '^') {
        neg = 1;
        ps->p++;
    }
    while (*ps->p != '\0' && (first || *ps->p != ']')) {
        unsigned char lo = (unsigned char)*ps->p, hi;
        size_t len;

        first = 0;
        if (lo == '[' && ps->p[1] == ':' && (len = parse_class_name(ps, ps->p, a->set)) > 0) {
            ps->p += len;
            continue;
        }
        if (ps->err != 0) {
            return;
        }
        hi = lo;
        if (ps->p[1] == '-' && ps->p[2] != ']' && ps->p[2] != '\0') {
            hi = (unsigned char)ps->p[2];
            ps->p += 2;
            if (hi < lo) {
                ps->err = REG_ERANGE;
                return;
            }
        }
        ps->p++;
        for (int c = lo; c <= hi; c++) {
            set_add(a->set, c, ps->icase);
        }
    }
    if (*ps->p != ']') {
        ps->err = REG_EBRACK;
        return;
    }
    ps->p++;
    if (neg) {
        for (size_t i = 0; i < sizeof a->set; i++) {
            a->set[i] = (unsigned char)~a->set[i];
        }
        a->set[0] &= (unsigned char)~1u; /* never the terminating NUL */
    }
}

static int parse_int(struct parser *ps)
{
    int v = 0;

    if (!isdigit((unsigned char)*ps->p)) {
        return -1;
    }
    while (isdigit((unsigned char)*ps->p)) {
        v = v * 10 + (*ps->p++ - '0');
        if (v > REP_MAX) {
            return -2;
        }
    }
    return v;
}

/* "{m}", "{m,}" or "{m,n}", ps->p just after its '{'. */
static void parse_bounds(struct parser *ps, struct atom *a)
{
    int m = parse_int(ps), n = m;

    if (*ps->p == ',') {
        ps->p++;
        n = *ps->p == '}' ? -1 : parse_int(ps);
    }
    if (m < 0 || (n < 0 && n != -1) || (n != -1 && n < m) || *ps->p != '}') {
        ps->err = m == -2 || n == -2 ? REG_ESPACE : *ps->p == '}' ? REG_BADBR : REG_EBRACE;
        return;
    }
    ps->p++;
    a->min = m;
    a->max = n;
}

static void parse_quantifier(struct parser *ps, struct atom *a)
{
    while (ps->err == 0 && *ps->p != '\0' && strchr("*+?{", *ps->p) != NULL) {
        char q = *ps->p++;
        if (a->kind == ATOM_BOL || a->kind == ATOM_EOL) {
            ps->err = REG_BADRPT;
            return;
        }
        if (q == '{') {
            parse_bounds(ps, a);
        } else {
            a->min = q == '+' ? 1 : 0;
            a->max = q == '?' ? 1 : -1;
        }
    }
}

/* One atom and its quantifier into a; 0, or -1 at the end of a sequence. */
static int parse_atom(struct parser *ps, struct atom *a)
{
    char c = *ps->p;

    memset(a, 0, sizeof *a);
    a->min = a->max = 1;
    if (c == '\0' || c == '|' || (c == ')' && ps->depth > 0)) {
        return -1;
    }
    ps->p++;
    if (c == '*' || c == '+' || c == '?' || c == '{') {
        ps->err = REG_BADRPT;
        return 0;
    }
    switch (c) {
    case '.':
        a->kind = ATOM_ANY;
        break;
    case '^':
        a->kind = ATOM_BOL;
        break;
    case '$':
        a->kind = ATOM_EOL;
        break;
    case '[':
        parse_set(ps, a);
        break;
    case '(':
        a->kind = ATOM_GROUP;
        ps->depth++;
        a->group = parse_alt(ps);
        ps->depth--;
        if (ps->err == 0 && *ps->p != ')') {
            ps->err = REG_EPAREN;
        }
        if (ps->err == 0) {
            ps->p++;
        }
        break;
    case '\\':
        if (*ps->p == '\0') {
            ps->err = REG_BADPAT;
            return 0;
        }
        a->kind = ATOM_SET;
        set_add(a->set, (unsigned char)*ps->p++, ps->icase);
        break;
    default:
        a->kind = ATOM_SET;
        set_add(a->set, (unsigned char)c, ps->icase);
        break;
    }
    parse_quantifier(ps, a);
    return 0;
}

static struct alt *parse_alt(struct parser *ps)
{
    struct alt *alt = calloc(1, sizeof *alt);

    if (alt == NULL) {
        ps->err = REG_ESPACE;
        return NULL;
    }
    for (;;) {
        struct seq *grown = realloc(alt->seqs, (alt->n + 1) * sizeof *grown), *s;
        struct atom a;

        if (grown == NULL) {
            ps->err = REG_ESPACE;
            return alt;
        }
        alt->seqs = grown;
        s = &alt->seqs[alt->n++];
        memset(s, 0, sizeof *s);
        while (ps->err == 0 && parse_atom(ps, &a) == 0) {
            struct atom *more = realloc(s->atoms, (s->n + 1) * sizeof *more);
            if (more == NULL) {
                alt_free(a.group);
                ps->err = REG_ESPACE;
                return alt;
            }
            s->atoms = more;
            s->atoms[s->n++] = a;
        }
        if (ps->err != 0 || *ps->p != '|') {
            return alt;
        }
        ps->p++;
    }
}

static int match_seq(const struct seq *s, size_t i, const char *str, size_t pos,
                     const struct cont *k);

static int match_one(const struct atom *a, const char *str, size_t pos)
{
    unsigned char c = (unsigned char)str[pos];

    switch (a->kind) {
    case ATOM_ANY:
        return c != '\0';
    case ATOM_SET:
        return c != '\0' && set_has(a->set, c);
    default:
        return 0;
    }
}

/* Atom i of s, matched count times so far, from pos: once more (greedy),
 * then what follows it. */
static int match_rep(const struct seq *s, size_t i, int count, const char *str, size_t pos,
                     const struct cont *k)
{
    const struct atom *a = &s->atoms[i];

    if (a->max == -1 || count < a->max) {
        if (a->kind == ATOM_GROUP) {
            struct cont again = {s, i, count, pos, k};
            for (size_t j = 0; j < a->group->n; j++) {
                if (match_seq(&a->group->seqs[j], 0, str, pos, &again)) {
                    return 1;
                }
            }
        } else if (match_one(a, str, pos) && match_rep(s, i, count + 1, str, pos + 1, k)) {
            return 1;
        }
    }
    return count >= a->min && match_seq(s, i + 1, str, pos, k);
}

static int match_seq(const struct seq *s, size_t i, const char *str, size_t pos,
                     const struct cont *k)
{
    if (i == s->n) {
        if (k == NULL) {
            return 1;
        }
        /* A group instance that matched nothing ends the repetition. */
        if (pos == k->start) {
            return k->count + 1 >= k->seq->atoms[k->i].min &&
                   match_seq(k->seq, k->i + 1, str, pos, k->next);
        }
        return match_rep(k->seq, k->i, k->count + 1, str, pos, k->next);
    }
    switch (s->atoms[i].kind) {
    case ATOM_BOL:
        return pos == 0 && match_seq(s, i + 1, str, pos, k);
    case ATOM_EOL:
        return str[pos] == '\0' && match_seq(s, i + 1, str, pos, k);
    default:
        return match_rep(s, i, 0, str, pos, k);
    }
}

int regcomp(regex_t *re, const char *pattern, int cflags)
{
    struct parser ps = {pattern, (cflags & REG_ICASE) != 0, 0, 0};
    struct alt *alt = parse_alt(&ps);

    if (ps.err != 0) {
        alt_free(alt);
        re->re_impl = NULL;
        return ps.err;
    }
    re->re_impl = alt;
    re->re_nsub = 0;
    return 0;
}

int regexec(const regex_t *re, const char *s, size_t nmatch, regmatch_t pmatch[], int eflags)
{
    const struct alt *alt = re->re_impl;
    size_t len = strlen(s);

    (void)nmatch;
    (void)pmatch;
    (void)eflags;
    for (size_t start = 0; alt != NULL && start <= len; start++) {
        for (size_t j = 0; j < alt->n; j++) {
            if (match_seq(&alt->seqs[j], 0, s, start, NULL)) {
                return 0;
            }
        }
    }
    return REG_NOMATCH;
}

size_t regerror(int code, const regex_t *re, char *buf, size_t cap)
{
    const char *msg;

    (void)re;
    switch (code) {
    case REG_NOMATCH:
        msg = "No match";
        break;
    case REG_EBRACK:
        msg = "Unmatched [, [^, [:, [., or [=";
        break;
    case REG_EPAREN:
        msg = "Unmatched ( or \\(";
        break;
    case REG_EBRACE:
        msg = "Unmatched \\{";
        break;
    case REG_BADBR:
        msg = "Invalid content of \\{\\}";
        break;
    case REG_ERANGE:
        msg = "Invalid range end";
        break;
    case REG_ESPACE:
        msg = "Memory exhausted";
        break;
    case REG_BADRPT:
        msg = "Invalid preceding regular expression";
        break;
    default:
        msg = "Invalid regular expression";
        break;
    }
    return (size_t)snprintf(buf, cap, "%s", msg) + 1;
}

void regfree(regex_t *re)
{
    alt_free(re->re_impl);
    re->re_impl = NULL;
}
