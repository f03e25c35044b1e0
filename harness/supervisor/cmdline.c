/* cmdline.c: a command line being written (see cmdline.h). */
#include "cmdline.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

int cmd_put(struct cmd *c, const char *s, size_t n)
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

int cmd_put_str(struct cmd *c, const char *s)
{
    return cmd_put(c, s, strlen(s));
}

int cmd_word(struct cmd *c, const char *s)
{
    cmd_put(c, " ", 1);
    return c->quote(c, s);
}

int cmd_quote_into(cmd_quote_fn quote, const char *s, char *out, size_t cap)
{
    struct cmd c = {.quote = quote};
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

char *cmd_take(struct cmd *c, int rc)
{
    if (rc == 0 && c->err == 0) {
        return c->p;
    }
    free(c->p);
    c->p = NULL;
    return NULL;
}

/* " ^name$" with every ERE special character escaped, quoted. */
static int name_regex(struct cmd *c, const char *name)
{
    struct cmd re = {.quote = c->quote};

    cmd_put(&re, "^", 1);
    for (; *name; name++) {
        if (strchr(".[]()*+?{}|^$\\", *name) != NULL) {
            cmd_put(&re, "\\", 1);
        }
        cmd_put(&re, name, 1);
    }
    if (cmd_put(&re, "$", 1) == 0) {
        cmd_word(c, re.p);
    } else {
        c->err = -1;
    }
    free(re.p);
    return c->err;
}

int cmd_synchost_args(struct cmd *c, const struct scenario_result *res,
                      const struct runner_options *o, const char *provider, cmd_path_fn path)
{
    const struct scenario *sc = res->sc;
    char abs[PATH_MAX], num[32];

    if (sc->file != NULL && strcmp(sc->file, "<probe>") == 0) {
        cmd_word(c, "probe");
        return cmd_word(c, path(provider, abs));
    }
    cmd_word(c, "trace");
    cmd_word(c, "--provider");
    cmd_word(c, path(provider, abs));
    if (o->judge.level != RULE_RECOMMENDED) {
        cmd_word(c, "--level");
        cmd_word(c, rule_level_name(o->judge.level));
    }
    for (size_t i = 0; i < o->judge.skip_count; i++) {
        cmd_word(c, "--skip-rule");
        cmd_word(c, o->judge.skip[i]);
    }
    if (o->timeout_ms != 0) {
        snprintf(num, sizeof num, "%u", o->timeout_ms);
        cmd_word(c, "--timeout-ms");
        cmd_word(c, num);
    }
    /* The built-in suite is what `trace` runs when given no file. */
    if (sc->file != NULL && strncmp(sc->file, "<builtin>/", 10) != 0) {
        cmd_word(c, path(sc->file, abs));
    }
    cmd_word(c, "--filter");
    return name_regex(c, sc->name);
}

int cmd_worker_args(struct cmd *c, char *const *argv, cmd_path_fn path)
{
    char abs[PATH_MAX];

    for (size_t i = 0; argv[i] != NULL; i++) {
        if (strcmp(argv[i], "--key-stdin") != 0) {
            cmd_word(c, i == 0 ? path(argv[i], abs) : argv[i]);
        }
    }
    return cmd_word(c, "synchost-rerun.script");
}
