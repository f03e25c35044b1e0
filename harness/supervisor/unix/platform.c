/* unix/platform.c: the supervisor on Linux (platform.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"

/* In /dev/shm where there is one (memory, never disk), else in $TMPDIR or
 * /tmp. */
int platform_ring_create(char *path, size_t cap, size_t len, void **mem, intptr_t *os)
{
    static unsigned counter;
    struct stat st;
    const char *dir = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm"
                      : getenv("TMPDIR") != NULL                        ? getenv("TMPDIR")
                                                                        : "/tmp";
    int fd, rc = 0;

    *mem = NULL;
    *os = -1;
    if ((size_t)snprintf(path, cap, "%s/synchost-%ld-%u.ring", dir, (long)getpid(), ++counter) >=
        cap) {
        return -ENAMETOOLONG;
    }
    fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return -errno;
    }
    if (ftruncate(fd, (off_t)len) != 0) {
        rc = -errno;
    } else {
        *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (*mem == MAP_FAILED) {
            *mem = NULL;
            rc = -errno;
        }
    }
    close(fd);
    if (rc != 0) {
        unlink(path);
    }
    return rc;
}

void platform_ring_release(void *mem, size_t len, intptr_t os)
{
    (void)os;
    if (mem != NULL) {
        munmap(mem, len);
    }
}

size_t platform_read_ready(uv_os_fd_t fd, char *buf, size_t cap)
{
    struct pollfd pl = {fd, POLLIN, 0};
    ssize_t n;

    if (poll(&pl, 1, 0) != 1 || (pl.revents & POLLIN) == 0) {
        return 0;
    }
    n = read(fd, buf, cap);
    return n > 0 ? (size_t)n : 0;
}

uint32_t platform_worker_proc_id(uv_pid_t pid)
{
    return (uint32_t)pid;
}

void platform_path_for_display(char *path)
{
    (void)path;
}
