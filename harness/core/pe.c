/*
 * pe.c: the DOS and COFF file headers of a PE image (see pe.h).
 *
 * Layout per the PE Format page of Microsoft's documentation: the DOS
 * header's e_lfanew (offset 0x3C, 32 bits) gives the file offset of the
 * "PE\0\0" signature, which the 20-byte IMAGE_FILE_HEADER follows; Machine
 * is its first 16 bits and Characteristics its last. All little-endian.
 */
#include "pe.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DOS_HEADER_SIZE  64
#define E_LFANEW_OFFSET  0x3C
#define FILE_HEADER_SIZE 20
#define IMAGE_FILE_DLL   0x2000u

/* Reads n bytes at off into buf. Returns 0, 1 when the source ends before
 * off + n, or -1 on a read error (errno set). */
typedef int (*read_at_fn)(void *ctx, uint64_t off, unsigned char *buf, size_t n);

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

static int parse(read_at_fn read_at, void *ctx, struct pe_info *out, char *why, size_t whycap)
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
    rc = read_at(ctx, 0, dos, 2);
    if (rc < 0) {
        snprintf(why, whycap, "cannot read: %s", strerror(errno));
        return -1;
    }
    if (rc > 0 || dos[0] != 'M' || dos[1] != 'Z') {
        snprintf(why, whycap, "not a PE file: no MZ header");
        return -1;
    }
    rc = read_at(ctx, 0, dos, sizeof dos);
    if (rc < 0) {
        snprintf(why, whycap, "cannot read: %s", strerror(errno));
        return -1;
    }
    if (rc > 0) {
        snprintf(why, whycap, "not a PE file: truncated MZ header (shorter than %d bytes)",
                 DOS_HEADER_SIZE);
        return -1;
    }
    lfanew = le32(dos + E_LFANEW_OFFSET);
    rc = read_at(ctx, lfanew, nt, sizeof nt);
    if (rc < 0) {
        snprintf(why, whycap, "cannot read: %s", strerror(errno));
        return -1;
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
    return 0;
}

int pe_parse(const void *data, size_t len, struct pe_info *out, char *why, size_t whycap)
{
    struct memory_source m = {data, len};

    return parse(memory_read_at, &m, out, why, whycap);
}

int pe_read(const char *path, struct pe_info *out, char *why, size_t whycap)
{
    FILE *fp = fopen(path, "rb");
    int rc;

    if (fp == NULL) {
        memset(out, 0, sizeof *out);
        snprintf(why, whycap, "cannot open: %s", strerror(errno));
        return -1;
    }
    rc = parse(file_read_at, fp, out, why, whycap);
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
