/* rerun.c: commands that rerun one scenario alone (see rerun.h). */
#include "rerun.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "text/escape.h"
#include "text/text_acts.h"

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

/* What the console would escape (text_acts.h), or a byte of no character. */
static int escaped(int32_t cp)
{
    return cp == TEXT_WALK_BYTE || text_acts((uint32_t)cp);
}

static void find_escaped(void *ctx, const unsigned char *p, size_t len, int32_t cp)
{
    (void)p, (void)len;
    *(int *)ctx |= escaped(cp);
}

/* The bytes of s that cannot stand as they are between single quotes and
 * still read back the same, pasted from the console: control characters
 * (the console escapes them, so what is shown would not be what is
 * pasted), and ill-formed UTF-8 for the same reason. Returns 1 when s has
 * one. */
static int needs_ansi_c(const char *s)
{
    int found = 0;

    text_walk(s, strlen(s), find_escaped, &found);
    return found;
}

/* One character of put_ansi_c(): each byte of what is escaped as \xNN. */
static void ansi_c_char(void *ctx, const unsigned char *p, size_t len, int32_t cp)
{
    struct cmd *c = ctx;
    char esc[TEXT_ESCAPE_MAX];

    if (escaped(cp)) {
        for (size_t k = 0; k < len; k++) {
            cmd_put(c, esc, text_escape_byte(esc, p[k], TEXT_HEX_LOWER));
        }
    } else if (cp == '\'' || cp == '\\') {
        esc[0] = '\\';
        esc[1] = (char)cp;
        cmd_put(c, esc, 2);
    } else {
        cmd_put(c, (const char *)p, len);
    }
}

/* s as bash's $'...' (POSIX.1-2024 dollar-single-quotes): what the console
 * would escape is written as \xNN bytes, a quote and a backslash escaped. */
static int put_ansi_c(struct cmd *c, const char *s)
{
    cmd_put(c, "$'", 2);
    text_walk(s, strlen(s), ansi_c_char, c);
    return cmd_put(c, "'", 1);
}

/* Appends s quoted for the shell: as it is when plain, '...' (with ' as
 * '\'') when it has nothing the console would escape, else $'...'. */
static int quote(struct cmd *c, const char *s)
{
    if (plain(s)) {
        return cmd_put(c, s, strlen(s));
    }
    if (needs_ansi_c(s)) {
        return put_ansi_c(c, s);
    }
    cmd_put(c, "'", 1);
    for (; *s; s++) {
        if (*s == '\'') {
            cmd_put(c, "'\\''", 4);
        } else {
            cmd_put(c, s, 1);
        }
    }
    return cmd_put(c, "'", 1);
}

int rerun_shell_quote(const char *s, char *out, size_t cap)
{
    return cmd_quote_into(quote, s, out, cap);
}

/* NAME=value words for the environment the commands depend on. */
static int environment(struct cmd *c)
{
    static const char *const names[] = {"WINEPREFIX", "SYNCHOST_WINE", "SYNCHOST_WORKER64"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v != NULL && *v != '\0') {
            cmd_put(c, names[i], strlen(names[i]));
            cmd_put(c, "=", 1);
            quote(c, v);
            cmd_put(c, " ", 1);
        }
    }
    return c->err;
}

static const char *absolute(const char *path, char *buf)
{
    return realpath(path, buf) != NULL ? buf : path;
}

static int synchost_command(const struct scenario_result *res, const struct runner_options *o,
                            const char *provider, struct cmd *c)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

    environment(c);
    self[n > 0 ? n : 0] = '\0';
    quote(c, n > 0 ? self : "synchost");
    return cmd_synchost_args(c, res, o, provider, absolute);
}

/* "mkdir -p DIR && ln -sf FOLDER/(every file) DIR/ && ln -sf PROVIDER DIR/LINK && ":
 * the provider under a name Windows can take, in a folder of the current
 * one that lasts (the run's private one is removed when it ends), beside
 * links to everything in its folder, so that its imports load as they did.
 * ln -f: a second paste replaces the first's links. */
static int link_prefix(struct cmd *c, const char *provider, const char *link_name)
{
    char abs[PATH_MAX];
    const char *path = absolute(provider, abs);
    const char *slash = strrchr(path, '/');
    char *dir = strndup(path, slash != NULL && slash != path ? (size_t)(slash - path) : 1);

    if (dir == NULL) {
        return c->err = -1;
    }
    cmd_put_str(c, "mkdir -p " RERUN_LINK_DIR " && ln -sf ");
    quote(c, strcmp(dir, "/") == 0 ? "" : dir);
    cmd_put_str(c, "/* " RERUN_LINK_DIR "/ && ln -sf ");
    quote(c, path);
    cmd_put_str(c, " " RERUN_LINK_DIR "/");
    quote(c, link_name);
    free(dir);
    return cmd_put_str(c, " && ");
}

/* "winedbg", started by the program that starts the worker (winenv.h):
 * Wine's 64-bit loader where it is installed. The "winedbg" launcher runs
 * it through the "wine" launcher, which once wine32 is installed starts the
 * 32-bit winedbg, not the debugger of a 64-bit worker. */
static int debugger(struct cmd *c, const char *wine)
{
    if (wine != NULL && strcmp(wine, "wine") != 0) {
        quote(c, wine);
        cmd_put_str(c, " ");
    }
    return cmd_put_str(c, "winedbg");
}

/* The worker by hand reads its scripts from a file: the command writes the
 * scenario's one script line there, then starts the worker on it. */
static int winedbg_command(char *const *argv, const char *script, const char *provider,
                           const char *link_name, const char *wine, struct cmd *c)
{
    size_t len = strlen(script);
    char *line;

    if (link_name != NULL) {
        link_prefix(c, provider, link_name);
    }
    cmd_put_str(c, "printf '%s\\n' ");
    while (len > 0 && script[len - 1] == '\n') {
        len--;
    }
    if ((line = strndup(script, len)) == NULL) {
        return c->err = -1;
    }
    quote(c, line);
    free(line);
    cmd_put_str(c, " > synchost-rerun.script && ");
    environment(c);
    debugger(c, wine);
    return cmd_worker_args(c, argv, absolute);
}

void rerun_fill(struct scenario_result *res, const struct runner_options *o, const char *provider,
                char *const *worker_argv, const char *script, const char *link_name)
{
    struct cmd synchost = {.quote = quote}, winedbg = {.quote = quote};
    /* An x86 DLL's worker is 32-bit, and so is its debugger. */
    const char *wine =
        res->machine != NULL && strcmp(res->machine, "x86") == 0 ? o->wine32 : o->wine;

    free(res->rerun_synchost);
    free(res->rerun_winedbg);
    /* Each command's buffer becomes the result's string, or is freed. */
    res->rerun_synchost = cmd_take(&synchost, synchost_command(res, o, provider, &synchost));
    res->rerun_winedbg = cmd_take(
        &winedbg, winedbg_command(worker_argv, script, provider, link_name, wine, &winedbg));
}
