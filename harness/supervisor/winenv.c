/*
 * winenv.c: the worker program and the Wine environment it runs in
 * (winenv.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <uv.h>

#include "cpuwait.h"
#include "winenv.h"
#include "winstart.h"

#ifndef SYNCHOST_WORKER_FROM_BIN
#define SYNCHOST_WORKER_FROM_BIN "../libexec/synchost"
#endif
/* The other architecture's build tree (meson's other_build), or "". */
#ifndef SYNCHOST_OTHER_WORKER_DIR
#define SYNCHOST_OTHER_WORKER_DIR ""
#endif

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A worker program (bits "64" or "32"): $SYNCHOST_WORKER<bits>, else
 * beside this program, else where the build tree puts it, else where
 * `meson install` puts it (SYNCHOST_WORKER_FROM_BIN: relative to this
 * program's folder, or absolute when the install layout cannot be moved),
 * else in the other architecture's build tree. */
static int find_worker(const char *bits, char *out, size_t cap)
{
    char var[32], self[PATH_MAX], rel[4][PATH_MAX];
    const char *env;
    size_t len = sizeof self;
    char *slash;

    snprintf(var, sizeof var, "SYNCHOST_WORKER%s", bits);
    env = getenv(var);
    snprintf(rel[0], sizeof rel[0], "synchost-worker%s.exe", bits);
    snprintf(rel[1], sizeof rel[1], "../worker/synchost-worker%s.exe", bits);
    snprintf(rel[2], sizeof rel[2], "%s/synchost-worker%s.exe", SYNCHOST_WORKER_FROM_BIN, bits);
    snprintf(rel[3], sizeof rel[3], "%s/synchost-worker%s.exe", SYNCHOST_OTHER_WORKER_DIR, bits);

    if (env != NULL && *env != '\0') {
        snprintf(out, cap, "%s", env);
        return file_exists(out) ? 0 : -1;
    }
    if (uv_exepath(self, &len) != 0 || (slash = strrchr(self, '/')) == NULL) {
        return -1;
    }
    *slash = '\0';
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        const char *dir = rel[i][0] == '/' ? "" : self;
        if ((size_t)snprintf(out, cap, "%s%s%s", dir, *dir ? "/" : "", rel[i]) < cap &&
            file_exists(out)) {
            return 0;
        }
    }
    return -1;
}

int winenv_find_worker(char *out, size_t cap)
{
    return find_worker("64", out, cap);
}

int winenv_find_worker32(char *out, size_t cap)
{
    return find_worker("32", out, cap);
}

/* Workers run in synchost's own Wine prefix (the one scripts/bootstrap
 * prepares, with Wine's crash debugger off) unless WINEPREFIX says otherwise,
 * and with Wine's own diagnostics off unless WINEDEBUG asks for them. */
void winenv_defaults(void)
{
    const char *home = getenv("HOME");
    const char *data = getenv("XDG_DATA_HOME");
    char prefix[PATH_MAX];

    if (data != NULL && *data != '\0') {
        snprintf(prefix, sizeof prefix, "%s/synchost/wine", data);
    } else {
        snprintf(prefix, sizeof prefix, "%s/.local/share/synchost/wine", home != NULL ? home : "");
    }
    /* The scripts set WINEPREFIX to synchost's own prefix too: only another
     * one is the user's. */
    winstart_prefix_given(getenv("WINEPREFIX") != NULL && strcmp(getenv("WINEPREFIX"), prefix) != 0);
    setenv("WINEPREFIX", prefix, 0);
    setenv("WINEDEBUG", "-all", 0);
    setenv("WINEDLLOVERRIDES", "mscoree,mshtml=", 0);
}

/* Where Debian's wine64 package puts Wine's 64-bit loader. */
#define WINE64_LOADER "/usr/lib/wine/wine64"

const char *winenv_loader64(void)
{
    const char *chosen = getenv("SYNCHOST_WINE");

    if (chosen != NULL && *chosen != '\0') {
        return chosen;
    }
    if (access(WINE64_LOADER, X_OK) == 0) {
        setenv("WINELOADER", WINE64_LOADER, 0);
        return WINE64_LOADER;
    }
    return "wine";
}

/* Where Debian's wine32 package puts Wine's 32-bit loader. */
#define WINE32_LOADER "/usr/lib/wine/wine"

const char *winenv_loader32(void)
{
    const char *chosen = getenv("SYNCHOST_WINE32");

    if (chosen != NULL && *chosen != '\0') {
        return chosen;
    }
    return access(WINE32_LOADER, X_OK) == 0 ? WINE32_LOADER : "wine";
}

extern char **environ;

int winenv_loader_runs(const char *loader, char *why, size_t cap)
{
    /* Two loaders at most are asked about in a run. */
    static struct {
        char loader[PATH_MAX];
        int err;
    } known[2];
    static size_t n_known;
    char *argv[] = {(char *)loader, "--version", NULL};
    posix_spawn_file_actions_t fa;
    int err = 0;
    pid_t pid;

    if (loader == NULL) {
        return 1;
    }
    for (size_t i = 0; i < n_known; i++) {
        if (strcmp(known[i].loader, loader) == 0) {
            err = known[i].err;
            goto told;
        }
    }
    /* posix_spawnp, unlike execvp, never hands a program the kernel
     * refused to a shell: the refusal itself comes back. */
    if (posix_spawn_file_actions_init(&fa) == 0) {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        err = posix_spawnp(&pid, loader, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (err == 0) {
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
            }
        }
    }
    if (n_known < sizeof known / sizeof known[0] &&
        snprintf(known[n_known].loader, sizeof known[0].loader, "%s", loader) <
            (int)sizeof known[0].loader) {
        known[n_known++].err = err;
    }
told:
    if (err != ENOEXEC) {
        return 1; /* any other failure is the worker start's to report */
    }
    snprintf(why, cap, "%s: %s", loader, strerror(err));
    return 0;
}

/* The 32-bit C library's loader: a 32-bit program every machine with
 * Debian's libc6:i386 has, whatever Wine is installed. */
#define LD32 "/lib/ld-linux.so.2"

int winenv_runs32(const char *loader32, char *why, size_t cap)
{
    if (!winenv_loader_runs(loader32, why, cap)) {
        return 0;
    }
    return access(LD32, X_OK) != 0 || winenv_loader_runs(LD32, why, cap);
}

/* The starter's exit is taken (no process left a zombie), and its handle
 * closed. A server already running makes it exit at once. */
static void warm_server_exited(uv_process_t *proc, int64_t status, int signal)
{
    (void)status;
    (void)signal;
    uv_close((uv_handle_t *)proc, NULL);
}

/* Keeps one wineserver alive for the run so that each worker start costs
 * about 0.1 s instead of a server start (it ends itself 5 s after the last
 * worker). */
void winenv_warm_server(void)
{
    /* Static: the loop uses the handle until its close has run, long after
     * this function has returned. */
    static uv_process_t proc;
    uv_process_options_t po;
    uv_stdio_container_t stdio[3];
    char *args[] = {"wineserver", "-p5", NULL};

    memset(&po, 0, sizeof po);
    po.exit_cb = warm_server_exited;
    for (int i = 0; i < 3; i++) {
        stdio[i].flags = UV_IGNORE;
    }
    po.file = args[0];
    po.args = args;
    po.stdio = stdio;
    po.stdio_count = 3;
    if (uv_spawn(uv_default_loop(), &proc, &po) == 0) {
        uv_unref((uv_handle_t *)&proc); /* the run does not wait for it */
    }
}

const char *winenv_server_dir(void)
{
    static char name[64];
    static int done;

    if (!done) {
        cpuwait_server_dir(getenv("WINEPREFIX"), name, sizeof name);
        done = 1;
    }
    return name;
}

void winenv_wine_path(const char *unix_path, char *out, size_t cap)
{
    char abs[PATH_MAX];

    winenv_wine_path_as_is(realpath(unix_path, abs) != NULL ? abs : unix_path, out, cap);
}

void winenv_wine_path_as_is(const char *p, char *out, size_t cap)
{
    size_t n;

    if (p[0] != '/') {
        snprintf(out, cap, "%s", p);
        return;
    }
    n = (size_t)snprintf(out, cap, "Z:%s", p);
    for (size_t i = 0; i < n && i < cap; i++) {
        if (out[i] == '/') {
            out[i] = '\\';
        }
    }
}

/* On Windows the worker opens the path as it is. */
void winenv_native_path(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
}
