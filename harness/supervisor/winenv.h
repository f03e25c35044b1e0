/*
 * winenv.h: the worker program and the Wine environment it runs in: where
 * the workers are (synchost-worker64.exe, synchost-worker32.exe), the Wine
 * prefix and diagnostics the workers get, and a wineserver kept warm for
 * the run. POSIX only, apart from winenv_find_worker*. Single-threaded
 * (before the runner starts).
 */
#ifndef SYNCHOST_WINENV_H
#define SYNCHOST_WINENV_H

#include <stddef.h>

/* synchost-worker64.exe: $SYNCHOST_WORKER64, else beside this program, else
 * where the build tree puts it. Writes its path into out (cap bytes).
 * Returns 0, or -1 when there is no such file. */
int winenv_find_worker(char *out, size_t cap);

/* synchost-worker32.exe, the worker of x86 DLLs, found the same way
 * ($SYNCHOST_WORKER32 first). */
int winenv_find_worker32(char *out, size_t cap);

/* Workers run in synchost's own Wine prefix (the one scripts/bootstrap
 * prepares, with Wine's crash debugger off) unless WINEPREFIX says otherwise,
 * and with Wine's own diagnostics off unless WINEDEBUG asks for them: sets
 * WINEPREFIX, WINEDEBUG and WINEDLLOVERRIDES in this process's environment
 * where they are not set. */
void winenv_defaults(void);

/* The program that runs the 64-bit worker: $SYNCHOST_WINE; else Wine's
 * 64-bit loader itself where Debian's packages put it (/usr/lib/wine/wine64,
 * with WINELOADER set to it when unset, as Wine's own launcher does); else
 * "wine" from PATH. Not the "wine" launcher where the 64-bit loader is
 * found: once wine32 is installed it starts a 64-bit program through a
 * 32-bit start.exe that runs the worker as a process of its own and
 * returns, so the process synchost watches, measures and kills would not be
 * the worker. POSIX only; call after winenv_defaults. */
const char *winenv_loader64(void);

/* The program that runs the 32-bit worker: $SYNCHOST_WINE32; else Wine's
 * 32-bit loader itself where Debian's wine32 package puts it
 * (/usr/lib/wine/wine, which starts a 32-bit program as the process it
 * is); else "wine" from PATH. POSIX only. */
const char *winenv_loader32(void);

/* Can this machine run the loader at all? Some kernels refuse every 32-bit
 * program (IA-32 emulation built out or switched off), Wine's 32-bit loader
 * among them. Asked once per loader and kept: the loader is started with
 * --version. Returns 1 when it ran, or when it is NULL (no loader, as on
 * Windows); 0 when the system refused to start it, with why (cap bytes):
 * "/usr/lib/wine/wine: Exec format error". */
int winenv_loader_runs(const char *loader, char *why, size_t cap);

/* Can this machine run the 32-bit worker? Its loader (as
 * winenv_loader_runs), and, where the 32-bit C library is installed
 * (/lib/ld-linux.so.2), that too: a machine whose kernel refuses 32-bit
 * programs is told as such even when the loader is a launcher that runs.
 * Returns 1, or 0 with why. */
int winenv_runs32(const char *loader32, char *why, size_t cap);

/* Keeps one wineserver alive for the run so that each worker start costs
 * about 0.1 s instead of a server start (it ends itself 5 s after the last
 * worker). Spawned on uv_default_loop(); a failure is ignored (the first
 * worker then starts the server). */
void winenv_warm_server(void);

/* The name of the folder the prefix's wineserver works in (cpuwait.h), ""
 * when the prefix cannot be looked at. Call after winenv_defaults. */
const char *winenv_server_dir(void);

/* A Unix path as a Windows program under Wine opens it (Z: maps the Unix
 * root in every default prefix), absolute; and as it is, for a worker run
 * natively on Windows. */
void winenv_wine_path(const char *unix_path, char *out, size_t cap);
/* The same for a path already absolute whose links are to stay unresolved. */
void winenv_wine_path_as_is(const char *path, char *out, size_t cap);
void winenv_native_path(const char *path, char *out, size_t cap);

#endif /* SYNCHOST_WINENV_H */
