/*
 * settings.c: synchost.yaml found and applied (settings.h).
 */
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config/config.h"
#include "platform.h"
#include "settings.h"
#include "yaml/yamldoc.h"

#define CONFIG_NAME "synchost.yaml"

static struct config cfg;
static int loaded;
static int no_config; /* --no-config was given */
static size_t cfg_skip_count; /* c->skip[0..cfg_skip_count) are the file's */
static struct rule_skip *skips;
static char (*sources)[PATH_MAX + 32];

/* Does dir hold name (a file or folder, as git's ".git" may be either)? */
static int holds(const char *dir, const char *name)
{
    char path[PATH_MAX + 16];
    struct stat st;

    return (size_t)snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir,
                            name) < sizeof path &&
           lstat(path, &st) == 0;
}

/* dir's parent, in place; 0 at the root. */
static int go_up(char *dir)
{
    char *slash = strrchr(dir, '/');

    if (strcmp(dir, "/") == 0 || slash == NULL) {
        return 0;
    }
    slash[slash == dir ? 1 : 0] = '\0';
    return 1;
}

/* The highest folder the search may look in, above or at cwd: the
 * repository root (the first folder holding .git), else $HOME when cwd is
 * inside it, else cwd itself: a file above these is someone else's. */
static void search_ceiling(const char *cwd, char *ceiling, size_t cap)
{
    char home[PATH_MAX], dir[PATH_MAX];
    const char *h = getenv("HOME");
    size_t hn = 0;

    if (h != NULL && *h != '\0' && realpath(h, home) != NULL) {
        hn = strlen(home);
        if (!(strncmp(cwd, home, hn) == 0 && (cwd[hn] == '\0' || cwd[hn] == '/' || hn == 1))) {
            hn = 0; /* cwd is not inside $HOME */
        }
    }
    snprintf(dir, sizeof dir, "%s", cwd);
    do {
        if (holds(dir, ".git") || (hn > 0 && strcmp(dir, home) == 0)) {
            snprintf(ceiling, cap, "%s", dir);
            return;
        }
    } while (go_up(dir));
    snprintf(ceiling, cap, "%s", cwd);
}

/* The first synchost.yaml in the working directory or a parent up to the
 * search's ceiling, into out. */
static int find_upwards(char *out, size_t cap)
{
    char dir[PATH_MAX], ceiling[PATH_MAX];
    struct stat st;

    if (getcwd(dir, sizeof dir) == NULL) {
        return 0;
    }
    search_ceiling(dir, ceiling, sizeof ceiling);
    do {
        if ((size_t)snprintf(out, cap, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, CONFIG_NAME) <
                cap &&
            stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
            return 1;
        }
    } while (strcmp(dir, ceiling) != 0 && go_up(dir));
    return 0;
}

/* Is gid a group of this user's alone, as Debian's user private groups
 * are (umask 002 then makes every new file group-writable): named after
 * the user, listing no other member, and no other user's primary group
 * (that last is not looked up: a group named after the user is taken as
 * the user's). */
static int private_group(gid_t gid)
{
    const struct passwd *pw = getpwuid(geteuid());
    const struct group *gr = getgrgid(gid);

    if (pw == NULL || gr == NULL || strcmp(gr->gr_name, pw->pw_name) != 0) {
        return 0;
    }
    for (char **m = gr->gr_mem; m != NULL && *m != NULL; m++) {
        if (strcmp(*m, pw->pw_name) != 0) {
            return 0;
        }
    }
    return 1;
}

/* Why a file others could have written is not to be trusted, or NULL:
 * owned by neither this user nor root, writable by its group or others, or
 * in a folder others may write without the sticky bit (who may replace it). */
static const char *distrust(const char *path, const struct stat *st)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    struct stat ds;

    if (st->st_uid != geteuid() && st->st_uid != 0) {
        return "it is owned by someone else";
    }
    if (st->st_mode & S_IWOTH) {
        return "others may write it";
    }
    if ((st->st_mode & S_IWGRP) && !private_group(st->st_gid)) {
        return "its group may write it, and others are in that group";
    }
    snprintf(dir, sizeof dir, "%.*s", slash == NULL ? 1 : slash == path ? 1 : (int)(slash - path),
             slash == NULL ? "." : path);
    if (stat(dir, &ds) == 0 && (ds.st_mode & S_IWOTH) && !(ds.st_mode & S_ISVTX)) {
        return "others may write its folder (and it has no sticky bit)";
    }
    return NULL;
}

/* A found file others could have written is refused, as git refuses a
 * repository of dubious ownership: it could select nothing, move the
 * reports or name another provider. One named by --config or
 * $SYNCHOST_CONFIG is the user's choice: said, and used. */
static int check_trust(const char *path, int named)
{
    struct stat st;
    const struct passwd *pw;
    const char *why;

    if (stat(path, &st) != 0 || (why = distrust(path, &st)) == NULL) {
        return 0; /* config_load_file says why it cannot be read */
    }
    pw = getpwuid(st.st_uid);
    fprintf(stderr, "synchost: %s%s: dubious ownership: %s (owner %s, uid %lu; mode %04o)",
            named ? "warning: " : "", path, why, pw != NULL ? pw->pw_name : "?",
            (unsigned long)st.st_uid, (unsigned)(st.st_mode & 07777));
    if (named) {
        fputs("; used since it is named explicitly\n", stderr);
        return 0;
    }
    fprintf(stderr,
            "; not applied. Make it yours and writable by you only (chown, chmod go-w), "
            "name it with --config %s to use it anyway, or pass --no-config\n",
            path);
    return EXIT_BAD_INPUT;
}

/* Which file: --config, $SYNCHOST_CONFIG, the search; NULL for none.
 * *named: given by name rather than found. */
static const char *which_file(int argc, char **argv, char *found, size_t cap, int *named)
{
    const char *path = NULL;
    const char *env = getenv("SYNCHOST_CONFIG");

    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "--version") == 0 ||
            strcmp(argv[i], "--no-config") == 0) {
            no_config = strcmp(argv[i], "--no-config") == 0;
            return NULL;
        }
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            path = argv[i] + 9;
        }
    }
    if (path == NULL && env != NULL && *env != '\0') {
        path = env;
    }
    *named = path != NULL;
    if (path == NULL && find_upwards(found, cap)) {
        platform_path_for_display(found);
        path = found;
    }
    return path;
}

/* Options that are not defaults: where the file is, what to print. */
static int forbidden(const char *name)
{
    static const char *const names[] = {"config", "no-config", "help", "version", "skip-rule"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The CI's shard variables win over the file's shard (environment above
 * the file). */
static int shard_in_env(void)
{
    return (getenv("TEST_SHARD_INDEX") != NULL && getenv("TEST_TOTAL_SHARDS") != NULL) ||
           (getenv("CI_NODE_INDEX") != NULL && getenv("CI_NODE_TOTAL") != NULL);
}

/* A file's text in a message: escaped and cut (yamldoc_quote). */
static const char *quoted(const char *s, char *buf, size_t cap)
{
    return yamldoc_quote((const unsigned char *)s, strlen(s), buf, cap);
}

static int apply_option(struct cli *c, const struct config_option *o)
{
    int takes = cli_option_takes_value(o->name);
    char where[PATH_MAX + YAMLDOC_QUOTE_BUF + 32], name[YAMLDOC_QUOTE_BUF];
    char value[YAMLDOC_QUOTE_BUF], hint[96] = "";

    quoted(o->name, name, sizeof name);
    if (takes < 0 || forbidden(o->name)) {
        const char *guess = takes < 0 ? cli_option_nearest(o->name) : NULL;
        if (guess != NULL) {
            snprintf(hint, sizeof hint, "; did you mean '%s'?", guess);
        }
        fprintf(stderr, "synchost: %s:%u:%u: options: '%s' is %s%s\n", cfg.path, o->line, o->col,
                name,
                takes < 0 ? "no option of synchost (synchost --help lists them)"
                : strcmp(o->name, "skip-rule") == 0
                    ? "given under skip:, with a reason, in a configuration file"
                    : "not an option a configuration file sets",
                hint);
        return EXIT_BAD_INPUT;
    }
    if (strcmp(o->name, "shard") == 0 && shard_in_env()) {
        return 0;
    }
    if (!takes) {
        int yes = o->plain && strcmp(o->value, "true") == 0;
        if (!o->plain || (!yes && strcmp(o->value, "false") != 0)) {
            fprintf(stderr, "synchost: %s:%u:%u: options.%s: a flag: true or false, not '%s'\n",
                    cfg.path, o->value_line, o->value_col, name,
                    quoted(o->value, value, sizeof value));
            return EXIT_BAD_INPUT;
        }
        return cli_apply_option(c, o->name, NULL, yes, NULL);
    }
    snprintf(where, sizeof where, "%s:%u:%u: options.%s", cfg.path, o->value_line, o->value_col,
             name);
    return cli_apply_option(c, o->name, o->value, 1, where);
}

int settings_load(int argc, char **argv, struct cli *c)
{
    char found[PATH_MAX], err[1200];
    int named = 0, rc;
    const char *path = which_file(argc, argv, found, sizeof found, &named);
    const char **grown;

    if (path == NULL) {
        return 0;
    }
    if ((rc = check_trust(path, named)) != 0) {
        return rc;
    }
    if (config_load_file(path, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "synchost: %s\n", err);
        config_free(&cfg);
        return EXIT_BAD_INPUT;
    }
    loaded = 1;
    for (size_t i = 0; i < cfg.option_count; i++) {
        if ((rc = apply_option(c, &cfg.options[i])) != 0) {
            return rc;
        }
    }
    grown = realloc(c->skip, ((size_t)argc + cfg.skip_count) * sizeof *grown);
    if (grown == NULL) {
        return EXIT_HARNESS;
    }
    c->skip = grown;
    for (size_t i = 0; i < cfg.skip_count; i++) {
        c->skip[c->skip_count++] = cfg.skips[i].rule;
    }
    cfg_skip_count = cfg.skip_count;
    return 0;
}

void settings_apply_scenarios(struct scenario_list *list)
{
    if (!loaded) {
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        struct scenario *sc = &list->items[i];
        struct config_deadlines *d = config_find_scenario(&cfg, sc->name);
        if (d == NULL) {
            continue;
        }
        d->matched = 1;
        sc->timeout_ms = d->timeout_ms ? d->timeout_ms : sc->timeout_ms;
        sc->load_timeout_ms = d->load_timeout_ms ? d->load_timeout_ms : sc->load_timeout_ms;
        sc->shutdown_timeout_ms =
            d->shutdown_timeout_ms ? d->shutdown_timeout_ms : sc->shutdown_timeout_ms;
    }
    for (size_t i = 0; i < cfg.scenario_count; i++) {
        if (!cfg.scenarios[i].matched) {
            fprintf(stderr,
                    "synchost: %s:%u:%u: warning: no scenario named '%s' is loaded; its "
                    "deadlines apply to none\n",
                    cfg.path, cfg.scenarios[i].line, cfg.scenarios[i].col,
                    cfg.scenarios[i].scenario);
        }
    }
}

int settings_rule_skips(const struct cli *c, const struct rule_skip **out, size_t *count)
{
    size_t n = c->skip_count;

    free(skips);
    free(sources);
    skips = calloc(n + 1, sizeof *skips);
    sources = calloc(n + 1, sizeof *sources);
    if (skips == NULL || sources == NULL) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        skips[i].rule = c->skip[i];
        if (i < cfg_skip_count) {
            snprintf(sources[i], sizeof sources[i], "%s:%u:%u", cfg.path, cfg.skips[i].line,
                     cfg.skips[i].col);
            skips[i].reason = cfg.skips[i].reason;
        } else {
            snprintf(sources[i], sizeof sources[i], "--skip-rule");
            skips[i].reason = "--skip-rule on the command line (no reason given)";
        }
        skips[i].source = sources[i];
    }
    *out = skips;
    *count = n;
    return 0;
}

int settings_owns(const char *s)
{
    for (size_t i = 0; loaded && s != NULL && i < cfg.option_count; i++) {
        if (s == cfg.options[i].value) {
            return 1;
        }
    }
    return 0;
}

const char *settings_describe(void)
{
    return loaded ? cfg.path : no_config ? "none (--no-config)" : "none";
}

const char *settings_where(const char *s)
{
    static char where[PATH_MAX + 32];

    for (size_t i = 0; loaded && s != NULL && i < cfg.option_count; i++) {
        if (s == cfg.options[i].value) {
            snprintf(where, sizeof where, "%s:%u:%u", cfg.path, cfg.options[i].value_line,
                     cfg.options[i].value_col);
            return where;
        }
    }
    return NULL;
}

void settings_free(void)
{
    config_free(&cfg);
    free(skips);
    free(sources);
    skips = NULL;
    sources = NULL;
    loaded = 0;
    no_config = 0;
    cfg_skip_count = 0;
}
