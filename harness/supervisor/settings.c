/*
 * settings.c: synchost.yaml found and applied (settings.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "settings.h"

#define CONFIG_NAME "synchost.yaml"

static struct config cfg;
static int loaded;
static size_t cfg_skip_count; /* c->skip[0..cfg_skip_count) are the file's */
static struct rule_skip *skips;
static char (*sources)[PATH_MAX + 32];

/* The first synchost.yaml in the working directory or a parent, into out. */
static int find_upwards(char *out, size_t cap)
{
    char dir[PATH_MAX];
    struct stat st;

    if (getcwd(dir, sizeof dir) == NULL) {
        return 0;
    }
    for (;;) {
        char *slash;
        if ((size_t)snprintf(out, cap, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, CONFIG_NAME) <
                cap &&
            stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
            return 1;
        }
        if (strcmp(dir, "/") == 0 || (slash = strrchr(dir, '/')) == NULL) {
            return 0;
        }
        slash[slash == dir ? 1 : 0] = '\0';
    }
}

/* Which file: --config, $SYNCHOST_CONFIG, the search; NULL for none. */
static const char *which_file(int argc, char **argv, char *found, size_t cap)
{
    const char *path = NULL;
    const char *env = getenv("SYNCHOST_CONFIG");

    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "--version") == 0 ||
            strcmp(argv[i], "--no-config") == 0) {
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
    if (path == NULL && find_upwards(found, cap)) {
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

static int apply_option(struct cli *c, const struct config_option *o)
{
    int takes = cli_option_takes_value(o->name);
    const char *value = o->value;
    char where[PATH_MAX + 96];

    if (takes < 0 || forbidden(o->name)) {
        fprintf(stderr, "synchost: %s:%u:%u: options: '%s' is %s\n", cfg.path, o->line, o->col,
                o->name,
                takes < 0 ? "no option of synchost (synchost --help lists them)"
                : strcmp(o->name, "skip-rule") == 0
                    ? "given under skip:, with a reason, in a configuration file"
                    : "not an option a configuration file sets");
        return EXIT_BAD_INPUT;
    }
    if (strcmp(o->name, "shard") == 0 && shard_in_env()) {
        return 0;
    }
    if (!takes) {
        int yes = o->plain && strcmp(o->value, "true") == 0;
        if (!o->plain || (!yes && strcmp(o->value, "false") != 0)) {
            fprintf(stderr, "synchost: %s:%u:%u: options.%s: a flag: true or false, not '%s'\n",
                    cfg.path, o->value_line, o->value_col, o->name, o->value);
            return EXIT_BAD_INPUT;
        }
        return cli_apply_option(c, o->name, NULL, yes, NULL);
    }
    snprintf(where, sizeof where, "%s:%u:%u: options.%s", cfg.path, o->value_line, o->value_col,
             o->name);
    return cli_apply_option(c, o->name, value, 1, where);
}

int settings_load(int argc, char **argv, struct cli *c)
{
    char found[PATH_MAX], err[1200];
    const char *path = which_file(argc, argv, found, sizeof found);
    const char **grown;
    int rc;

    if (path == NULL) {
        return 0;
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

const char *settings_path(void)
{
    return loaded ? cfg.path : NULL;
}

void settings_free(void)
{
    config_free(&cfg);
    free(skips);
    free(sources);
    skips = NULL;
    sources = NULL;
    loaded = 0;
    cfg_skip_count = 0;
}
