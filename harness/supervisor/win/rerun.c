/*
 * win/rerun.c: the commands that rerun one scenario alone, on Windows
 * (rerun.h). Each is one line for cmd.exe (PowerShell takes it too, given
 * after `cmd /c`): synchost's own (`synchost trace`), and the worker by hand
 * in a debugger that stops at the provider's fault, Visual Studio's
 * (`devenv /debugexe`, into res->rerun_winedbg, the debugger line) and
 * WinDbg's (`windbg -g`, into res->rerun_windbg). Paths are written the
 * Windows way, with backslashes.
 *
 * Words are quoted as the C runtime splits a command line
 * (CommandLineToArgvW): in double quotes when they hold a space, a tab, a
 * quote or one of cmd's characters, a quote as \" and the backslashes
 * before it doubled. Inside quotes cmd gives no meaning to & | < > ^; the
 * script line, written with echo, has those escaped with ^ instead. (A '%'
 * in a path would still be expanded by cmd: none of synchost's own names
 * has one.)
 */
#include "rerun.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

/* A command being written, grown as needed; err set once memory runs out,
 * after which every append does nothing. */
struct cmd {
    char *p;
    size_t len, cap;
    int err;
};

static int put(struct cmd *c, const char *s, size_t n)
{
    if (c->err == 0 && c->len + n + 1 > c->cap) {
        size_t cap = c->cap > 0 ? c->cap : 256;
        char *p;

        while (cap < c->len + n + 1) {
            cap *= 2;
        }
        if ((p = realloc(c->p, cap)) == NULL) {
            c->err = -1;
        } else {
            c->p = p;
            c->cap = cap;
        }
    }
    if (c->err == 0) {
        memcpy(c->p + c->len, s, n);
        c->len += n;
        c->p[c->len] = '\0';
    }
    return c->err;
}

static int put_str(struct cmd *c, const char *s)
{
    return put(c, s, strlen(s));
}

static int plain(const char *s)
{
    if (*s == '\0') {
        return 0;
    }
    return strpbrk(s, " \t\"&|<>^%()!,;=") == NULL;
}

/* s as one argument (CommandLineToArgvW's rules), quoted only if need be. */
static int quote(struct cmd *c, const char *s)
{
    if (plain(s)) {
        return put_str(c, s);
    }
    put(c, "\"", 1);
    for (;;) {
        size_t slashes = 0;
        while (s[slashes] == '\\') {
            slashes++;
        }
        if (s[slashes] == '\0') {
            /* Doubled before the closing quote, which they would escape. */
            for (size_t i = 0; i < 2 * slashes; i++) {
                put(c, "\\", 1);
            }
            break;
        }
        if (s[slashes] == '"') {
            for (size_t i = 0; i < 2 * slashes + 1; i++) {
                put(c, "\\", 1);
            }
            put(c, "\"", 1);
        } else {
            put(c, s, slashes + 1);
        }
        s += slashes + 1;
    }
    return put(c, "\"", 1);
}

int rerun_shell_quote(const char *s, char *out, size_t cap)
{
    struct cmd c = {0};
    size_t len = strlen(out);
    int rc = quote(&c, s);

    if (rc == 0 && len + c.len + 1 > cap) {
        rc = -1;
    }
    if (rc == 0) {
        memcpy(out + len, c.p, c.len + 1);
    }
    free(c.p);
    return rc;
}

static int word(struct cmd *c, const char *w)
{
    put(c, " ", 1);
    return quote(c, w);
}

/* path made absolute, with backslashes, into buf (PATH_MAX bytes). */
static const char *windows_path(const char *path, char *buf)
{
    if (_fullpath(buf, path, PATH_MAX) == NULL) {
        snprintf(buf, PATH_MAX, "%s", path);
    }
    for (char *p = buf; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\\';
        }
    }
    return buf;
}

/* `set "SYNCHOST_WORKER64=..." && ` when the worker was given by name. */
static int environment(struct cmd *c)
{
    const char *v = getenv("SYNCHOST_WORKER64");

    if (v != NULL && *v != '\0') {
        put_str(c, "set \"SYNCHOST_WORKER64=");
        put_str(c, v);
        put_str(c, "\" && ");
    }
    return c->err;
}

/* " ^name$" with every ERE special character escaped, quoted. */
static int name_regex(struct cmd *c, const char *name)
{
    struct cmd re = {0};

    put(&re, "^", 1);
    for (; *name; name++) {
        if (strchr(".[]()*+?{}|^$\\", *name) != NULL) {
            put(&re, "\\", 1);
        }
        put(&re, name, 1);
    }
    if (put(&re, "$", 1) == 0) {
        put(c, " \"", 2);
        put_str(c, re.p);
        put(c, "\"", 1);
    } else {
        c->err = -1;
    }
    free(re.p);
    return c->err;
}

static int synchost_command(const struct scenario_result *res, const struct runner_options *o,
                            const char *provider, struct cmd *c)
{
    const struct scenario *sc = res->sc;
    char self[PATH_MAX], abs[PATH_MAX], num[32];
    size_t n = sizeof self;

    environment(c);
    quote(c, uv_exepath(self, &n) == 0 ? windows_path(self, abs) : "synchost.exe");
    if (sc->file != NULL && strcmp(sc->file, "<probe>") == 0) {
        word(c, "probe");
        return word(c, windows_path(provider, abs));
    }
    word(c, "trace");
    word(c, "--provider");
    word(c, windows_path(provider, abs));
    if (o->judge.level != RULE_RECOMMENDED) {
        word(c, "--level");
        word(c, rule_level_name(o->judge.level));
    }
    for (size_t i = 0; i < o->judge.skip_count; i++) {
        word(c, "--skip-rule");
        word(c, o->judge.skip[i]);
    }
    if (o->timeout_ms != 0) {
        snprintf(num, sizeof num, "%u", o->timeout_ms);
        word(c, "--timeout-ms");
        word(c, num);
    }
    if (sc->file != NULL && strncmp(sc->file, "<builtin>/", 10) != 0) {
        word(c, windows_path(sc->file, abs));
    }
    word(c, "--filter");
    return name_regex(c, sc->name);
}

/* `>synchost-rerun.script echo LINE&& DEBUGGER worker ARGS synchost-rerun.script`:
 * the worker by hand reads its scripts from a file. The redirection comes
 * first and "&&" follows the line with no space: echo would write a space
 * there, or take a last digit for a handle's number ("1>"). */
static int debugger_command(char *const *argv, const char *script, const char *debugger,
                            struct cmd *c)
{
    char abs[PATH_MAX];
    size_t len = strlen(script);

    while (len > 0 && script[len - 1] == '\n') {
        len--;
    }
    put_str(c, ">synchost-rerun.script echo ");
    for (size_t i = 0; i < len; i++) {
        if (strchr("&|<>^%()!", script[i]) != NULL) {
            put(c, "^", 1);
        }
        put(c, script + i, 1);
    }
    put_str(c, "&& ");
    environment(c);
    put_str(c, debugger);
    for (size_t i = 0; argv[i] != NULL; i++) {
        if (strcmp(argv[i], "--key-stdin") != 0) {
            word(c, i == 0 ? windows_path(argv[i], abs) : argv[i]);
        }
    }
    return word(c, "synchost-rerun.script");
}

static char *take(struct cmd *c, int rc)
{
    if (rc == 0) {
        return c->p;
    }
    free(c->p);
    return NULL;
}

/* The provider is loaded by its own path on Windows: link_name, for names
 * Wine's Unix side cannot hand over, plays no part here. */
void rerun_fill(struct scenario_result *res, const struct runner_options *o, const char *provider,
                char *const *worker_argv, const char *script, const char *link_name)
{
    struct cmd synchost = {0}, devenv = {0}, windbg = {0};

    (void)link_name;
    free(res->rerun_synchost);
    free(res->rerun_winedbg);
    free(res->rerun_windbg);
    res->rerun_synchost = take(&synchost, synchost_command(res, o, provider, &synchost));
    /* Visual Studio stops at the first chance of an access violation in
     * the provider's code; WinDbg, told to go (-g), stops there too. */
    res->rerun_winedbg =
        take(&devenv, debugger_command(worker_argv, script, "devenv /debugexe", &devenv));
    res->rerun_windbg = take(&windbg, debugger_command(worker_argv, script, "windbg -g", &windbg));
}
