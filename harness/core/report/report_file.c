/*
 * report_file.c: atomic report files and UTF-8 checking (report_file.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "report/report_file.h"
#include "text/escape.h"

/* As the kernel's own bound (MAXSYMLINKS): a loop of links ends here. */
#define MAX_LINKS 40

static int copy_path(char *dst, size_t cap, const char *src)
{
    if ((size_t)snprintf(dst, cap, "%s", src) >= cap) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* A second character that separates a path's folders: '\\' on Windows
 * (harness/platform/win/posix.h says so), none elsewhere. */
#ifndef PATH_SEPARATOR_ALT
#define PATH_SEPARATOR_ALT '/'
#endif

static const char *last_separator(const char *path)
{
    const char *slash = strrchr(path, '/'), *alt = strrchr(path, PATH_SEPARATOR_ALT);

    return alt != NULL && (slash == NULL || alt > slash) ? alt : slash;
}

/* Where a link at cur points, made relative to cur's folder, into cur. */
static int follow_link(char *cur, size_t cap)
{
    char target[PATH_MAX], joined[PATH_MAX];
    const char *slash;
    ssize_t n = readlink(cur, target, sizeof target - 1);

    if (n < 0) {
        return -1;
    }
    target[n] = '\0';
    slash = last_separator(cur);
    if (target[0] == '/' || slash == NULL) {
        return copy_path(cur, cap, target);
    }
    if ((size_t)snprintf(joined, sizeof joined, "%.*s/%s", (int)(slash - cur), cur, target) >=
        sizeof joined) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return copy_path(cur, cap, joined);
}

/* Nothing at path, or a link (through links) to nothing: the name that
 * would be created, its folder made absolute, into t->path. */
static int resolve_missing(const char *path, struct report_target *t)
{
    char cur[PATH_MAX], dir[PATH_MAX];
    const char *base;
    struct stat ls;

    if (copy_path(cur, sizeof cur, path) != 0) {
        return -1;
    }
    for (int links = 0; lstat(cur, &ls) == 0 && S_ISLNK(ls.st_mode); links++) {
        if (links == MAX_LINKS) {
            errno = ELOOP;
            return -1;
        }
        if (follow_link(cur, sizeof cur) != 0) {
            return -1;
        }
    }
    base = last_separator(cur);
    if (base != NULL && base[1] == '\0') {
        errno = EISDIR; /* a path ending in '/' names a folder */
        return -1;
    }
    if (base == NULL) {
        snprintf(dir, sizeof dir, ".");
        base = cur;
    } else {
        snprintf(dir, sizeof dir, "%.*s", base == cur ? 1 : (int)(base - cur), cur);
        base++;
    }
    if (realpath(dir, t->path) == NULL) {
        return -1;
    }
    if (strcmp(t->path, "/") == 0) {
        t->path[0] = '\0';
    }
    if (strlen(t->path) + 1 + strlen(base) >= sizeof t->path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strncat(t->path, "/", sizeof t->path - strlen(t->path) - 1);
    strncat(t->path, base, sizeof t->path - strlen(t->path) - 1);
    return 0;
}

int report_target_resolve(const char *path, struct report_target *t)
{
    struct stat st;

    memset(t, 0, sizeof *t);
    if (strcmp(path, "-") == 0) {
        t->kind = REPORT_TARGET_STDOUT;
        return copy_path(t->path, sizeof t->path, path);
    }
    if (path[0] == '\0') {
        errno = ENOENT;
        return -1;
    }
    if (stat(path, &st) != 0) {
        t->kind = REPORT_TARGET_REPLACE;
        return errno == ENOENT ? resolve_missing(path, t) : -1;
    }
    t->exists = 1;
    t->dev = st.st_dev;
    t->ino = st.st_ino;
    t->mode = st.st_mode;
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        /* A device, FIFO or terminal is the reader: replacing it would
         * take it from whoever else uses it (as root, /dev/null itself). */
        t->kind = REPORT_TARGET_IN_PLACE;
        return copy_path(t->path, sizeof t->path, path);
    }
    t->kind = REPORT_TARGET_REPLACE;
    return realpath(path, t->path) != NULL ? 0 : -1;
}

int report_target_same(const struct report_target *a, const struct report_target *b)
{
    if (a->kind == REPORT_TARGET_STDOUT || b->kind == REPORT_TARGET_STDOUT) {
        return a->kind == b->kind;
    }
    if (a->exists || b->exists) {
        return a->exists && b->exists && a->dev == b->dev && a->ino == b->ino;
    }
    return strcmp(a->path, b->path) == 0;
}

int report_target_temp(const struct report_target *t, char *out, size_t cap)
{
    if ((size_t)snprintf(out, cap, "%s.tmp.%ld", t->path, (long)getpid()) >= cap) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* fn's output to f, flushed (and synced when it is a file); f closed. */
static int finish(FILE *f, int (*fn)(FILE *f, void *ctx), void *ctx, int sync)
{
    int rc = -1, saved;

    errno = 0;
    if (fn(f, ctx) == 0 && !ferror(f) && fflush(f) == 0 && (!sync || fsync(fileno(f)) == 0)) {
        rc = 0;
    }
    saved = errno != 0 ? errno : EIO;
    if (fclose(f) != 0 && rc == 0) {
        saved = errno;
        rc = -1;
    }
    errno = saved;
    return rc;
}

static int write_in_place(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx)
{
    /* No O_CREAT or O_TRUNC: what is there is written, never made. */
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    FILE *f;

    if (fd < 0) {
        return -1;
    }
    if ((f = fdopen(fd, "w")) == NULL) {
        close(fd);
        return -1;
    }
    return finish(f, fn, ctx, 0);
}

static int write_replace(const struct report_target *t, int (*fn)(FILE *f, void *ctx), void *ctx)
{
    char tmp[PATH_MAX + 32];
    int fd, saved;
    FILE *f;

    if (report_target_temp(t, tmp, sizeof tmp) != 0) {
        return -1;
    }
    /* One left by an earlier process of this id goes (unlink never follows
     * a link); O_EXCL then makes sure the name is ours. */
    (void)unlink(tmp);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        return -1;
    }
    if (t->exists) {
        (void)fchmod(fd, t->mode & 07777);
    }
    if ((f = fdopen(fd, "w")) == NULL) {
        saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        return -1;
    }
    if (finish(f, fn, ctx, 1) != 0 || rename(tmp, t->path) != 0) {
        saved = errno;
        unlink(tmp);
        errno = saved;
        return -1;
    }
    return 0;
}

int report_file_write(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx)
{
    struct report_target t;

    if (report_target_resolve(path, &t) != 0) {
        return -1;
    }
    switch (t.kind) {
    case REPORT_TARGET_STDOUT:
        return fn(stdout, ctx) == 0 && fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
    case REPORT_TARGET_IN_PLACE:
        return write_in_place(t.path, fn, ctx);
    case REPORT_TARGET_REPLACE:
        break;
    }
    return write_replace(&t, fn, ctx);
}

/* Can the markup hold the code point cp as a character (escaped or not)? */
static int markup_holds(uint32_t cp, enum report_markup where)
{
    if (where == MARKUP_HTML) {
        return (cp >= 0x20 || cp == '\n' || cp == '\t') && cp != 0x7F;
    }
    return (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r') && cp != 0xFFFE && cp != 0xFFFF;
}

struct markup_walk {
    FILE *f;
    enum report_markup where;
};

/* One character of report_markup(): one the markup cannot hold, or a byte
 * of no character, as "\xNN" (each of its bytes in turn). */
static void markup_char(void *ctx, const unsigned char *p, size_t len, int32_t cp)
{
    const struct markup_walk *w = ctx;
    FILE *f = w->f;
    enum report_markup where = w->where;
    char esc[TEXT_ESCAPE_MAX];

    if (cp == TEXT_WALK_BYTE || !markup_holds((uint32_t)cp, where)) {
        for (size_t i = 0; i < len; i++) {
            text_escape_byte(esc, p[i], TEXT_HEX_UPPER);
            fputs(esc, f);
        }
    } else if (cp == '&') {
        fputs("&amp;", f);
    } else if (cp == '<') {
        fputs("&lt;", f);
    } else if (cp == '>') {
        fputs("&gt;", f);
    } else if (cp == '"' && where != MARKUP_XML_TEXT) {
        fputs("&quot;", f);
    } else if (cp == '\'' && where == MARKUP_HTML) {
        fputs("&#39;", f);
    } else if (where != MARKUP_HTML &&
               (cp == '\r' || (where == MARKUP_XML_ATTR && (cp == '\n' || cp == '\t')))) {
        fprintf(f, "&#%u;", (unsigned)cp); /* kept through normalisation */
    } else {
        fwrite(p, 1, len, f);
    }
}

void report_markup(FILE *f, const char *s, size_t n, enum report_markup where)
{
    struct markup_walk w = {f, where};

    text_walk(s, n, markup_char, &w);
}

struct json_out {
    json_t *doc;
    size_t flags;
};

static int json_out_dump(FILE *f, void *ctx)
{
    const struct json_out *o = ctx;

    return json_dumpf(o->doc, f, o->flags) == 0 && fputc('\n', f) != EOF ? 0 : -1;
}

int report_file_write_json(const char *path, json_t *doc, size_t flags)
{
    struct json_out o = {doc, flags};
    int rc, saved;

    if (doc == NULL) {
        errno = ENOMEM;
        return -1;
    }
    rc = report_file_write(path, json_out_dump, &o);
    saved = errno;
    json_decref(doc);
    errno = saved;
    return rc;
}
