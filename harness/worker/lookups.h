/*
 * lookups.h: what the provider looks for at run time and does not find,
 * so that a load chain that fails says why. A provider finds its world as
 * it runs: Outlook's own DLLs (GetModuleHandle, LoadLibrary), functions in
 * them (GetProcAddress), its settings (registry keys), where Outlook is
 * installed (Windows Installer's qualified components) and its files.
 * Under synchost most of that is not there, and a provider that gives up
 * often says only E_OUTOFMEMORY or MAPI_E_CALL_FAILED. The worker wraps
 * those calls in the provider's imports (imports.h) and keeps each one that
 * failed for want of what it named; a load step that fails has them added
 * to its detail (worker.c). One that succeeds says nothing of them: looking
 * for something optional is no fault.
 * Win32 only.
 */
#ifndef SYNCHOST_LOOKUPS_H
#define SYNCHOST_LOOKUPS_H

#include <stddef.h>

#include <windows.h>

/* Lookups kept at once (more are counted); the detail added to a step
 * holds as many as fit. */
#define LOOKUPS_MAX 8

/* Wraps the lookups in every module the provider loads from now on. Call
 * before the provider is loaded. */
void lookups_init(void);

/* Writes the lookups that failed since the last call, as
 * `GetModuleHandle("mspst32.dll"): not loaded; ...`, into out (cap bytes;
 * "" when none), and forgets them. */
void lookups_take(char *out, size_t cap);

/* A file the provider's CreateFile could not open because it is not there
 * (handles.c wraps CreateFile for its handles and tells this). */
void lookups_file_missing(const void *name, int wide, DWORD err);

/* A function the provider's GetProcAddress did not find (imports.c). */
void lookups_proc_missing(HMODULE module, LPCSTR name);

#endif /* SYNCHOST_LOOKUPS_H */
