/*
 * posix.h: the few POSIX interfaces the supervisor and the portable core use,
 * on Windows (mingw-w64). The Windows build includes it before every source
 * of harness/core and harness/supervisor (-include), so that their code is
 * written once, against POSIX, with no #ifdef at each call; what Windows
 * cannot do the POSIX way lives in harness/supervisor/win/ instead.
 *
 * What each stands for:
 *   realpath   _fullpath, with '/' between components (Windows accepts it,
 *              and the callers split paths at '/'); NULL when it is missing
 *   rename     replaces an existing target, as POSIX does (MoveFileEx)
 *   symlink    a copy of the file: links need a privilege on Windows
 *   readlink   fails with EINVAL (no links are ever made)
 *   lstat      stat; S_ISLNK is always false
 *   fchmod     does nothing (Windows has no mode bits beyond read-only)
 *   fsync      _commit
 *   mkdtemp    _mktemp_s and _mkdir
 *   sysconf    _SC_NPROCESSORS_ONLN only
 *   pread      ReadFile at an offset
 *   strndup    a bounded copy
 *   getcwd     _getcwd, with '/' between components, as realpath
 *   passwd and group lookups find nothing; geteuid is 0, as stat's st_uid is
 */
#ifndef SYNCHOST_PLATFORM_WIN_POSIX_H
#define SYNCHOST_PLATFORM_WIN_POSIX_H

#include <direct.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Windows separates folders with '\\' as well as '/'. */
#define PATH_SEPARATOR_ALT '\\'

#ifndef O_CLOEXEC
#define O_CLOEXEC _O_NOINHERIT
#endif
#ifndef O_NOCTTY
#define O_NOCTTY 0
#endif
#ifndef NAME_MAX
#define NAME_MAX 255
#endif
#ifndef SIGPIPE
#define SIGPIPE 13
#endif
#ifndef SIGKILL
#define SIGKILL 9
#endif
/* The C runtime's stat makes up group and other bits from the owner's;
 * Windows decides who may write a file by its ACL. None are reported, so
 * that a file is never distrusted for bits it does not have. */
#undef S_IWGRP
#define S_IWGRP 0
#undef S_IWOTH
#define S_IWOTH 0
#ifndef S_ISVTX
#define S_ISVTX 0
#endif
#ifndef S_ISLNK
#define S_ISLNK(m) 0
#endif
#define _SC_NPROCESSORS_ONLN 84

typedef unsigned int gid_t; /* mingw-w64 has uid_t's kin only under _POSIX */

struct passwd {
    char *pw_name;
};
struct group {
    char *gr_name;
    char **gr_mem;
};

char *posix_realpath(const char *path, char *resolved);
int posix_rename(const char *from, const char *to);
int posix_symlink(const char *target, const char *link);
long posix_sysconf(int name);
char *posix_mkdtemp(char *templ);
int posix_readlink(const char *path, char *buf, size_t cap);
ssize_t posix_pread(int fd, void *buf, size_t cap, off_t at);
char *posix_strndup(const char *s, size_t n);
char *posix_getcwd(char *buf, size_t cap);

#define realpath(p, r)      posix_realpath((p), (r))
#define rename(a, b)        posix_rename((a), (b))
#define symlink(t, l)       posix_symlink((t), (l))
#define sysconf(n)          posix_sysconf(n)
#define mkdtemp(t)          posix_mkdtemp(t)
#define readlink(p, b, n)   posix_readlink((p), (b), (n))
#define pread(fd, b, n, at) posix_pread((fd), (b), (n), (at))
#define strndup(s, n)       posix_strndup((s), (n))
#define getcwd(b, n)        posix_getcwd((b), (n))
#define lstat(p, s)         stat((p), (s))
#define fchmod(fd, mode)    ((void)(fd), (void)(mode), 0)
#define fsync(fd)           _commit(fd)
#define mkdir(p, mode)      ((void)(mode), _mkdir(p))
#define getpwuid(uid)       ((void)(uid), (const struct passwd *)NULL)
#define getgrgid(gid)       ((void)(gid), (const struct group *)NULL)
#define geteuid()           0

#endif /* SYNCHOST_PLATFORM_WIN_POSIX_H */
