/* rerun.c: commands that rerun one scenario alone (see rerun.h). */
#include "rerun.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RERUN_MAX 16384

/* Characters no POSIX shell gives a meaning to in a word. */
static int plain(const char *s)
{
    if (*s == '\0') {
        return 0;
    }
    for (; *s; s++) {
        if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+./:,=@%",
                   *s) == NULL) {
            return 0;
        }
    }
    return 1;
}

/* Appends n bytes; -1 (and nothing) when they do not fit. */
static int put(char *out, size_t cap, const char *s, size_t n)
{
    size_t len = strlen(out);

    if (len + n + 1 > cap) {
        return -1;
    }
    memcpy(out + len, s, n);
    out[len + n] = '\0';
    return 0;
}

int rerun_shell_quote(const char *s, char *out, size_t cap)
{
    int rc = 0;

    if (plain(s)) {
        return put(out, cap, s, strlen(s));
    }
    rc |= put(out, cap, "'", 1);
    for (; *s && rc == 0; s++) {
        rc |= *s == '\'' ? put(out, cap, "'\\''", 4) : put(out, cap, s, 1);
    }
    rc |= put(out, cap, "'", 1);
    return rc;
}

/* " word", quoted. */
static int word(char *out, size_t cap, const char *w)
{
    return put(out, cap, " ", 1) | rerun_shell_quote(w, out, cap);
}

/* NAME=value words for the environment the commands depend on. */
static int environment(char *out, size_t cap)
{
    static const char *const names[] = {"WINEPREFIX", "SYNCHOST_WINE", "SYNCHOST_WORKER64"};
    int rc = 0;

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v != NULL && *v != '\0') {
            rc |= put(out, cap, names[i], strlen(names[i])) | put(out, cap, "=", 1) |
                  rerun_shell_quote(v, out, cap) | put(out, cap, " ", 1);
        }
    }
    return rc;
}

static const char *absolute(const char *path, char *buf)
{
    return realpath(path, buf) != NULL ? buf : path;
}

/* ^name$ with every ERE special character escaped. */
static int name_regex(const char *name, char *out, size_t cap)
{
    int rc = put(out, cap, "^", 1);

    for (; *name && rc == 0; name++) {
        if (strchr(".[]()*+?{}|^$\\", *name) != NULL) {
            rc |= put(out, cap, "\\", 1);
        }
        rc |= put(out, cap, name, 1);
    }
    return rc | put(out, cap, "$", 1);
}

static int synchost_command(const struct scenario_result *res, const struct runner_options *o,
                            const char *provider, char *out, size_t cap)
{
    const struct scenario *sc = res->sc;
    char self[PATH_MAX], abs[PATH_MAX], num[32], re[1024] = "";
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    int rc = environment(out, cap);

    self[n > 0 ? n : 0] = '\0';
    rc |= rerun_shell_quote(n > 0 ? self : "synchost", out, cap);
    if (sc->file != NULL && strcmp(sc->file, "<probe>") == 0) {
        return rc | word(out, cap, "probe") | word(out, cap, absolute(provider, abs));
    }
    rc |= word(out, cap, "trace") | word(out, cap, "--provider") |
          word(out, cap, absolute(provider, abs));
    if (o->judge.level != RULE_RECOMMENDED) {
        rc |= word(out, cap, "--level") | word(out, cap, rule_level_name(o->judge.level));
    }
    for (size_t i = 0; i < o->judge.skip_count; i++) {
        rc |= word(out, cap, "--skip-rule") | word(out, cap, o->judge.skip[i]);
    }
    if (o->timeout_ms != 0) {
        snprintf(num, sizeof num, "%u", o->timeout_ms);
        rc |= word(out, cap, "--timeout-ms") | word(out, cap, num);
    }
    /* The built-in suite is what `trace` runs when given no file. */
    if (sc->file != NULL && strncmp(sc->file, "<builtin>/", 10) != 0) {
        rc |= word(out, cap, absolute(sc->file, abs));
    }
    rc |= name_regex(sc->name, re, sizeof re);
    return rc | word(out, cap, "--filter") | word(out, cap, re);
}

/* The worker by hand reads its scripts from a file: the command writes the
 * scenario's one script line there, then starts the worker on it. */
static int winedbg_command(char *const *argv, const char *script, char *out, size_t cap)
{
    char abs[PATH_MAX];
    size_t len = strlen(script);
    int rc = put(out, cap, "printf '%s\\n' ", 15);

    while (len > 0 && script[len - 1] == '\n') {
        len--;
    }
    {
        char *line = strndup(script, len);
        rc |= line != NULL ? rerun_shell_quote(line, out, cap) : -1;
        free(line);
    }
    rc |= put(out, cap, " > synchost-rerun.script && ", 28);
    rc |= environment(out, cap) | put(out, cap, "winedbg", 7);
    for (size_t i = 0; argv[i] != NULL; i++) {
        if (strcmp(argv[i], "--key-stdin") != 0) {
            rc |= word(out, cap, i == 0 ? absolute(argv[i], abs) : argv[i]);
        }
    }
    return rc | word(out, cap, "synchost-rerun.script");
}

void rerun_fill(struct scenario_result *res, const struct runner_options *o, const char *provider,
                char *const *worker_argv, const char *script)
{
    char *buf = malloc(RERUN_MAX);

    free(res->rerun_synchost);
    free(res->rerun_winedbg);
    res->rerun_synchost = res->rerun_winedbg = NULL;
    if (buf == NULL) {
        return;
    }
    buf[0] = '\0';
    if (synchost_command(res, o, provider, buf, RERUN_MAX) == 0) {
        res->rerun_synchost = strdup(buf);
    }
    buf[0] = '\0';
    if (winedbg_command(worker_argv, script, buf, RERUN_MAX) == 0) {
        res->rerun_winedbg = strdup(buf);
    }
    free(buf);
}
