/*
 * winname.c: links under names Windows can take (see winname.h).
 *
 * Wine maps Z: to the Unix root, so the worker opens Z:\path\to\file.dll;
 * a component with a character Windows reserves cannot be opened that way
 * ('<', '>', '"', '*' and '?' are even wildcards to NT). The DLL is linked
 * into a folder made with mkdtemp under $TMPDIR (or /tmp), one subfolder per
 * provider, under its name with each such character replaced by '_'
 * (".dll" is kept: it has none). The worker loads it with
 * LOAD_WITH_ALTERED_SEARCH_PATH, which looks for its imports in the folder
 * of the path it was given, not of the link's target: so the subfolder also
 * holds a link to everything else in the provider's folder whose name
 * Windows can take (what has another name could not be imported by it
 * anyway). One mechanism serves a bad file name and a bad folder name
 * alike. Symbolic links suffice: Wine opens them as the files they name.
 */
#include "winname.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text/utf8.h"

#define WINNAME_MAX 64 /* providers of one run with such a name */

struct winname {
    char *original; /* as given */
    char *link;     /* in its subfolder of the private folder */
};

static char private_dir[PATH_MAX];
static struct winname names[WINNAME_MAX];
static size_t name_count;
static unsigned subfolders;
static int registered;

/* A byte Windows takes in a name; well-formed UTF-8 above ASCII is taken
 * (Wine converts it), what is not UTF-8 is not. */
static size_t taken(const unsigned char *s, size_t n)
{
    uint32_t cp;
    size_t len = text_utf8_next(s, n, &cp);

    if (len == 0 || cp < 0x20 || cp == 0x7F || (cp < 0x80 && strchr("<>:\"\\|?*", (int)cp))) {
        return 0;
    }
    return len;
}

/* 1 when Windows can take every component of the absolute path p. */
static int path_taken(const char *p)
{
    size_t n = strlen(p);

    for (size_t i = 0, len; i < n; i += len) {
        if (p[i] == '/') {
            len = 1;
        } else if ((len = taken((const unsigned char *)p + i, n - i)) == 0) {
            return 0;
        }
    }
    return 1;
}

/* name with each byte Windows cannot take replaced by '_'. */
static void map_name(const char *name, char *out, size_t cap)
{
    size_t n = strlen(name), o = 0;

    for (size_t i = 0, len; i < n && o + 4 < cap; i += len) {
        if ((len = taken((const unsigned char *)name + i, n - i)) == 0) {
            len = 1;
            out[o++] = '_';
        } else {
            memcpy(out + o, name + i, len);
            o += len;
        }
    }
    out[o] = '\0';
}

static int make_private_dir(void)
{
    const char *tmp = getenv("TMPDIR") != NULL && *getenv("TMPDIR") == '/' ? getenv("TMPDIR")
                                                                           : "/tmp";
    char templ[PATH_MAX];

    if (private_dir[0] != '\0') {
        return 0;
    }
    if ((size_t)snprintf(templ, sizeof templ, "%s/synchost-names-XXXXXX", tmp) >= sizeof templ ||
        mkdtemp(templ) == NULL) {
        return -1;
    }
    /* The folder's own path must be one Windows takes, links resolved. */
    if (realpath(templ, private_dir) == NULL || !path_taken(private_dir)) {
        rmdir(templ);
        private_dir[0] = '\0';
        return -1;
    }
    if (!registered) {
        atexit(winname_cleanup);
        registered = 1;
    }
    return 0;
}

/* Links into sub what else the folder dir holds under a name Windows takes,
 * except one named skip (the provider's own link has that name). */
static void link_siblings(const char *dir, const char *sub, const char *skip)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char from[PATH_MAX], to[PATH_MAX];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, skip) == 0 || !path_taken(e->d_name)) {
            continue;
        }
        if ((size_t)snprintf(from, sizeof from, "%s/%s", dir, e->d_name) < sizeof from &&
            (size_t)snprintf(to, sizeof to, "%s/%s", sub, e->d_name) < sizeof to) {
            (void)symlink(from, to); /* a sibling missing only fails its own import */
        }
    }
    if (d != NULL) {
        closedir(d);
    }
}

/* Makes the link for the file at real (a resolved path); its path, or NULL. */
static char *make_link(const char *real)
{
    const char *slash = strrchr(real, '/');
    char dir[PATH_MAX], sub[PATH_MAX], name[NAME_MAX + 1], link[PATH_MAX];

    if (slash == NULL || make_private_dir() != 0) {
        return NULL;
    }
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - real), real);
    map_name(slash + 1, name, sizeof name);
    if ((size_t)snprintf(sub, sizeof sub, "%s/%u", private_dir, ++subfolders) >= sizeof sub ||
        mkdir(sub, 0700) != 0 ||
        (size_t)snprintf(link, sizeof link, "%s/%s", sub, name) >= sizeof link ||
        symlink(real, link) != 0) {
        return NULL;
    }
    link_siblings(dir[0] != '\0' ? dir : "/", sub, name);
    return strdup(link);
}

const char *winname_for(const char *unix_path)
{
    char real[PATH_MAX];
    char *link;

    if (realpath(unix_path, real) == NULL || path_taken(real)) {
        return NULL;
    }
    for (size_t i = 0; i < name_count; i++) {
        if (strcmp(names[i].original, unix_path) == 0) {
            return names[i].link;
        }
    }
    if (name_count == WINNAME_MAX || (link = make_link(real)) == NULL) {
        return NULL;
    }
    names[name_count].original = strdup(unix_path);
    names[name_count].link = link;
    if (names[name_count].original == NULL) {
        free(link);
        return NULL;
    }
    return names[name_count++].link;
}

/* Empties and removes one subfolder: it holds only links we made. */
static void remove_subfolder(const char *sub)
{
    DIR *d = opendir(sub);
    struct dirent *e;
    char path[PATH_MAX];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            (size_t)snprintf(path, sizeof path, "%s/%s", sub, e->d_name) < sizeof path) {
            unlink(path);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    rmdir(sub);
}

void winname_cleanup(void)
{
    char sub[PATH_MAX];

    if (private_dir[0] != '\0') {
        for (unsigned i = 1; i <= subfolders; i++) {
            if ((size_t)snprintf(sub, sizeof sub, "%s/%u", private_dir, i) < sizeof sub) {
                remove_subfolder(sub);
            }
        }
        rmdir(private_dir);
    }
    for (size_t i = 0; i < name_count; i++) {
        free(names[i].original);
        free(names[i].link);
    }
    name_count = 0;
    subfolders = 0;
    private_dir[0] = '\0'; /* a later run makes a new one */
}
