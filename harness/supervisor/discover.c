/*
 * discover.c: what a run runs: scenario files, folders and the built-in
 * suite loaded and checked, the provider checked, the selection
 * (discover.h).
 */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <uv.h>

#include "cli.h"
#include "console.h"
#include "discover.h"
#include "pe/pe.h"
#include "regress.h"
#include "report/result.h"
#include "rules/rules.h"
#include "scenario/scenario.h"
#include "settings.h"
#include "suite.h"
#include "winenv.h"
#include "yaml/yamldoc.h"

/* Loading scenarios -------------------------------------------------- */

static int has_yaml_suffix(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A PE file where a scenario was expected: the commonest slip is
 * `synchost run X.dll` without --provider. Says so and returns 1. */
static int refuse_pe(const char *path)
{
    struct pe_info pe;
    char why[256];
    FILE *fp = fopen(path, "rb");
    char mz[2] = {0, 0};

    if (fp == NULL) {
        return 0; /* scenario_load_file() says why */
    }
    if (fread(mz, 1, 2, fp) != 2 || mz[0] != 'M' || mz[1] != 'Z') {
        fclose(fp);
        return 0;
    }
    fclose(fp);
    (void)pe_read(path, &pe, why, sizeof why); /* is_dll, as far as it reads */
    if (pe.is_dll) {
        fprintf(stderr,
                "synchost: %s is a DLL, given where a scenario file was expected; did you mean "
                "`synchost run --provider %s SCENARIOS...` or `synchost conform %s`?\n",
                path, path, path);
    } else {
        fprintf(stderr,
                "synchost: %s is a Windows program (an MZ file), given where a scenario file "
                "(YAML) was expected\n",
                path);
    }
    return 1;
}

static int load_one(const char *path, struct scenario_list *list)
{
    struct scenario_error err;
    char msg[1200];

    if (refuse_pe(path)) {
        return EXIT_BAD_INPUT;
    }
    if (scenario_load_file(path, list, &err) != 0) {
        fprintf(stderr, "synchost: %s\n", scenario_error_format(&err, msg, sizeof msg));
        return EXIT_BAD_INPUT;
    }
    return 0;
}

/* A folder's *.yaml and *.yml files, in name order, recursively. */
static int load_dir(const char *dir, struct scenario_list *list)
{
    uv_fs_t req;
    uv_dirent_t ent;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (uv_fs_scandir(NULL, &req, dir, 0, NULL) < 0) {
        fprintf(stderr, "synchost: %s: cannot read the folder: %s\n", dir,
                uv_strerror((int)req.result));
        uv_fs_req_cleanup(&req);
        return EXIT_BAD_INPUT;
    }
    while (uv_fs_scandir_next(&req, &ent) != UV_EOF) {
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, ent.name) >= sizeof path) {
            continue;
        }
        if (ent.type != UV_DIRENT_DIR && !has_yaml_suffix(ent.name)) {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof *names);
            if (names == NULL) {
                uv_fs_req_cleanup(&req);
                return EXIT_HARNESS;
            }
        }
        names[n++] = strdup(path);
    }
    uv_fs_req_cleanup(&req);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (rc == 0) {
            if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
                rc = load_dir(names[i], list);
            } else {
                rc = load_one(names[i], list);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int discover_load_paths(char **paths, int count, struct scenario_list *list)
{
    for (int i = 0; i < count; i++) {
        struct stat st;
        int rc;
        if (stat(paths[i], &st) != 0) {
            fprintf(stderr, "synchost: %s: %s\n", paths[i], strerror(errno));
            return EXIT_BAD_INPUT;
        }
        rc = S_ISDIR(st.st_mode) ? load_dir(paths[i], list) : load_one(paths[i], list);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

int discover_load_builtin(struct scenario_list *list)
{
    for (size_t i = 0; i < suite_file_count; i++) {
        struct scenario_error err;
        char name[256], msg[1200];
        snprintf(name, sizeof name, "<builtin>/%s", suite_files[i].name);
        if (scenario_load_buffer(name, NULL, suite_files[i].text, suite_files[i].len, list, &err) !=
            0) {
            fprintf(stderr, "synchost: built-in suite: %s\n",
                    scenario_error_format(&err, msg, sizeof msg));
            return EXIT_HARNESS;
        }
    }
    return 0;
}

/* Rule ids named in scenarios must exist: a typo must not silently skip
 * nothing. Reported where the id is written. */
int discover_check_skip_rules(const struct scenario_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        const struct scenario *sc = &list->items[i];
        for (size_t k = 0; k < sc->skip_rule_count; k++) {
            if (rules_find(sc->skip_rules[k]) == NULL) {
                char q[YAMLDOC_QUOTE_BUF];
                const char *id = sc->skip_rules[k];
                fprintf(stderr,
                        "synchost: %s:%u:%u: rules.skip names no rule '%s' "
                        "(synchost list rules)\n",
                        sc->file, sc->skip_rule_marks[k].line, sc->skip_rule_marks[k].col,
                        yamldoc_quote((const unsigned char *)id, strlen(id), q, sizeof q));
                return EXIT_BAD_INPUT;
            }
        }
    }
    return 0;
}

/* Selection ---------------------------------------------------------- */

/* Names an option's value in a message: "--filter '^x$'", or "filter '^x$'
 * from FILE:LINE:COL" when the configuration file gives it. Escaped. */
static void say_value(const char *option, const char *value)
{
    const char *where = settings_where(value);

    fprintf(stderr, "%s '", where != NULL ? option + 2 : option);
    console_text(stderr, value);
    fputc('\'', stderr);
    if (where != NULL) {
        fprintf(stderr, " from %s", where);
    }
}

static int compile_regex(const char *what, const char *pattern, regex_t *re)
{
    char msg[256];
    int rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);

    if (rc != 0) {
        const char *where = settings_where(pattern);
        regerror(rc, re, msg, sizeof msg);
        if (where != NULL) {
            fprintf(stderr, "synchost: %s: options.%s '", where, what + 2);
        } else {
            fprintf(stderr, "synchost: %s '", what);
        }
        console_text(stderr, pattern);
        fprintf(stderr, "': %s\n", msg);
        return EXIT_BAD_INPUT;
    }
    return 0;
}

/* How many scenarios each step of the selection kept. */
struct kept {
    size_t loaded, filter, exclude, rerun, shard;
};

/* A selection that kept nothing. Nothing asked for by --filter, --exclude
 * (or the file's) or --rerun-failed is bad input: a gate that checks nothing
 * must not pass. An empty shard, or a rerun of a report without failures, is
 * what was asked: 0, with why in note for the verdict line. */
static int empty_selection(const struct cli *c, const struct regress *rg, const struct kept *k,
                           char *note, size_t cap)
{
    size_t failures = regress_rerun_failures(rg);

    if (k->loaded > 0 && c->filter != NULL && k->filter == 0) {
        fputs("synchost: no scenario selected: ", stderr);
        say_value("--filter", c->filter);
        fprintf(stderr, " matched none of the %zu scenario%s\n", k->loaded,
                k->loaded == 1 ? "" : "s");
    } else if (k->loaded > 0 && c->exclude != NULL && k->exclude == 0) {
        fputs("synchost: no scenario selected: ", stderr);
        say_value("--exclude", c->exclude);
        fprintf(stderr, " removed every one of the %zu scenario%s%s\n", k->filter,
                k->filter == 1 ? "" : "s", c->filter != NULL ? " the filter kept" : "");
    } else if (k->loaded > 0 && rg->rerun_path != NULL && failures == 0) {
        snprintf(note, cap, "nothing to rerun: the report has no failure");
        return 0;
    } else if (k->loaded > 0 && rg->rerun_path != NULL && k->rerun == 0) {
        fprintf(stderr,
                "synchost: no scenario selected: none of the %zu scenarios that did not pass "
                "in --rerun-failed ",
                failures);
        console_text(stderr, rg->rerun_path);
        fprintf(stderr, " is among the %zu scenarios selected\n", k->exclude);
    } else if (k->rerun > 0 && c->shard_total > 0) {
        snprintf(note, cap, "shard %u of %u is empty", c->shard_index + 1, c->shard_total);
        return 0;
    } else {
        fprintf(stderr, "synchost: no scenario selected: no scenario is loaded\n");
    }
    return EXIT_BAD_INPUT;
}

/* Filters, shards and repeats the loaded scenarios into results. */
int discover_select(const struct cli *c, const struct regress *rg, const struct scenario_list *list,
                    struct scenario_result **out, size_t *out_count, char *note, size_t cap)
{
    regex_t inc, exc;
    size_t n = 0;
    struct kept k = {list->count, 0, 0, 0, 0};
    struct scenario_result *res;

    if (c->filter != NULL && compile_regex("--filter", c->filter, &inc) != 0) {
        return EXIT_BAD_INPUT;
    }
    if (c->exclude != NULL && compile_regex("--exclude", c->exclude, &exc) != 0) {
        if (c->filter != NULL) {
            regfree(&inc);
        }
        return EXIT_BAD_INPUT;
    }
    res = calloc(list->count * c->repeat + 1, sizeof *res);
    for (size_t i = 0; res != NULL && i < list->count; i++) {
        const struct scenario *sc = &list->items[i];
        if (c->filter != NULL && regexec(&inc, sc->name, 0, NULL, 0) != 0) {
            continue;
        }
        k.filter++;
        if (c->exclude != NULL && regexec(&exc, sc->name, 0, NULL, 0) == 0) {
            continue;
        }
        k.exclude++;
        if (!regress_selects(rg, sc)) {
            continue;
        }
        if (c->shard_total > 0 && k.rerun++ % c->shard_total != c->shard_index) {
            continue;
        }
        k.rerun += c->shard_total == 0;
        k.shard++;
        for (unsigned r = 0; r < c->repeat; r++) {
            res[n].sc = sc;
            res[n].status = STATUS_INTERRUPTED;
            snprintf(res[n].note, sizeof res[n].note, "not run: interrupted");
            n++;
        }
    }
    if (c->filter != NULL) {
        regfree(&inc);
    }
    if (c->exclude != NULL) {
        regfree(&exc);
    }
    if (res == NULL) {
        return EXIT_HARNESS;
    }
    if (n == 0) {
        int rc = empty_selection(c, rg, &k, note, cap);
        if (rc != 0) {
            free(res);
            return rc;
        }
    }
    *out = res;
    *out_count = n;
    return 0;
}

/* The probe and the provider ---------------------------------------- */

/* probe's one scenario: the load chain, no sync, no settling. */
int discover_load_probe(struct scenario_list *list)
{
    static const char probe_yaml[] = "name: probe\n"
                                     "description: The load chain only.\n"
                                     "settle_ms: 1\n";
    struct scenario_error err;
    char msg[1200];

    if (scenario_load_buffer("<probe>", NULL, probe_yaml, sizeof probe_yaml - 1, list, &err) != 0) {
        fprintf(stderr, "synchost: %s\n", scenario_error_format(&err, msg, sizeof msg));
        return EXIT_HARNESS;
    }
    return 0;
}

/* The provider named on the command line must be a DLL we can host. */
int discover_check_provider(const char *path, struct pe_info *pe)
{
    char why[256];

    if (pe_read(path, pe, why, sizeof why) != 0) {
        fprintf(stderr, "synchost: %s: %s\n", path, why);
        return EXIT_BAD_INPUT;
    }
    if (!pe->is_dll) {
        fprintf(stderr,
                "synchost: %s: a PE file but not a DLL (an .exe?); "
                "give the provider DLL\n",
                path);
        return EXIT_BAD_INPUT;
    }
    /* Input this build cannot host is bad input (exit 2), like any other
     * provider file it cannot use; the message says what would host it. */
    switch (pe->machine) {
    case PE_MACHINE_X64:
    case PE_MACHINE_X86: /* synchost-worker32.exe hosts it (discover_workers) */
        return 0;
    case PE_MACHINE_ARM64:
        fprintf(stderr,
                "synchost: %s: an ARM64 DLL; no worker of this version hosts ARM64 providers "
                "(x64 and x86 only): build the provider for x64 to test it\n",
                path);
        return EXIT_BAD_INPUT;
    case PE_MACHINE_UNKNOWN:
        break;
    }
    fprintf(stderr,
            "synchost: %s: a DLL for machine type 0x%04X, which no worker of this version "
            "hosts (x64 and x86 only)\n",
            path, pe->machine_code);
    return EXIT_BAD_INPUT;
}

/* Without --provider, each scenario names its own: check them all before
 * anything runs, so a typo is bad input (exit 2), not a load-dll verdict. */
int discover_check_scenario_providers(const struct scenario_list *list, struct pe_info *pe)
{
    int rc;

    for (size_t i = 0; i < list->count; i++) {
        const struct scenario *sc = &list->items[i];
        char name[YAMLDOC_QUOTE_BUF]; /* escaped: names come from files */
        yamldoc_quote((const unsigned char *)sc->name, strlen(sc->name), name, sizeof name);
        if (sc->provider_path == NULL) {
            fprintf(stderr,
                    "synchost: %s:%u: scenario '%s' names no provider; give --provider "
                    "DLL or provider.path\n",
                    sc->file, sc->line, name);
            return EXIT_BAD_INPUT;
        }
        if (i > 0 && list->items[i - 1].provider_path != NULL &&
            strcmp(list->items[i - 1].provider_path, sc->provider_path) == 0) {
            continue;
        }
        if ((rc = discover_check_provider(sc->provider_path, pe)) != 0) {
            fprintf(stderr, "synchost: (provider.path of scenario '%s' in %s)\n", name, sc->file);
            return rc;
        }
    }
    return 0;
}

/* Workers ------------------------------------------------------------ */

static enum pe_machine machine_of(const char *path)
{
    struct pe_info pe;
    char why[160];

    return pe_read(path, &pe, why, sizeof why) == 0 ? pe.machine : PE_MACHINE_UNKNOWN;
}

/* Does the run host a DLL of this machine (x86), or of any other (x64)? */
static int run_has(const char *provider, const struct scenario_list *list, int x86)
{
    if (provider != NULL) {
        return (machine_of(provider) == PE_MACHINE_X86) == x86;
    }
    for (size_t i = 0; i < list->count; i++) {
        const char *p = list->items[i].provider_path;
        if (p != NULL && (machine_of(p) == PE_MACHINE_X86) == x86) {
            return 1;
        }
    }
    return 0;
}

int discover_workers(const char *provider, const struct scenario_list *list, char *worker64,
                     char *worker32, size_t cap)
{
    worker64[0] = worker32[0] = '\0';
    if (run_has(provider, list, 0) && winenv_find_worker(worker64, cap) != 0) {
        fprintf(stderr, "synchost: synchost-worker64.exe not found beside the program or in "
                        "the build tree; set SYNCHOST_WORKER64 to its path\n");
        return EXIT_HARNESS;
    }
    if (run_has(provider, list, 1) && winenv_find_worker32(worker32, cap) != 0) {
        fprintf(stderr, "synchost: an x86 DLL needs synchost-worker32.exe, the 32-bit worker, "
                        "and it is not beside the program nor in the build tree: build it "
                        "(scripts/build builds both workers) or set SYNCHOST_WORKER32 to its "
                        "path\n");
        return EXIT_HARNESS;
    }
    return 0;
}
