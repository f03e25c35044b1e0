/*
 * explore_report.c: what an exploration leaves (explore.h): each failure's
 * minimal scenario as a commented file under the output folder, and the
 * JSON report (docs/explore.md, "Reports").
 *
 * The files are written as the report writers write (report_file.h: a
 * temporary file beside it, renamed), but only over a file an earlier
 * exploration wrote (its first line is EXPLORE_MARK): any other file at
 * <rule>-<n>.yaml is left alone and the next n taken.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "explore.h"
#include "report/report_file.h"
#include "rules/rules.h"
#include "scenario/scenario_shrink.h"

#define EXPLORE_MARK "# synchost explore:"
#define NAME_TRIES   1000

/* Is path free for us: nothing there, or a regular file that starts with
 * our mark? */
static int ours_or_free(const char *path)
{
    struct stat st;
    char line[sizeof EXPLORE_MARK];
    FILE *f;
    int ours;

    if (lstat(path, &st) != 0) {
        return errno == ENOENT;
    }
    if (!S_ISREG(st.st_mode) || (f = fopen(path, "r")) == NULL) {
        return 0;
    }
    ours = fgets(line, sizeof line, f) != NULL && strcmp(line, EXPLORE_MARK) == 0;
    fclose(f);
    return ours;
}

/* A file name's part from a rule id: letters, digits, '-' and '.'. */
static void file_part(const char *rule, char *out, size_t cap)
{
    size_t n = 0;

    for (; *rule != '\0' && n + 1 < cap; rule++) {
        int ok = (*rule >= 'a' && *rule <= 'z') || (*rule >= '0' && *rule <= '9') || *rule == '-' ||
                 *rule == '.';
        out[n++] = ok ? *rule : '-';
    }
    out[n] = '\0';
}

struct file_text {
    const char *text;
    size_t len;
};

static int put_text(FILE *f, void *ctx)
{
    const struct file_text *t = ctx;

    return fwrite(t->text, 1, t->len, f) == t->len ? 0 : -1;
}

/* The file's comment: where it came from, what it breaks, how to rerun it. */
static void file_comment(const struct explore *ex, const struct explore_failure *f,
                         const char *path, char *buf, size_t cap)
{
    int n = snprintf(buf, cap,
                     "synchost explore: --seed %llu found it (scenario %llu), shrunk to %u keys in "
                     "%u runs;\n"
                     "its last %u runs failed %u times.\n"
                     "breaks %s: %s\n"
                     "rerun: synchost run --seed %llu --provider %s %s\n"
                     "as a regression: copy it into your scenarios (docs/explore.md)",
                     (unsigned long long)ex->seed, (unsigned long long)f->found_index + 1,
                     gen_case_keys(&f->minimal), f->shrink_runs, EXPLORE_CONFIRM_RUNS, f->confirmed,
                     f->rule, f->message, (unsigned long long)ex->seed, ex->provider, path);

    if (n < 0) {
        buf[0] = '\0';
    } /* else cut short at worst: it is a comment */
}

/* Has a failure of this exploration taken path already? */
static int taken(const struct explore *ex, const char *path)
{
    for (size_t i = 0; i < ex->failure_count; i++) {
        if (strcmp(ex->failures[i].file, path) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The first free <rule>-<n>.yaml into path, its scenario name into name. */
static int pick_path(const struct explore *ex, const char *rule, char *path, char *name,
                     size_t name_cap)
{
    char part[64];

    file_part(rule, part, sizeof part);
    for (unsigned n = 1; n <= NAME_TRIES; n++) {
        snprintf(name, name_cap, "%s-%u", part, n);
        if (snprintf(path, PATH_MAX, "%s/%s.yaml", ex->out_dir, name) >= PATH_MAX) {
            errno = ENAMETOOLONG;
            return -1;
        }
        if (!taken(ex, path) && ours_or_free(path)) {
            return 0;
        }
    }
    errno = EEXIST;
    return -1;
}

static int write_one(struct explore *ex, struct explore_failure *f)
{
    char path[PATH_MAX], name[96], comment[2048], text[4096];
    struct file_text ft;
    int len;

    if (pick_path(ex, f->rule, path, name, sizeof name) != 0) {
        return -1;
    }
    file_comment(ex, f, path, comment, sizeof comment);
    len = gen_case_format(&f->minimal, name, comment, text, sizeof text);
    if (len < 0) {
        errno = ENOMEM;
        return -1;
    }
    ft.text = text;
    ft.len = (size_t)len;
    if (report_file_write(path, put_text, &ft) != 0) {
        return -1;
    }
    snprintf(f->file, sizeof f->file, "%s", path);
    return 0;
}

int explore_write_files(struct explore *ex)
{
    if (mkdir(ex->out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "synchost: %s: cannot make the folder: %s\n", ex->out_dir, strerror(errno));
        return EXIT_HARNESS;
    }
    for (size_t i = 0; i < ex->failure_count; i++) {
        if (ex->failures[i].confirmed == 0) {
            continue; /* a flake: not a file that fails (explore.c, reproduced) */
        }
        if (write_one(ex, &ex->failures[i]) != 0) {
            fprintf(stderr, "synchost: %s: cannot write the scenario of %s: %s\n", ex->out_dir,
                    ex->failures[i].rule, strerror(errno));
            return EXIT_HARNESS;
        }
    }
    return 0;
}

/* The failure's minimal scenario as text, for the report. */
static json_t *scenario_json(const struct explore_failure *f)
{
    char text[8192];
    int len = gen_case_format(&f->minimal, "minimal", NULL, text, sizeof text);

    return len < 0 ? json_null() : json_stringn(text, (size_t)len);
}

static json_t *failure_json(const struct explore_failure *f)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:o, s:o}", "rule", f->rule,
        "shape", f->shape, "message", f->message, "status", scenario_status_name(f->status),
        "found_at", (json_int_t)f->found_index + 1, "hits", (int)f->hits, "found_keys",
        (int)gen_case_keys(&f->found), "minimal_keys", (int)gen_case_keys(&f->minimal),
        "shrink_runs", (int)f->shrink_runs, "shrink_steps", (int)f->shrink_steps, "confirmed",
        (int)f->confirmed, "reproduced", f->confirmed > 0, "file",
        f->file[0] != '\0' ? json_string(f->file) : json_null(), "scenario", scenario_json(f));
}

int explore_write_json(const struct explore *ex, const char *path)
{
    char digest[24];
    json_t *doc, *failures = json_array();

    for (size_t i = 0; i < ex->failure_count; i++) {
        json_array_append_new(failures, failure_json(&ex->failures[i]));
    }
    snprintf(digest, sizeof digest, "%016llx", (unsigned long long)ex->digest);
    doc =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:I, s:I, s:i, s:i, s:o}",
                  "tool", "synchost", "version", SYNCHOST_VERSION, "command", "explore", "provider",
                  ex->provider, "out", ex->out_dir, "seed", (json_int_t)ex->seed, "budget_ms",
                  (json_int_t)ex->budget_ms, "budget_scenarios", (json_int_t)ex->budget_count,
                  "scenarios", (json_int_t)ex->tried, "scenarios_digest", digest, "errored",
                  (json_int_t)ex->errored, "unjudged", (json_int_t)ex->unjudged, "shrink_runs",
                  (int)ex->shrink_runs, "confirm_runs", EXPLORE_CONFIRM_RUNS, "failures", failures);
    return report_file_write_json(path, doc, JSON_INDENT(2));
}
