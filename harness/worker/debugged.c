/*
 * debugged.c: the worker's output reaching the developer under winedbg (see
 * debugged.h).
 *
 * winedbg starts its debuggee with a console of its own (CREATE_NEW_CONSOLE,
 * always: Wine's programs/winedbg/tgt_active.c). On a machine with no
 * display that console has no window, and every write to it fails with
 * ERROR_INVALID_HANDLE: the worker's events would be lost, and its stream's
 * loss would even end the process (WIRE_EXIT_STREAM_LOST) before the
 * provider ran, so the debugger never saw the provider's fault. Wine closes
 * only the Unix standard input and output of a process given a new console:
 * its Unix standard error is still the one of the debugger, the terminal
 * (or pipe) the command was run from, and Wine's ntdll turns it into a
 * handle. On Windows, and with a console that works (a display, Visual
 * Studio's own), nothing changes.
 */
#include <fcntl.h>
#include <io.h>

#include <windows.h>

#include "debugged.h"

typedef LONG(__cdecl *fd_to_handle_fn)(int fd, unsigned int access, unsigned int attributes,
                                       HANDLE *handle);

/* A console handle whose console cannot be used: a console of its own
 * that conhost could not open a window for answers no console call. */
static int console_lost(HANDLE out)
{
    DWORD mode;

    return out == NULL || out == INVALID_HANDLE_VALUE ||
           (GetFileType(out) == FILE_TYPE_CHAR && !GetConsoleMode(out, &mode));
}

/* The process's Unix standard error as a Win32 handle, or NULL (not under
 * Wine, or no such descriptor). */
static HANDLE unix_stderr(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    fd_to_handle_fn to_handle =
        ntdll != NULL
            ? (fd_to_handle_fn)(void (*)(void))GetProcAddress(ntdll, "wine_server_fd_to_handle")
            : NULL;
    HANDLE h = NULL;

    if (to_handle == NULL || to_handle(2, GENERIC_WRITE | SYNCHRONIZE, 0, &h) != 0) {
        return NULL;
    }
    return h;
}

int debugged_reach_terminal(void)
{
    HANDLE term;
    int fd;

    if (!IsDebuggerPresent() || !console_lost(GetStdHandle(STD_OUTPUT_HANDLE)) ||
        (term = unix_stderr()) == NULL) {
        return 0;
    }
    /* The C runtime took its descriptors 1 and 2 from the console's
     * handles at start-up: they are pointed at the terminal too (1 is then
     * the stream's, see main.c's take_stdout), and the Win32 standard
     * handles are theirs. */
    fd = _open_osfhandle((intptr_t)term, _O_WRONLY | _O_BINARY);
    if (fd < 0) {
        SetStdHandle(STD_OUTPUT_HANDLE, term);
        SetStdHandle(STD_ERROR_HANDLE, term);
        return 1;
    }
    _dup2(fd, 1);
    _dup2(fd, 2);
    _close(fd);
    SetStdHandle(STD_OUTPUT_HANDLE, (HANDLE)_get_osfhandle(1));
    SetStdHandle(STD_ERROR_HANDLE, (HANDLE)_get_osfhandle(2));
    return 1;
}
