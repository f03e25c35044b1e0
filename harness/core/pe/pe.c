/*
 * pe.c: the DOS and COFF file headers of a PE image (see pe.h).
 *
 * Layout per the PE Format page of Microsoft's documentation: the DOS
 * header's e_lfanew (offset 0x3C, 32 bits) gives the file offset of the
 * "PE\0\0" signature, which the 20-byte IMAGE_FILE_HEADER follows; Machine
 * is its first 16 bits and Characteristics its last. All little-endian.
 *
 * Then, so that a damaged image is refused here rather than by Wine's loader
 * ("Bad EXE format for %1."), the layout is checked against the file's size:
 * the optional header (SizeOfOptionalHeader bytes; its SectionAlignment,
 * SizeOfImage and SizeOfHeaders sit at the same offsets in PE32 and PE32+),
 * the section table (40 bytes a section) and each section's raw data
 * (PointerToRawData + SizeOfRawData) must lie within the file, the latter
 * with the file's size rounded up to 512 bytes as Wine's loader allows; and
 * SizeOfImage must hold the headers and every section's VirtualAddress +
 * VirtualSize.
 */
#include "pe/pe.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DOS_HEADER_SIZE  64
#define E_LFANEW_OFFSET  0x3C
#define FILE_HEADER_SIZE 20
#define IMAGE_FILE_DLL   0x2000u
/* The optional header up to SizeOfHeaders, the last field read. */
#define OPT_HEADER_MIN      64
#define OPT_MAGIC_PE32      0x10bu
#define OPT_MAGIC_PE32_PLUS 0x20bu
#define OPT_SECTION_ALIGN   32
#define OPT_SIZE_OF_IMAGE   56
#define OPT_SIZE_OF_HEADERS 60
#define SECTION_HEADER_SIZE 40
#define RAW_ROUNDING        512u

/* Reads n bytes at off into buf. Returns 0, 1 when the source ends before
 * off + n, or -1 on a read error (errno set). */
typedef int (*read_at_fn)(void *ctx, uint64_t off, unsigned char *buf, size_t n);
/* The source's size in bytes, or -1 on an error (errno set). */
typedef int64_t (*size_fn)(void *ctx);

struct source {
    read_at_fn read_at;
    size_fn size;
    void *ctx;
};

struct memory_source {
    const unsigned char *data;
    size_t len;
};

static int memory_read_at(void *ctx, uint64_t off, unsigned char *buf, size_t n)
{
    const struct memory_source *m = ctx;

    if (off > m->len || n > m->len - off) {
        return 1;
    }
    memcpy(buf, m->data + off, n);
    return 0;
}

static int64_t memory_size(void *ctx)
{
    return (int64_t)((const struct memory_source *)ctx)->len;
}

static int64_t file_size(void *ctx)
{
    FILE *fp = ctx;
    long end;

    if (fseek(fp, 0, SEEK_END) != 0 || (end = ftell(fp)) < 0) {
        return -1;
    }
    return (int64_t)end;
}

static int file_read_at(void *ctx, uint64_t off, unsigned char *buf, size_t n)
{
    FILE *fp = ctx;

    /* fseek takes a long; an offset beyond it cannot be inside the file. */
    if (off > (uint64_t)LONG_MAX) {
        return 1;
    }
    if (fseek(fp, (long)off, SEEK_SET) != 0) {
        return -1;
    }
    if (fread(buf, 1, n, fp) != n) {
        return ferror(fp) ? -1 : 1;
    }
    return 0;
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static enum pe_machine machine_from_code(unsigned code)
{
    switch (code) {
    case 0x014c:
        return PE_MACHINE_X86;
    case 0x8664:
        return PE_MACHINE_X64;
    case 0xaa64:
        return PE_MACHINE_ARM64;
    default:
        return PE_MACHINE_UNKNOWN;
    }
}

static int read_failed(char *why, size_t whycap)
{
    snprintf(why, whycap, "cannot read: %s", strerror(errno));
    return -1;
}

/* Section n's header (at table + 40 n) against the file and the image. */
static int check_section(const struct source *src, uint64_t table, unsigned n, uint64_t file,
                         uint64_t image, char *why, size_t whycap)
{
    unsigned char sh[SECTION_HEADER_SIZE];
    char name[9];
    uint64_t raw_limit = (file + RAW_ROUNDING - 1) / RAW_ROUNDING * RAW_ROUNDING;
    uint64_t vsize, vaddr, raw_size, raw_at;
    int rc = src->read_at(src->ctx, table + (uint64_t)n * SECTION_HEADER_SIZE, sh, sizeof sh);

    if (rc != 0) {
        return rc < 0 ? read_failed(why, whycap) : -1;
    }
    for (size_t i = 0; i < 8; i++) {
        /* Printable, for the message. */
        name[i] = sh[i] >= 0x20 && sh[i] < 0x7f ? (char)sh[i] : sh[i] == 0 ? '\0' : '?';
    }
    name[8] = '\0';
    vsize = le32(sh + 8);
    vaddr = le32(sh + 12);
    raw_size = le32(sh + 16);
    raw_at = le32(sh + 20);
    if (raw_size > 0 && (raw_at >= file || raw_at + raw_size > raw_limit)) {
        snprintf(why, whycap,
                 "truncated PE file: section %u ('%s') has its data at 0x%llX to 0x%llX, past "
                 "the end of the file (%llu bytes)",
                 n + 1, name, (unsigned long long)raw_at, (unsigned long long)(raw_at + raw_size),
                 (unsigned long long)file);
        return -1;
    }
    if (vsize == 0) {
        vsize = raw_size; /* what old linkers leave for the loader to use */
    }
    if (vaddr + vsize > image) {
        snprintf(why, whycap,
                 "bad PE file: section %u ('%s') ends at 0x%llX in memory, past SizeOfImage "
                 "0x%llX",
                 n + 1, name, (unsigned long long)(vaddr + vsize), (unsigned long long)image);
        return -1;
    }
    return 0;
}

/* The optional header and the section table against the file's size; nt is
 * the signature and file header, at lfanew. */
static int check_layout(const struct source *src, uint64_t lfanew, const unsigned char *nt,
                        char *why, size_t whycap)
{
    unsigned char opt[OPT_HEADER_MIN];
    unsigned sections = le16(nt + 4 + 2), opt_size = le16(nt + 4 + 16), magic;
    uint64_t opt_at = lfanew + 4 + FILE_HEADER_SIZE, table = opt_at + opt_size;
    uint64_t table_end = table + (uint64_t)sections * SECTION_HEADER_SIZE;
    uint64_t image, headers, align;
    int64_t size = src->size(src->ctx);

    if (size < 0) {
        return read_failed(why, whycap);
    }
    if (opt_size < OPT_HEADER_MIN) {
        snprintf(why, whycap, "not a PE image: the optional header is %u bytes (at least %d)",
                 opt_size, OPT_HEADER_MIN);
        return -1;
    }
    if (table_end > (uint64_t)size) {
        snprintf(why, whycap,
                 "truncated PE file: the headers and the table of %u sections end at 0x%llX, "
                 "past the end of the file (%lld bytes)",
                 sections, (unsigned long long)table_end, (long long)size);
        return -1;
    }
    if (src->read_at(src->ctx, opt_at, opt, sizeof opt) != 0) {
        return read_failed(why, whycap);
    }
    magic = le16(opt);
    if (magic != OPT_MAGIC_PE32 && magic != OPT_MAGIC_PE32_PLUS) {
        snprintf(why, whycap, "not a PE image: optional header magic 0x%X (not PE32 or PE32+)",
                 magic);
        return -1;
    }
    align = le32(opt + OPT_SECTION_ALIGN);
    image = le32(opt + OPT_SIZE_OF_IMAGE);
    headers = le32(opt + OPT_SIZE_OF_HEADERS);
    if (headers > (uint64_t)size) {
        snprintf(why, whycap,
                 "truncated PE file: SizeOfHeaders is 0x%llX, past the end of the file "
                 "(%lld bytes)",
                 (unsigned long long)headers, (long long)size);
        return -1;
    }
    if (image == 0 || image < headers || image < table_end) {
        snprintf(why, whycap,
                 "bad PE file: SizeOfImage 0x%llX does not hold the headers (0x%llX bytes)",
                 (unsigned long long)image,
                 (unsigned long long)(headers > table_end ? headers : table_end));
        return -1;
    }
    /* The loader maps whole pages (or sections, when larger). */
    align = align > 0x1000 ? align : 0x1000;
    image = (image + align - 1) / align * align;
    for (unsigned n = 0; n < sections; n++) {
        if (check_section(src, table, n, (uint64_t)size, image, why, whycap) != 0) {
            return -1;
        }
    }
    return 0;
}

static int parse(const struct source *src, struct pe_info *out, char *why, size_t whycap)
{
    unsigned char dos[DOS_HEADER_SIZE];
    unsigned char nt[4 + FILE_HEADER_SIZE];
    uint32_t lfanew;
    unsigned code;
    int rc;

    memset(out, 0, sizeof *out);
    out->machine = PE_MACHINE_UNKNOWN;
    if (whycap > 0) {
        why[0] = '\0';
    }
    rc = src->read_at(src->ctx, 0, dos, 2);
    if (rc < 0) {
        return read_failed(why, whycap);
    }
    if (rc > 0 || dos[0] != 'M' || dos[1] != 'Z') {
        snprintf(why, whycap, "not a PE file: no MZ header");
        return -1;
    }
    rc = src->read_at(src->ctx, 0, dos, sizeof dos);
    if (rc < 0) {
        return read_failed(why, whycap);
    }
    if (rc > 0) {
        snprintf(why, whycap, "not a PE file: truncated MZ header (shorter than %d bytes)",
                 DOS_HEADER_SIZE);
        return -1;
    }
    lfanew = le32(dos + E_LFANEW_OFFSET);
    rc = src->read_at(src->ctx, lfanew, nt, sizeof nt);
    if (rc < 0) {
        return read_failed(why, whycap);
    }
    if (rc > 0) {
        snprintf(why, whycap,
                 "not a PE file: the PE header offset (e_lfanew 0x%lX) is past the end of the file",
                 (unsigned long)lfanew);
        return -1;
    }
    if (memcmp(nt, "PE\0\0", 4) != 0) {
        snprintf(why, whycap, "not a PE file: no PE signature at e_lfanew 0x%lX",
                 (unsigned long)lfanew);
        return -1;
    }
    code = le16(nt + 4);
    out->machine_code = (unsigned short)code;
    out->machine = machine_from_code(code);
    out->is_dll = (le16(nt + 4 + FILE_HEADER_SIZE - 2) & IMAGE_FILE_DLL) != 0;
    return check_layout(src, lfanew, nt, why, whycap);
}

int pe_parse(const void *data, size_t len, struct pe_info *out, char *why, size_t whycap)
{
    struct memory_source m = {data, len};
    struct source src = {memory_read_at, memory_size, &m};

    return parse(&src, out, why, whycap);
}

int pe_read(const char *path, struct pe_info *out, char *why, size_t whycap)
{
    FILE *fp = fopen(path, "rb");
    struct source src = {file_read_at, file_size, NULL};
    int rc;

    if (fp == NULL) {
        memset(out, 0, sizeof *out);
        snprintf(why, whycap, "cannot open: %s", strerror(errno));
        return -1;
    }
    src.ctx = fp;
    rc = parse(&src, out, why, whycap);
    fclose(fp);
    return rc;
}

const char *pe_machine_name(enum pe_machine machine)
{
    switch (machine) {
    case PE_MACHINE_X86:
        return "x86";
    case PE_MACHINE_X64:
        return "x64";
    case PE_MACHINE_ARM64:
        return "arm64";
    case PE_MACHINE_UNKNOWN:
        break;
    }
    return "unknown";
}
