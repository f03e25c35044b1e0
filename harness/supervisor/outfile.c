/* outfile.c: output paths checked before a run (see outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
