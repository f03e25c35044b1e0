/*
 * symbols.c: names for addresses (see symbols.h).
 *
 * Two sources, the nearest preceding name wins: the export directory (in
 * memory) and the COFF symbol table, which is not mapped with the image: the
 * file is mapped read-only for the lookup and unmapped after it. Its path
 * comes from the mapping (GetMappedFileNameW, an NT path such as
 * \??\Z:\...), opened as \\?\... so that no DOS path conversion (and its
 * PEB lock) is involved. DWARF and PDB are not read.
 */
#include "symbols.h"

/* GetMappedFileNameW as kernel32's K32GetMappedFileNameW (no psapi.dll). */
#define PSAPI_VERSION 2
#include <psapi.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* IMAGE_SYMBOL as stored: 18 bytes, unaligned. */
#define COFF_SYMBOL_SIZE 18
#define COFF_FUNCTION    0x20 /* derived type "function" in the symbol's Type */

const IMAGE_NT_HEADERS *symbols_image_at(uint64_t addr, uint64_t *base)
{
    MEMORY_BASIC_INFORMATION mbi;
    const IMAGE_DOS_HEADER *dos;
    const IMAGE_NT_HEADERS *nt;

    if (VirtualQuery((void *)(ULONG_PTR)addr, &mbi, sizeof mbi) == 0 || mbi.Type != MEM_IMAGE ||
        mbi.AllocationBase == NULL) {
        return NULL;
    }
    dos = mbi.AllocationBase;
    if (dos->e_magic != IMAGE_DOS_SIGNATURE || dos->e_lfanew <= 0 || dos->e_lfanew > 4096) {
        return NULL;
    }
    nt = (const IMAGE_NT_HEADERS *)((const char *)dos + dos->e_lfanew);
    if (nt->Signature != IMAGE_NT_SIGNATURE ||
        nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR_MAGIC) {
        return NULL;
    }
    *base = (uint64_t)(ULONG_PTR)dos;
    return nt;
}

/* The mapped file's NT path, or 0. */
static DWORD mapped_path(uint64_t base, WCHAR *path, DWORD cap)
{
    DWORD n = GetMappedFileNameW(GetCurrentProcess(), (void *)(ULONG_PTR)base, path, cap - 1);

    if (n == 0 || n >= cap - 1) {
        return 0;
    }
    path[n] = 0;
    return n;
}

static const IMAGE_EXPORT_DIRECTORY *exports_of(uint64_t base, const IMAGE_NT_HEADERS *nt,
                                                const IMAGE_DATA_DIRECTORY **dir_out)
{
    const IMAGE_DATA_DIRECTORY *dir;

    if (nt->OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_EXPORT) {
        return NULL;
    }
    dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    if (dir->VirtualAddress == 0 || dir->Size < sizeof(IMAGE_EXPORT_DIRECTORY)) {
        return NULL;
    }
    *dir_out = dir;
    return (const IMAGE_EXPORT_DIRECTORY *)(ULONG_PTR)(base + dir->VirtualAddress);
}

void symbols_module_name(uint64_t base, const IMAGE_NT_HEADERS *nt, char *out, size_t cap)
{
    WCHAR path[MAX_PATH + 1];
    const IMAGE_DATA_DIRECTORY *dir = NULL;
    const IMAGE_EXPORT_DIRECTORY *exp;
    const WCHAR *slash;

    if (mapped_path(base, path, MAX_PATH + 1) > 0) {
        slash = wcsrchr(path, L'\\');
        snprintf(out, cap, "%ls", slash != NULL ? slash + 1 : path);
        return;
    }
    exp = exports_of(base, nt, &dir);
    if (exp != NULL && exp->Name != 0) {
        snprintf(out, cap, "%s", (const char *)(ULONG_PTR)(base + exp->Name));
        return;
    }
    snprintf(out, cap, "0x%llx", (unsigned long long)base);
}

struct best {
    uint64_t rva;
    int found;
    char *name;
    size_t cap;
};

static void offer(struct best *b, uint64_t rva, const char *name, size_t len)
{
    if (b->found && rva < b->rva) {
        return;
    }
    b->found = 1;
    b->rva = rva;
    if (len >= b->cap) {
        len = b->cap - 1;
    }
    memcpy(b->name, name, len);
    b->name[len] = '\0';
}

/* Exported names at or before rva (forwarders, which point into the
 * export directory itself, are not code). */
static void lookup_exports(uint64_t base, const IMAGE_NT_HEADERS *nt, uint64_t rva, struct best *b)
{
    const IMAGE_DATA_DIRECTORY *dir = NULL;
    const IMAGE_EXPORT_DIRECTORY *exp = exports_of(base, nt, &dir);
    const DWORD *funcs, *names;
    const WORD *ords;

    if (exp == NULL) {
        return;
    }
    funcs = (const DWORD *)(ULONG_PTR)(base + exp->AddressOfFunctions);
    names = (const DWORD *)(ULONG_PTR)(base + exp->AddressOfNames);
    ords = (const WORD *)(ULONG_PTR)(base + exp->AddressOfNameOrdinals);
    for (DWORD i = 0; i < exp->NumberOfNames && i < 65536; i++) {
        DWORD f;
        const char *name;

        if (ords[i] >= exp->NumberOfFunctions) {
            continue;
        }
        f = funcs[ords[i]];
        if (f > rva || (f >= dir->VirtualAddress && f < dir->VirtualAddress + dir->Size)) {
            continue;
        }
        if (!b->found || f >= b->rva) {
            name = (const char *)(ULONG_PTR)(base + names[i]);
            offer(b, f, name, strnlen(name, SYMBOLS_NAME_MAX));
        }
    }
}

/* Function symbols of the COFF table in the file image at view (size
 * bytes), sections from the mapped image's headers. */
static void lookup_coff(const uint8_t *view, uint64_t size, const IMAGE_NT_HEADERS *nt,
                        uint64_t rva, struct best *b)
{
    const IMAGE_SECTION_HEADER *sec = IMAGE_FIRST_SECTION(nt);
    uint64_t table = nt->FileHeader.PointerToSymbolTable;
    uint64_t count = nt->FileHeader.NumberOfSymbols;
    uint64_t strings = table + count * COFF_SYMBOL_SIZE, strings_size;

    if (table == 0 || strings + 4 > size) {
        return;
    }
    memcpy(&strings_size, view + strings, 4);
    strings_size &= 0xffffffffu;
    if (strings + strings_size > size) {
        strings_size = size - strings;
    }
    /* Each record may be followed by auxiliary ones (its byte 17). */
    for (uint64_t i = 0; i < count; i += 1u + view[table + i * COFF_SYMBOL_SIZE + 17]) {
        const uint8_t *s = view + table + i * COFF_SYMBOL_SIZE;
        uint32_t value, offset;
        int16_t section;
        uint16_t type;
        uint64_t at;
        const char *name;
        size_t len;

        memcpy(&value, s + 8, 4);
        memcpy(&section, s + 12, 2);
        memcpy(&type, s + 14, 2);
        if ((type & 0x30) == COFF_FUNCTION && section > 0 &&
            section <= nt->FileHeader.NumberOfSections &&
            (s[16] == IMAGE_SYM_CLASS_EXTERNAL || s[16] == IMAGE_SYM_CLASS_STATIC) &&
            (at = (uint64_t)sec[section - 1].VirtualAddress + value) <= rva &&
            (!b->found || at >= b->rva)) {
            memcpy(&offset, s, 4);
            if (offset != 0) {
                name = (const char *)s;
                len = strnlen(name, 8);
            } else {
                memcpy(&offset, s + 4, 4);
                if (offset >= strings_size) {
                    continue;
                }
                name = (const char *)view + strings + offset;
                len = strnlen(name, (size_t)(strings_size - offset));
            }
#ifndef _WIN64
            /* x86 names C functions "_name" (__stdcall ones "_name@N",
             * __fastcall ones "@name@N"): the frame shows the name the
             * source gives. */
            if (len > 1 && (name[0] == '_' || name[0] == '@')) {
                const char *at_sign = memchr(name + 1, '@', len - 1);
                name++;
                len = at_sign != NULL ? (size_t)(at_sign - name) : len - 1;
            }
#endif
            offer(b, at, name, len);
        }
    }
}

/* Maps the module's file to read its COFF symbol table. */
static void lookup_file(uint64_t base, const IMAGE_NT_HEADERS *nt, uint64_t rva, struct best *b)
{
    WCHAR path[MAX_PATH + 8];
    HANDLE file, mapping;
    LARGE_INTEGER size;
    const uint8_t *view;

    if (nt->FileHeader.PointerToSymbolTable == 0 || mapped_path(base, path + 4, MAX_PATH) == 0 ||
        wcsncmp(path + 4, L"\\??\\", 4) != 0) {
        return;
    }
    memcpy(path, L"\\\\?\\", 4 * sizeof(WCHAR));
    memmove(path + 4, path + 8, (wcslen(path + 8) + 1) * sizeof(WCHAR));
    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       NULL, OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        return;
    }
    mapping = GetFileSizeEx(file, &size) && size.QuadPart > 0
                  ? CreateFileMappingW(file, NULL, PAGE_READONLY, 0, 0, NULL)
                  : NULL;
    if (mapping != NULL) {
        view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
        if (view != NULL) {
            lookup_coff(view, (uint64_t)size.QuadPart, nt, rva, b);
            UnmapViewOfFile(view);
        }
        CloseHandle(mapping);
    }
    CloseHandle(file);
}

int symbols_lookup(uint64_t base, const IMAGE_NT_HEADERS *nt, uint64_t rva, char *name, size_t cap,
                   uint64_t *sym_rva)
{
    struct best b = {0, 0, name, cap};

    if (cap == 0) {
        return -1;
    }
    lookup_exports(base, nt, rva, &b);
    lookup_file(base, nt, rva, &b);
    if (!b.found) {
        return -1;
    }
    *sym_rva = b.rva;
    return 0;
}
