/* test_pe.c: the PE header reader, on crafted images written to temp files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pe/pe.h"
#include "pe_bytes.h"

#define LFANEW     0x80
#define OPT_AT     (LFANEW + 24) /* after the signature and IMAGE_FILE_HEADER */
#define OPT_SIZE   240           /* PE32+ with 16 data directories */
#define TABLE_AT   (OPT_AT + OPT_SIZE)
#define SECTIONS   2
#define HEADERS    0x200             /* SizeOfHeaders: the table ends at 0x1D8 */
#define IMAGE_SIZE (HEADERS + 0x400) /* two sections of 0x200 raw bytes */

/* A minimal image: MZ, e_lfanew = LFANEW, "PE\0\0", the file header, a
 * PE32+ optional header, and two sections (.text at 0x1000, .data at 0x2000,
 * 0x200 raw bytes each). SizeOfImage 0x3000. */
static void make_image(unsigned char *img, unsigned machine, unsigned characteristics)
{
    static const char *const names[SECTIONS] = {".text", ".data"};

    memset(img, 0, IMAGE_SIZE);
    img[0] = 'M';
    img[1] = 'Z';
    img[0x3C] = LFANEW;
    memcpy(img + LFANEW, "PE\0\0", 4);
    put16(img + LFANEW + 4, machine);
    put16(img + LFANEW + 4 + 2, SECTIONS);
    put16(img + LFANEW + 4 + 16, OPT_SIZE);
    put16(img + LFANEW + 4 + 18, characteristics);
    put16(img + OPT_AT, 0x20b);        /* PE32+ */
    put32(img + OPT_AT + 32, 0x1000);  /* SectionAlignment */
    put32(img + OPT_AT + 36, 0x200);   /* FileAlignment */
    put32(img + OPT_AT + 56, 0x3000);  /* SizeOfImage */
    put32(img + OPT_AT + 60, HEADERS); /* SizeOfHeaders */
    for (unsigned i = 0; i < SECTIONS; i++) {
        unsigned char *sh = img + TABLE_AT + 40 * i;
        memcpy(sh, names[i], strlen(names[i]));
        put32(sh + 8, 0x100);                /* VirtualSize */
        put32(sh + 12, 0x1000 * (i + 1));    /* VirtualAddress */
        put32(sh + 16, 0x200);               /* SizeOfRawData */
        put32(sh + 20, HEADERS + 0x200 * i); /* PointerToRawData */
    }
}

/* Writes len bytes to a new temp file; the path goes into path (free with remove). */
static void write_temp(const unsigned char *data, size_t len, char *path, size_t cap,
                       const char *file, int line)
{
    int fd;

    snprintf(path, cap, "/tmp/synchost-test-pe-XXXXXX");
    fd = mkstemp(path);
    _assert_true(fd >= 0, "mkstemp", file, line);
    if (len > 0) {
        _assert_int_equal((size_t)write(fd, data, len), len, file, line);
    }
    close(fd);
}

/* Reads the image both from a file and from memory; both must agree. */
static int read_image(const unsigned char *data, size_t len, struct pe_info *info, char *why,
                      size_t whycap, const char *file, int line)
{
    char path[64], why2[256];
    struct pe_info info2;
    int rc, rc2;

    write_temp(data, len, path, sizeof path, file, line);
    rc = pe_read(path, info, why, whycap);
    remove(path);
    rc2 = pe_parse(data, len, &info2, why2, sizeof why2);
    _assert_int_equal(rc, rc2, file, line);
    _assert_string_equal(why, why2, file, line);
    if (rc == 0) {
        _assert_int_equal(info->machine, info2.machine, file, line);
        _assert_int_equal(info->machine_code, info2.machine_code, file, line);
        _assert_int_equal(info->is_dll, info2.is_dll, file, line);
    }
    return rc;
}
#define READ_IMAGE(data, len, info, why) \
    read_image((data), (len), (info), (why), sizeof(why), __FILE__, __LINE__)

/* Reads the image both ways; it must be refused, for the reason expected. */
static void refused(const unsigned char *data, size_t len, const char *expected, const char *file,
                    int line)
{
    struct pe_info info;
    char why[256];

    _assert_int_equal(read_image(data, len, &info, why, sizeof why, file, line), -1, file, line);
    _assert_string_equal(why, expected, file, line);
}
#define REFUSED(data, len, expected) refused((data), (len), (expected), __FILE__, __LINE__)

/* Images that read: the machine, its name, and whether it is a DLL. */
static void test_machines(void **state)
{
    static const struct {
        unsigned code, characteristics;
        enum pe_machine machine;
        bool is_dll;
        const char *name;
    } cases[] = {
        {0x8664, 0x2022, PE_MACHINE_X64, true, "x64"},
        {0x014c, 0x2102, PE_MACHINE_X86, true, "x86"},
        {0xaa64, 0x2000, PE_MACHINE_ARM64, true, "arm64"},
        {0x01c4, 0x2000, PE_MACHINE_UNKNOWN, true, "unknown"}, /* ARMNT: read, not one we run */
        {0x8664, 0x0022, PE_MACHINE_X64, false, "x64"}, /* EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE */
    };
    unsigned char img[IMAGE_SIZE];
    struct pe_info info;
    char why[256];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        make_image(img, cases[i].code, cases[i].characteristics);
        if (READ_IMAGE(img, sizeof img, &info, why) != 0 || info.machine != cases[i].machine ||
            (info.is_dll != 0) != cases[i].is_dll) {
            fail_msg("case %zu: machine 0x%04x, characteristics 0x%04x read as machine %d, dll %d "
                     "(%s)", i, cases[i].code, cases[i].characteristics, (int)info.machine,
                     info.is_dll, why);
        }
        assert_int_equal(info.machine_code, cases[i].code);
        assert_string_equal(why, "");
        assert_string_equal(pe_machine_name(info.machine), cases[i].name);
    }
    assert_string_equal(pe_machine_name((enum pe_machine)42), "unknown");
}

static void test_no_mz(void **state)
{
    unsigned char img[IMAGE_SIZE];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    img[0] = 'Z';
    img[1] = 'M';
    REFUSED(img, sizeof img, "not a PE file: no MZ header");
    REFUSED((const unsigned char *)"this is not a DLL", 17, "not a PE file: no MZ header");
    REFUSED(img, 0, "not a PE file: no MZ header");
    REFUSED((const unsigned char *)"M", 1, "not a PE file: no MZ header");
}

static void test_truncated(void **state)
{
    unsigned char img[IMAGE_SIZE];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    /* Inside the DOS header. */
    REFUSED(img, 2, "not a PE file: truncated MZ header (shorter than 64 bytes)");
    REFUSED(img, 63, "not a PE file: truncated MZ header (shorter than 64 bytes)");
    /* Inside the file header: one byte short of it. */
    REFUSED(img, OPT_AT - 1,
            "not a PE file: the PE header offset (e_lfanew 0x80) is past the end of the file");
    /* Right after the DOS header, before the signature. */
    REFUSED(img, 64,
            "not a PE file: the PE header offset (e_lfanew 0x80) is past the end of the file");
}

/* Cut anywhere after the file header: refused here, not by Wine's loader
 * ("Bad EXE format for %1."). */
static void test_truncated_image(void **state)
{
    unsigned char img[IMAGE_SIZE];
    struct pe_info info;
    char why[256];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    /* Right after the file header, and inside the optional header. */
    assert_int_equal(READ_IMAGE(img, OPT_AT, &info, why), -1);
    assert_string_equal(why, "truncated PE file: the headers and the table of 2 sections end at "
                             "0x1D8, past the end of the file (152 bytes)");
    /* The machine was read before the problem. */
    assert_int_equal(info.machine, PE_MACHINE_X64);
    REFUSED(img, OPT_AT + 100,
            "truncated PE file: the headers and the table of 2 sections end at 0x1D8, past the end "
            "of the file (252 bytes)");
    /* Inside the section table. */
    REFUSED(img, TABLE_AT + 60,
            "truncated PE file: the headers and the table of 2 sections end at 0x1D8, past the end "
            "of the file (452 bytes)");
    /* Inside the headers' padding. */
    REFUSED(img, 0x1F0,
            "truncated PE file: SizeOfHeaders is 0x200, past the end of the file (496 bytes)");
    /* Inside the last section's data, beyond the 512-byte rounding. */
    REFUSED(img, 0x400,
            "truncated PE file: section 2 ('.data') has its data at 0x400 to 0x600, past the end "
            "of the file (1024 bytes)");
    /* Short of a whole last sector is what Wine still loads. */
    assert_int_equal(READ_IMAGE(img, 0x401, &info, why), 0);
    assert_int_equal(READ_IMAGE(img, 0x5FF, &info, why), 0);
}

/* Headers that no loader accepts, whatever the file's size. */
static void test_nonsense_headers(void **state)
{
    unsigned char img[IMAGE_SIZE];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    put16(img + LFANEW + 4 + 16, 0); /* no optional header */
    REFUSED(img, sizeof img, "not a PE image: the optional header is 0 bytes (at least 64)");
    make_image(img, 0x8664, 0x2022);
    put16(img + OPT_AT, 0x107); /* a ROM image */
    REFUSED(img, sizeof img, "not a PE image: optional header magic 0x107 (not PE32 or PE32+)");
    make_image(img, 0x8664, 0x2022);
    put32(img + OPT_AT + 56, 0); /* SizeOfImage */
    REFUSED(img, sizeof img,
            "bad PE file: SizeOfImage 0x0 does not hold the headers (0x200 bytes)");
    make_image(img, 0x8664, 0x2022);
    put32(img + OPT_AT + 56, 0x1800); /* .data at 0x2000 lies beyond it */
    REFUSED(img, sizeof img,
            "bad PE file: section 2 ('.data') ends at 0x2100 in memory, past SizeOfImage 0x2000");
    make_image(img, 0x8664, 0x2022);
    put32(img + TABLE_AT + 20, 0xFFFFFF00u); /* PointerToRawData of .text */
    REFUSED(img, sizeof img,
            "truncated PE file: section 1 ('.text') has its data at 0xFFFFFF00 to 0x100000100, "
            "past the end of the file (1536 bytes)");
    make_image(img, 0x8664, 0x2022);
    put16(img + LFANEW + 4 + 2, 0xFFFF); /* NumberOfSections */
    REFUSED(img, sizeof img,
            "truncated PE file: the headers and the table of 65535 sections end at 0x280160, past "
            "the end of the file (1536 bytes)");
}

static void test_bad_e_lfanew(void **state)
{
    unsigned char img[IMAGE_SIZE];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    img[0x3C] = 0x00;
    img[0x3D] = 0x10; /* 0x1000: past the end */
    REFUSED(img, sizeof img,
            "not a PE file: the PE header offset (e_lfanew 0x1000) is past the end of the file");
    memset(img + 0x3C, 0xFF, 4); /* 0xFFFFFFFF: offset + size overflows 32 bits */
    REFUSED(
        img, sizeof img,
        "not a PE file: the PE header offset (e_lfanew 0xFFFFFFFF) is past the end of the file");
    /* Inside the file, but no signature there (it points into the DOS header). */
    memset(img + 0x3C, 0, 4);
    img[0x3C] = 0x10;
    REFUSED(img, sizeof img, "not a PE file: no PE signature at e_lfanew 0x10");
}

static void test_no_pe_signature(void **state)
{
    unsigned char img[IMAGE_SIZE];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    img[LFANEW + 2] = 'X'; /* "PEX\0" */
    REFUSED(img, sizeof img, "not a PE file: no PE signature at e_lfanew 0x80");
    make_image(img, 0x8664, 0x2022);
    memcpy(img + LFANEW, "NE\0\0", 4); /* a 16-bit Windows image */
    REFUSED(img, sizeof img, "not a PE file: no PE signature at e_lfanew 0x80");
}

static void test_cannot_open_or_read(void **state)
{
    struct pe_info info;
    char why[256];

    (void)state;
    assert_int_equal(pe_read("/nonexistent/provider.dll", &info, why, sizeof why), -1);
    assert_string_equal(why, "cannot open: No such file or directory");
    assert_int_equal(pe_read("/tmp", &info, why, sizeof why), -1);
    assert_string_equal(why, "cannot read: Is a directory");
}

static void test_small_why_buffer(void **state)
{
    struct pe_info info;
    char why[8];

    (void)state;
    memset(why, '#', sizeof why);
    assert_int_equal(pe_parse("xx", 2, &info, why, 5), -1);
    assert_string_equal(why, "not ");
    assert_int_equal(why[5], '#');
    assert_int_equal(pe_parse("xx", 2, &info, NULL, 0), -1);
}

#include "test_pe.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests_name("pe", tests, NULL, NULL);
}
