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

#include "cmdline.h"

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
        return cmd_put_str(c, s);
    }
    cmd_put(c, "\"", 1);
    for (;;) {
        size_t slashes = 0;
        while (s[slashes] == '\\') {
            slashes++;
        }
        if (s[slashes] == '\0') {
            /* Doubled before the closing quote, which they would escape. */
            for (size_t i = 0; i < 2 * slashes; i++) {
                cmd_put(c, "\\", 1);
            }
            break;
        }
        if (s[slashes] == '"') {
            for (size_t i = 0; i < 2 * slashes + 1; i++) {
                cmd_put(c, "\\", 1);
            }
            cmd_put(c, "\"", 1);
        } else {
            cmd_put(c, s, slashes + 1);
        }
        s += slashes + 1;
    }
    return cmd_put(c, "\"", 1);
}

int rerun_shell_quote(const char *s, char *out, size_t cap)
{
    return cmd_quote_into(quote, s, out, cap);
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
        cmd_put_str(c, "set \"SYNCHOST_WORKER64=");
        cmd_put_str(c, v);
        cmd_put_str(c, "\" && ");
    }
    return c->err;
}

static int synchost_command(const struct scenario_result *res, const struct runner_options *o,
                            const char *provider, struct cmd *c)
{
    char self[PATH_MAX], abs[PATH_MAX];
    size_t n = sizeof self;

    environment(c);
    quote(c, uv_exepath(self, &n) == 0 ? windows_path(self, abs) : "synchost.exe");
    return cmd_synchost_args(c, res, o, provider, windows_path);
}

/* `>synchost-rerun.script echo LINE&& DEBUGGER worker ARGS synchost-rerun.script`:
 * the worker by hand reads its scripts from a file. The redirection comes
 * first and "&&" follows the line with no space: echo would write a space
 * there, or take a last digit for a handle's number ("1>"). */
static int debugger_command(char *const *argv, const char *script, const char *debugger,
                            struct cmd *c)
{
    size_t len = strlen(script);

    while (len > 0 && script[len - 1] == '\n') {
        len--;
    }
    cmd_put_str(c, ">synchost-rerun.script echo ");
    for (size_t i = 0; i < len; i++) {
        if (strchr("&|<>^%()!", script[i]) != NULL) {
            cmd_put(c, "^", 1);
        }
        cmd_put(c, script + i, 1);
    }
    cmd_put_str(c, "&& ");
    environment(c);
    cmd_put_str(c, debugger);
    return cmd_worker_args(c, argv, windows_path);
}

/* The provider is loaded by its own path on Windows: link_name, for names
 * Wine's Unix side cannot hand over, plays no part here. */
void rerun_fill(struct scenario_result *res, const struct runner_options *o, const char *provider,
                char *const *worker_argv, const char *script, const char *link_name)
{
    struct cmd synchost = {.quote = quote}, devenv = {.quote = quote}, windbg = {.quote = quote};

    (void)link_name;
    free(res->rerun_synchost);
    free(res->rerun_winedbg);
    free(res->rerun_windbg);
    res->rerun_synchost = cmd_take(&synchost, synchost_command(res, o, provider, &synchost));
    /* Visual Studio stops at the first chance of an access violation in
     * the provider's code; WinDbg, told to go (-g), stops there too. */
    res->rerun_winedbg =
        cmd_take(&devenv, debugger_command(worker_argv, script, "devenv /debugexe", &devenv));
    res->rerun_windbg = cmd_take(&windbg, debugger_command(worker_argv, script, "windbg -g", &windbg));
}
