/*
 * pe_dir.c: the subsystem, export names and imported DLL names of a PE
 * image (see pe_dir.h).
 *
 * Layout per the PE Format page of Microsoft's documentation. The optional
 * header holds Subsystem at offset 68 in PE32 and PE32+ alike, then the data
 * directories (8 bytes each: RVA, size) at 96 (PE32) or 112 (PE32+), their
 * count just before. Directory 0 is the export table (its NumberOfFunctions
 * at 20, NumberOfNames at 24, AddressOfNames at 32: an array of name RVAs),
 * 1 the import table (20-byte descriptors, the DLL name's RVA at 12, ended
 * by a zeroed one), 13 the delay-load table (32-byte descriptors, the name's
 * RVA at 4). An RVA is mapped to a file offset through the section that
 * holds it (or the headers, below SizeOfHeaders).
 */
#include "pe/pe_dir.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/readfile.h"

#define FILE_MAX         (256u << 20)
#define FILE_HEADER_SIZE 20
#define SECTION_SIZE     40
#define DIR_EXPORT       0
#define DIR_IMPORT       1
#define DIR_DELAY_IMPORT 13
#define IMPORT_DESC_SIZE 20
#define DELAY_DESC_SIZE  32

struct image {
    const unsigned char *data;
    size_t len;
    size_t sections_at; /* file offset of the section table */
    unsigned sections;
    uint32_t headers; /* SizeOfHeaders */
};

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int have(const struct image *im, uint64_t off, uint64_t n)
{
    return off <= im->len && n <= im->len - off;
}

/* The file offset of rva, with n bytes readable there, or -1. */
static int64_t rva_to_off(const struct image *im, uint32_t rva, uint64_t n)
{
    if (rva < im->headers) {
        return have(im, rva, n) ? (int64_t)rva : -1;
    }
    for (unsigned i = 0; i < im->sections; i++) {
        const unsigned char *sh = im->data + im->sections_at + (size_t)i * SECTION_SIZE;
        uint32_t vsize = le32(sh + 8), va = le32(sh + 12), raw = le32(sh + 16);
        uint32_t raw_at = le32(sh + 20), span = vsize > raw ? vsize : raw;

        if (rva >= va && (uint64_t)rva - va < span) {
            uint64_t off = (uint64_t)raw_at + (rva - va);
            /* Bytes past the raw data are zeros in memory but not in the file. */
            if ((uint64_t)rva - va + n > raw || !have(im, off, n)) {
                return -1;
            }
            return (int64_t)off;
        }
    }
    return -1;
}

/* The NUL-terminated string at rva, copied into out (cap bytes). 0, or -1
 * when it does not lie in the file or has no end within the bound. */
static int string_at(const struct image *im, uint32_t rva, char *out, size_t cap)
{
    int64_t off = rva_to_off(im, rva, 1);

    if (off < 0) {
        return -1;
    }
    for (size_t i = 0; i < cap && (size_t)off + i < im->len; i++) {
        unsigned char ch = im->data[off + (int64_t)i];
        if (ch == 0) {
            out[i] = '\0';
            return i > 0 ? 0 : -1;
        }
        /* The bytes after the section's raw data are not the file's. */
        if (i > 0 && rva_to_off(im, rva + (uint32_t)i, 1) < 0) {
            return -1;
        }
        out[i] = (char)ch;
    }
    return -1;
}

static int list_add(struct pe_dir_list *l, const char *name)
{
    char **p;

    if (l->count >= PE_DIR_LIST_MAX) {
        return -1;
    }
    p = realloc(l->names, (l->count + 1) * sizeof *p);
    if (p == NULL) {
        return -1;
    }
    l->names = p;
    if ((l->names[l->count] = strdup(name)) == NULL) {
        return -1;
    }
    l->count++;
    return 0;
}

static void damaged(struct pe_dirs *d, const char *what, const char *why)
{
    if (d->damaged[0] == '\0') {
        snprintf(d->damaged, sizeof d->damaged, "%s: %s", what, why);
    }
}

static void read_exports(const struct image *im, uint32_t rva, struct pe_dirs *d)
{
    int64_t at = rva_to_off(im, rva, 40), names_at;
    uint32_t count;
    char name[PE_DIR_NAME_MAX];

    if (at < 0) {
        damaged(d, "export directory", "outside the file");
        return;
    }
    d->export_functions = le32(im->data + at + 20);
    count = le32(im->data + at + 24);
    if (count > PE_DIR_LIST_MAX ||
        (names_at = rva_to_off(im, le32(im->data + at + 32), (uint64_t)count * 4)) < 0) {
        damaged(d, "export directory", "its name table lies outside the file");
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        if (string_at(im, le32(im->data + names_at + 4 * i), name, sizeof name) != 0) {
            damaged(d, "export directory", "a name lies outside the file");
            return;
        }
        if (list_add(&d->exports, name) != 0) {
            damaged(d, "export directory", "out of memory");
            return;
        }
    }
}

/* The import (desc_size 20, name at 12) or delay-load (32, at 4) table. */
static void read_imports(const struct image *im, uint32_t rva, size_t desc_size, size_t name_at,
                         struct pe_dir_list *l, struct pe_dirs *d, const char *what)
{
    static const unsigned char zero[DELAY_DESC_SIZE];
    char name[PE_DIR_NAME_MAX];

    for (uint32_t i = 0;; i++) {
        int64_t at = rva_to_off(im, rva + i * (uint32_t)desc_size, desc_size);
        if (at < 0) {
            damaged(d, what, "it runs past the file without its closing entry");
            return;
        }
        if (memcmp(im->data + at, zero, desc_size) == 0) {
            return;
        }
        if (string_at(im, le32(im->data + at + name_at), name, sizeof name) != 0) {
            damaged(d, what, "a DLL name lies outside the file");
            return;
        }
        if (list_add(l, name) != 0) {
            damaged(d, what, "too many entries");
            return;
        }
    }
}

/* The headers: where the optional header and the section table are. */
static int read_headers(struct image *im, const unsigned char **opt, unsigned *opt_size, char *why,
                        size_t whycap)
{
    uint32_t lfanew;
    const unsigned char *nt;

    if (im->len < 64 || im->data[0] != 'M' || im->data[1] != 'Z') {
        snprintf(why, whycap, "not a PE file: no MZ header");
        return -1;
    }
    lfanew = le32(im->data + 0x3C);
    if (!have(im, lfanew, 4 + FILE_HEADER_SIZE) || memcmp(im->data + lfanew, "PE\0\0", 4) != 0) {
        snprintf(why, whycap, "not a PE file: no PE signature at e_lfanew 0x%lX",
                 (unsigned long)lfanew);
        return -1;
    }
    nt = im->data + lfanew + 4;
    im->sections = le16(nt + 2);
    *opt_size = le16(nt + 16);
    im->sections_at = (size_t)lfanew + 4 + FILE_HEADER_SIZE + *opt_size;
    if (*opt_size < 72 || !have(im, im->sections_at, (uint64_t)im->sections * SECTION_SIZE)) {
        snprintf(why, whycap, "truncated PE file: the optional header or the section table");
        return -1;
    }
    *opt = nt + FILE_HEADER_SIZE;
    im->headers = le32(*opt + 60);
    return 0;
}

int pe_dirs_parse(const void *data, size_t len, struct pe_dirs *d, char *why, size_t whycap)
{
    struct image im = {data, len, 0, 0, 0};
    const unsigned char *opt;
    unsigned opt_size, magic, dir_at;
    uint32_t ndirs;

    memset(d, 0, sizeof *d);
    if (read_headers(&im, &opt, &opt_size, why, whycap) != 0) {
        return -1;
    }
    magic = le16(opt);
    if (magic != 0x10b && magic != 0x20b) {
        snprintf(why, whycap, "not a PE image: optional header magic 0x%X", magic);
        return -1;
    }
    d->subsystem = le16(opt + 68);
    dir_at = magic == 0x20b ? 112 : 96;
    ndirs = 0;
    if (opt_size >= dir_at) {
        /* Only the directories the optional header really holds. */
        ndirs = le32(opt + dir_at - 4);
        if (ndirs > (opt_size - dir_at) / 8) {
            ndirs = (opt_size - dir_at) / 8;
        }
    }
    if (ndirs > DIR_EXPORT && le32(opt + dir_at + 8 * DIR_EXPORT) != 0) {
        read_exports(&im, le32(opt + dir_at + 8 * DIR_EXPORT), d);
    }
    if (ndirs > DIR_IMPORT && le32(opt + dir_at + 8 * DIR_IMPORT) != 0) {
        read_imports(&im, le32(opt + dir_at + 8 * DIR_IMPORT), IMPORT_DESC_SIZE, 12, &d->imports, d,
                     "import directory");
    }
    if (ndirs > DIR_DELAY_IMPORT && le32(opt + dir_at + 8 * DIR_DELAY_IMPORT) != 0) {
        read_imports(&im, le32(opt + dir_at + 8 * DIR_DELAY_IMPORT), DELAY_DESC_SIZE, 4,
                     &d->delay_imports, d, "delay-load directory");
    }
    return 0;
}

int pe_dirs_read(const char *path, struct pe_dirs *d, char *why, size_t whycap)
{
    char *buf = NULL, msg[512];
    size_t len = 0, skip = strlen(path) + 2;
    int rc;

    memset(d, 0, sizeof *d);
    /* Sized before it is read (readfile.h); its message starts with the
     * path, which the caller names itself. */
    if (readfile_load(path, FILE_MAX, "a DLL", &buf, &len, msg, sizeof msg) != 0) {
        snprintf(why, whycap, "%s", strlen(msg) >= skip ? msg + skip : msg);
        return -1;
    }
    rc = pe_dirs_parse(buf, len, d, why, whycap);
    free(buf);
    return rc;
}

static void list_free(struct pe_dir_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->names[i]);
    }
    free(l->names);
    l->names = NULL;
    l->count = 0;
}

void pe_dirs_free(struct pe_dirs *d)
{
    list_free(&d->exports);
    list_free(&d->imports);
    list_free(&d->delay_imports);
}

const char *pe_subsystem_name(unsigned subsystem)
{
    static const char *const names[] = {
        [1] = "native",
        [2] = "Windows GUI",
        [3] = "Windows console",
        [5] = "OS/2 console",
        [7] = "POSIX console",
        [8] = "native Win9x driver",
        [9] = "Windows CE GUI",
        [10] = "EFI application",
        [11] = "EFI boot service driver",
        [12] = "EFI runtime driver",
        [13] = "EFI ROM",
        [14] = "Xbox",
        [16] = "Windows boot application",
    };

    if (subsystem < sizeof names / sizeof names[0] && names[subsystem] != NULL) {
        return names[subsystem];
    }
    return "unknown";
}
