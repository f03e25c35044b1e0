/* outfile.c: output paths checked before a run (see outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_check(const char *path, char *why, size_t whycap)
{
    char tmp[4096];
    struct stat st;
    int fd;

    if (strcmp(path, "-") == 0) {
        return 0;
    }
    if (path[0] == '\0') {
        snprintf(why, whycap, "an empty path");
        return -1;
    }
    /* rename() cannot replace a folder, and a path ending in '/' names one. */
    if ((stat(path, &st) == 0 && S_ISDIR(st.st_mode)) || path[strlen(path) - 1] == '/') {
        snprintf(why, whycap, "%s", strerror(EISDIR));
        return -1;
    }
    /* The same name report_json_write() uses, so that a name too long for
     * the file system fails here too. */
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp) {
        snprintf(why, whycap, "%s", strerror(ENAMETOOLONG));
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 && errno == EEXIST && access(tmp, W_OK) == 0) {
        return 0; /* left by an earlier process of this id; the writer replaces it */
    }
    if (fd < 0) {
        snprintf(why, whycap, "%s", strerror(errno));
        return -1;
    }
    close(fd);
    unlink(tmp);
    return 0;
}
