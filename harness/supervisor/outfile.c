/* outfile.c: output paths checked before a run (see outfile.h), and the
 * report options' paths checked with them (cli_check_outputs, cli.h). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "console.h"
#include "settings.h"

int outfile_check(const char *path, struct report_target *t, char *why, size_t whycap)
{
    char tmp[PATH_MAX + 32];
    int fd;

    if (path[0] == '\0') {
        snprintf(why, whycap, "an empty path");
        return -1;
    }
    /* The writer's own decision (report_file.h), so that the check and the
     * write never disagree about what the path names. */
    if (report_target_resolve(path, t) != 0) {
        snprintf(why, whycap, "%s", strerror(errno));
        return -1;
    }
    if (t->kind == REPORT_TARGET_STDOUT) {
        return 0;
    }
    if (t->kind == REPORT_TARGET_IN_PLACE) {
        /* Opening a FIFO would wait for its reader: its permission says
         * enough, and the writer opens it when the run is over. */
        if (access(t->path, W_OK) != 0) {
            snprintf(why, whycap, "%s", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (report_target_temp(t, tmp, sizeof tmp) != 0) {
        snprintf(why, whycap, "%s", strerror(errno));
        return -1;
    }
    (void)unlink(tmp); /* as the writer does: an earlier process of this id left it */
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(why, whycap, "%s", strerror(errno));
        return -1;
    }
    close(fd);
    unlink(tmp);
    return 0;
}

/* How a refused value is named: its option, and where the configuration
 * file gives it when it does ("--junit", "FILE:3:10: options.junit"). */
static void say_option(const char *option, const char *value)
{
    const char *where = settings_where(value);

    if (where != NULL) {
        fprintf(stderr, "%s: options.%s", where, option + 2);
    } else {
        fputs(option, stderr);
    }
}

int cli_check_outputs(const struct cli *c, size_t count)
{
    const struct {
        const char *option, *path;
    } out[] = {
        {"--report-json", c->report_json}, {"--junit", c->report_junit},
        {"--tap", c->report_tap},          {"--html", c->report_html},
        {"--chrome-trace", c->report_chrome},
    };
    struct report_target t[sizeof out / sizeof out[0]];
    char why[256];

    for (size_t i = 0; i < count && i < sizeof out / sizeof out[0]; i++) {
        if (out[i].path == NULL) {
            continue;
        }
        if (outfile_check(out[i].path, &t[i], why, sizeof why) != 0) {
            fputs("synchost: ", stderr);
            say_option(out[i].option, out[i].path);
            fputc(' ', stderr);
            console_text(stderr, out[i].path);
            fprintf(stderr, ": cannot write there: %s\n", why);
            return EXIT_BAD_INPUT;
        }
        /* Two reports on one file would leave only the one written last. */
        for (size_t j = 0; j < i; j++) {
            if (out[j].path != NULL && report_target_same(&t[j], &t[i])) {
                fputs("synchost: ", stderr);
                say_option(out[j].option, out[j].path);
                fputs(" and ", stderr);
                say_option(out[i].option, out[i].path);
                fputs(" name one file, ", stderr);
                console_text(stderr, out[i].path);
                fputs("; give each report its own path\n", stderr);
                return EXIT_BAD_INPUT;
            }
        }
    }
    return 0;
}
