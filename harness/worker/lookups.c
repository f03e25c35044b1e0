/* lookups.c: what the provider looked for and did not find (lookups.h). */
#include "lookups.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "imports.h"

/* One lookup's line, and the most of a name it quotes (in UTF-16 units). */
#define LINE_MAX_BYTES 400
#define NAME_MAX_UNITS 200

static SRWLOCK lock = SRWLOCK_INIT;
static char kept[LOOKUPS_MAX][LINE_MAX_BYTES];
static size_t n_kept, n_more;

/* Keeps one line, once: a provider that asks again says nothing new. The
 * callers below keep the provider's last error as its call left it: what
 * they do to write the line must not change what the provider reads next. */
static void note(const char *line)
{
    AcquireSRWLockExclusive(&lock);
    for (size_t i = 0; i < n_kept; i++) {
        if (strcmp(kept[i], line) == 0) {
            ReleaseSRWLockExclusive(&lock);
            return;
        }
    }
    if (n_kept < LOOKUPS_MAX) {
        snprintf(kept[n_kept++], LINE_MAX_BYTES, "%s", line);
    } else {
        n_more++;
    }
    ReleaseSRWLockExclusive(&lock);
}

/* A name the provider passed, quoted, in UTF-8: only the first
 * NAME_MAX_UNITS units, control characters as '?'. A call may fail for a
 * pointer it could not read (ERROR_NOACCESS) as well as for want of what
 * it names: the first units are looked at under the system's guard before
 * they are read. */
static void quote(const void *name, int wide, char *out, size_t cap)
{
    WCHAR units[NAME_MAX_UNITS + 1];
    char utf8[NAME_MAX_UNITS * 3 + 1];
    size_t n;

    if (wide ? IsBadStringPtrW(name, NAME_MAX_UNITS) : IsBadStringPtrA(name, NAME_MAX_UNITS)) {
        snprintf(out, cap, "%s", "(a name that cannot be read)");
        return;
    }
    if (wide) {
        n = wcsnlen(name, NAME_MAX_UNITS);
        memcpy(units, name, n * sizeof(WCHAR));
    } else {
        int got = MultiByteToWideChar(CP_ACP, 0, name, (int)strnlen(name, NAME_MAX_UNITS), units,
                                      NAME_MAX_UNITS);
        n = got > 0 ? (size_t)got : 0;
    }
    for (size_t i = 0; i < n; i++) {
        units[i] = units[i] < 0x20 || units[i] == 0x7f ? L'?' : units[i];
    }
    units[n] = 0;
    if (WideCharToMultiByte(CP_UTF8, 0, units, -1, utf8, sizeof utf8, NULL, NULL) == 0) {
        utf8[0] = '\0';
    }
    snprintf(out, cap, "\"%s\"", utf8);
}

/* Why a call failed, for the errors that mean "not there". */
static const char *missing_why(DWORD err)
{
    switch (err) {
    case ERROR_MOD_NOT_FOUND:
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        return "not found";
    case ERROR_PROC_NOT_FOUND:
        return "not exported";
    case ERROR_UNKNOWN_COMPONENT:
        return "unknown component";
    case ERROR_UNKNOWN_PRODUCT:
        return "unknown product";
    case ERROR_INDEX_ABSENT:
        return "no such qualifier";
    default:
        return NULL;
    }
}

static void note_call(const char *api, const void *name, int wide, const char *why)
{
    char quoted[NAME_MAX_UNITS * 3 + 8], line[LINE_MAX_BYTES];
    DWORD err = GetLastError();

    quote(name, wide, quoted, sizeof quoted);
    snprintf(line, sizeof line, "%s(%s): %s", api, quoted, why);
    note(line);
    SetLastError(err);
}

/* A failed load of a DLL by name: "not found", or the error's number. */
static void note_load(const char *api, const void *name, int wide, DWORD err)
{
    char why[32];
    const char *known = missing_why(err);

    if (known == NULL) {
        snprintf(why, sizeof why, "error %lu", (unsigned long)err);
    }
    note_call(api, name, wide, known != NULL ? known : why);
}

/* Each wrapper comes in an A and a W form: SFX is the suffix, CHR the
 * character type, WIDE whether it is UTF-16. Each calls the real function
 * (the worker's own import, which is not wrapped) and notes a failure for
 * want of what was named. */
#define MODULE_HANDLE(SFX, CHR, WIDE)                                                    \
    static HMODULE WINAPI w_GetModuleHandle##SFX(const CHR *name)                        \
    {                                                                                    \
        HMODULE h = GetModuleHandle##SFX(name);                                          \
        if (h == NULL && name != NULL) {                                                 \
            note_call("GetModuleHandle", name, WIDE, "not loaded");                      \
        }                                                                                \
        return h;                                                                        \
    }                                                                                    \
    static BOOL WINAPI w_GetModuleHandleEx##SFX(DWORD flags, const CHR *name, HMODULE *out) \
    {                                                                                    \
        BOOL ok = GetModuleHandleEx##SFX(flags, name, out);                              \
        if (!ok && name != NULL && !(flags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS)) {  \
            note_call("GetModuleHandleEx", name, WIDE, "not loaded");                    \
        }                                                                                \
        return ok;                                                                       \
    }
MODULE_HANDLE(A, char, 0)
MODULE_HANDLE(W, WCHAR, 1)

#define LOAD_LIBRARY(SFX, CHR, WIDE)                                                     \
    static HMODULE WINAPI w_LoadLibrary##SFX(const CHR *name)                            \
    {                                                                                    \
        HMODULE h = LoadLibrary##SFX(name);                                              \
        if (h == NULL && name != NULL) {                                                 \
            note_load("LoadLibrary", name, WIDE, GetLastError());                        \
        }                                                                                \
        return h;                                                                        \
    }                                                                                    \
    static HMODULE WINAPI w_LoadLibraryEx##SFX(const CHR *name, HANDLE file, DWORD flags) \
    {                                                                                    \
        HMODULE h = LoadLibraryEx##SFX(name, file, flags);                               \
        if (h == NULL && name != NULL) {                                                 \
            note_load("LoadLibraryEx", name, WIDE, GetLastError());                      \
        }                                                                                \
        return h;                                                                        \
    }
LOAD_LIBRARY(A, char, 0)
LOAD_LIBRARY(W, WCHAR, 1)

/* A registry key that is not there: its predefined root by name. */
static void note_key(const char *api, HKEY root, const void *sub, int wide)
{
    static const struct {
        HKEY key;
        const char *name;
    } roots[] = {
        {HKEY_CLASSES_ROOT, "HKEY_CLASSES_ROOT"},   {HKEY_CURRENT_USER, "HKEY_CURRENT_USER"},
        {HKEY_LOCAL_MACHINE, "HKEY_LOCAL_MACHINE"}, {HKEY_USERS, "HKEY_USERS"},
        {HKEY_CURRENT_CONFIG, "HKEY_CURRENT_CONFIG"},
    };
    const char *root_name = "an open key";
    char quoted[NAME_MAX_UNITS * 3 + 8], line[LINE_MAX_BYTES];
    DWORD err = GetLastError();

    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        if (root == roots[i].key) {
            root_name = roots[i].name;
        }
    }
    quote(sub != NULL ? sub : (const void *)L"", sub != NULL ? wide : 1, quoted, sizeof quoted);
    snprintf(line, sizeof line, "%s(%s, %s): no such key", api, root_name, quoted);
    note(line);
    SetLastError(err);
}

#define REG_OPEN_KEY(SFX, CHR, WIDE)                                                     \
    static LSTATUS WINAPI w_RegOpenKeyEx##SFX(HKEY root, const CHR *sub, DWORD opt,      \
                                              REGSAM sam, PHKEY out)                     \
    {                                                                                    \
        LSTATUS st = RegOpenKeyEx##SFX(root, sub, opt, sam, out);                        \
        if (st == ERROR_FILE_NOT_FOUND) {                                                \
            note_key("RegOpenKeyEx", root, sub, WIDE);                                   \
        }                                                                                \
        return st;                                                                       \
    }                                                                                    \
    static LSTATUS WINAPI w_RegOpenKey##SFX(HKEY root, const CHR *sub, PHKEY out)        \
    {                                                                                    \
        LSTATUS st = RegOpenKey##SFX(root, sub, out);                                    \
        if (st == ERROR_FILE_NOT_FOUND) {                                                \
            note_key("RegOpenKey", root, sub, WIDE);                                     \
        }                                                                                \
        return st;                                                                       \
    }
REG_OPEN_KEY(A, char, 0)
REG_OPEN_KEY(W, WCHAR, 1)

/* Windows Installer's lookups, the way providers find where Outlook is
 * (MsiProvideQualifiedComponent with Outlook's category and the qualifier
 * "outlook.exe"). The worker does not link msi.dll: the real functions are
 * the addresses the provider's own imports were bound to. */
/* A component lookup that failed: its category and qualifier. */
static void note_component(const char *api, const void *category, const void *qualifier,
                           int wide, UINT err)
{
    char cat[NAME_MAX_UNITS * 3 + 8], qual[NAME_MAX_UNITS * 3 + 8], line[LINE_MAX_BYTES],
        why[32];
    const char *known = missing_why(err);
    DWORD last = GetLastError();

    if (known == NULL) {
        snprintf(why, sizeof why, "error %u", err);
    }
    quote(category != NULL ? category : (const void *)L"", category != NULL ? wide : 1, cat,
          sizeof cat);
    quote(qualifier != NULL ? qualifier : (const void *)L"", qualifier != NULL ? wide : 1, qual,
          sizeof qual);
    snprintf(line, sizeof line, "%s(%s, %s): %s", api, cat, qual, known != NULL ? known : why);
    note(line);
    SetLastError(last);
}

/* The real functions are kept from the first binding seen (every binding
 * of a name is the same function). */
#define PROVIDE_COMPONENT(SFX, CHR, WIDE)                                                \
    typedef UINT(WINAPI *pqc_##SFX##_fn)(const CHR *, const CHR *, DWORD, CHR *, LPDWORD); \
    typedef UINT(WINAPI *pqc_ex_##SFX##_fn)(const CHR *, const CHR *, DWORD, const CHR *, \
                                            DWORD, DWORD, CHR *, LPDWORD);               \
    static pqc_##SFX##_fn real_pqc_##SFX;                                                \
    static pqc_ex_##SFX##_fn real_pqc_ex_##SFX;                                          \
    static UINT WINAPI w_MsiProvideQualifiedComponent##SFX(const CHR *c, const CHR *q,   \
                                                           DWORD m, CHR *p, LPDWORD n)   \
    {                                                                                    \
        UINT r = real_pqc_##SFX(c, q, m, p, n);                                          \
        if (r != ERROR_SUCCESS && r != ERROR_MORE_DATA) {                                \
            note_component("MsiProvideQualifiedComponent", c, q, WIDE, r);               \
        }                                                                                \
        return r;                                                                        \
    }                                                                                    \
    static UINT WINAPI w_MsiProvideQualifiedComponentEx##SFX(                            \
        const CHR *c, const CHR *q, DWORD m, const CHR *pr, DWORD u1, DWORD u2, CHR *p,  \
        LPDWORD n)                                                                       \
    {                                                                                    \
        UINT r = real_pqc_ex_##SFX(c, q, m, pr, u1, u2, p, n);                           \
        if (r != ERROR_SUCCESS && r != ERROR_MORE_DATA) {                                \
            note_component("MsiProvideQualifiedComponentEx", c, q, WIDE, r);             \
        }                                                                                \
        return r;                                                                        \
    }
PROVIDE_COMPONENT(A, char, 0)
PROVIDE_COMPONENT(W, WCHAR, 1)

/* The wrapper for an msi.dll function, its real address kept from the
 * first binding seen (every binding of a name is the same function). */
static void *msi_wrapper_for(const char *name, const void *current)
{
#define MSI(fn, real, type)                                         \
    if (strcmp(name, #fn) == 0) {                                   \
        if (real == NULL) {                                         \
            real = (type)(void (*)(void))current;                   \
        }                                                           \
        return current == (const void *)real ? (void *)w_##fn : NULL; \
    }
    MSI(MsiProvideQualifiedComponentA, real_pqc_A, pqc_A_fn)
    MSI(MsiProvideQualifiedComponentW, real_pqc_W, pqc_W_fn)
    MSI(MsiProvideQualifiedComponentExA, real_pqc_ex_A, pqc_ex_A_fn)
    MSI(MsiProvideQualifiedComponentExW, real_pqc_ex_W, pqc_ex_W_fn)
#undef MSI
    return NULL;
}

void lookups_file_missing(const void *name, int wide, DWORD err)
{
    if (name != NULL && (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND)) {
        note_call("CreateFile", name, wide, "not found");
    }
}

void lookups_proc_missing(HMODULE module, LPCSTR name)
{
    WCHAR path[MAX_PATH];
    char base[MAX_PATH * 3], line[LINE_MAX_BYTES], quoted[NAME_MAX_UNITS * 3 + 8];
    DWORD err = GetLastError(), len = GetModuleFileNameW(module, path, MAX_PATH);
    const WCHAR *slash;

    if (len == 0 || len >= MAX_PATH) {
        snprintf(base, sizeof base, "%s", "a module not loaded");
    } else {
        slash = wcsrchr(path, L'\\');
        if (WideCharToMultiByte(CP_UTF8, 0, slash != NULL ? slash + 1 : path, -1, base,
                                sizeof base, NULL, NULL) == 0) {
            base[0] = '\0';
        }
    }
    if (IS_INTRESOURCE(name)) {
        snprintf(line, sizeof line, "GetProcAddress(%s, #%u): not exported", base,
                 (unsigned)(ULONG_PTR)name);
    } else {
        quote(name, 0, quoted, sizeof quoted);
        snprintf(line, sizeof line, "GetProcAddress(%s, %s): not exported", base, quoted);
    }
    note(line);
    SetLastError(err);
}

#define ENTRY IMPORTS_WRAPPER
static const struct imports_wrapper wrappers[] = {
    ENTRY(GetModuleHandleA), ENTRY(GetModuleHandleW), ENTRY(GetModuleHandleExA),
    ENTRY(GetModuleHandleExW), ENTRY(LoadLibraryA),   ENTRY(LoadLibraryW),
    ENTRY(LoadLibraryExA),   ENTRY(LoadLibraryExW),   ENTRY(RegOpenKeyExA),
    ENTRY(RegOpenKeyExW),    ENTRY(RegOpenKeyA),      ENTRY(RegOpenKeyW),
};

static void *wrapper_for(const char *dll, const char *name, const void *current)
{
    void *msi = msi_wrapper_for(name, current);

    (void)dll;
    if (msi != NULL) {
        return msi;
    }
    return imports_wrapper_named(wrappers, sizeof wrappers / sizeof wrappers[0], name);
}

void lookups_init(void)
{
    imports_watch(wrapper_for);
}

void lookups_take(char *out, size_t cap)
{
    size_t used = 0;

    if (cap == 0) {
        return;
    }
    out[0] = '\0';
    AcquireSRWLockExclusive(&lock);
    for (size_t i = 0; i < n_kept && used < cap; i++) {
        int n = snprintf(out + used, cap - used, "%s%s", i > 0 ? "; " : "", kept[i]);
        used += n > 0 ? (size_t)n : 0;
    }
    if (n_more > 0 && used < cap) {
        snprintf(out + used, cap - used, "; and %zu more", n_more);
    }
    n_kept = n_more = 0;
    ReleaseSRWLockExclusive(&lock);
}
