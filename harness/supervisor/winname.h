/*
 * winname.h: a name Windows can take for a provider whose path it cannot.
 *
 * A Linux file name may hold characters no Windows name can (< > : " / \ |
 * ? *, control characters, bytes that are not UTF-8); the worker, a Win32
 * program, could not load such a DLL, and the harness would give the
 * provider a load-dll verdict for its own limitation. Such a provider is
 * loaded through a link in a private folder instead (see winname.c); reports
 * and the console keep naming the path as given.
 *
 * Single-threaded (the supervisor's loop thread).
 */
#ifndef SYNCHOST_WINNAME_H
#define SYNCHOST_WINNAME_H

/* The path to give the worker for the DLL at unix_path: NULL when Windows can
 * take its real path as it is (or it does not resolve: the load then fails
 * as it would), else the absolute path of a link to it whose every folder
 * and name Windows can take; owned by this module, valid until
 * winname_cleanup. The link is not to be resolved (realpath) before use:
 * its folder is what makes the DLLs beside the provider importable. Also
 * NULL when the link cannot be made (the load then fails as it would). */
const char *winname_for(const char *unix_path);

/* Removes every link and private folder made (at the end of a run, also an
 * interrupted one; registered with atexit as well). Safe to call twice. */
void winname_cleanup(void);

#endif /* SYNCHOST_WINNAME_H */
