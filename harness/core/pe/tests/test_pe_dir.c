/* test_pe_dir.c: the subsystem, export and import lists of crafted images. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pe/pe_dir.h"
#include "pe_bytes.h"

#define LFANEW    0x80
#define OPT_AT    (LFANEW + 24)
#define OPT_SIZE  240 /* PE32+ with 16 data directories */
#define TABLE_AT  (OPT_AT + OPT_SIZE)
#define DIRS_AT   (OPT_AT + 112)
#define HEADERS   0x200
#define RDATA_VA  0x2000u
#define RDATA_RAW 0x400u /* its file offset; 0x400 raw bytes */
#define FILE_SIZE (RDATA_RAW + 0x400)

/* The file bytes at an RVA of .rdata. */
static unsigned char *at(unsigned char *img, uint32_t rva)
{
    return img + RDATA_RAW + (rva - RDATA_VA);
}

static void put_str(unsigned char *img, uint32_t rva, const char *s)
{
    memcpy(at(img, rva), s, strlen(s) + 1);
}

static void set_dir(unsigned char *img, unsigned index, uint32_t rva, uint32_t size)
{
    put32(img + DIRS_AT + 8 * index, rva);
    put32(img + DIRS_AT + 8 * index + 4, size);
}

/* A PE32+ DLL, subsystem Windows GUI: .text (VA 0x1000) and .rdata (VA
 * 0x2000) holding an export table of 3 functions, 2 of them named, an import
 * table of two DLLs and a delay-load table of one. */
static void make_image(unsigned char *img)
{
    memset(img, 0, FILE_SIZE);
    img[0] = 'M';
    img[1] = 'Z';
    img[0x3C] = LFANEW;
    memcpy(img + LFANEW, "PE\0\0", 4);
    put16(img + LFANEW + 4, 0x8664);
    put16(img + LFANEW + 4 + 2, 2);
    put16(img + LFANEW + 4 + 16, OPT_SIZE);
    put16(img + LFANEW + 4 + 18, 0x2022);
    put16(img + OPT_AT, 0x20b);
    put32(img + OPT_AT + 56, 0x3000);  /* SizeOfImage */
    put32(img + OPT_AT + 60, HEADERS); /* SizeOfHeaders */
    put16(img + OPT_AT + 68, 2);       /* Subsystem */
    put32(img + DIRS_AT - 4, 16);      /* NumberOfRvaAndSizes */
    for (unsigned i = 0; i < 2; i++) {
        unsigned char *sh = img + TABLE_AT + 40 * i;
        memcpy(sh, i == 0 ? ".text" : ".rdata", i == 0 ? 5 : 6);
        put32(sh + 8, i == 0 ? 0x100 : 0x400);
        put32(sh + 12, 0x1000 * (i + 1));
        put32(sh + 16, i == 0 ? 0x200 : 0x400);
        put32(sh + 20, i == 0 ? HEADERS : RDATA_RAW);
    }
    /* Exports. */
    set_dir(img, 0, 0x2000, 40);
    put32(at(img, 0x2000) + 20, 3);
    put32(at(img, 0x2000) + 24, 2);
    put32(at(img, 0x2000) + 32, 0x2040);
    put32(at(img, 0x2040), 0x2080);
    put32(at(img, 0x2044), 0x2090);
    put_str(img, 0x2080, "MSProviderInit");
    put_str(img, 0x2090, "synchost_extra");
    /* Imports: two descriptors and the zeroed one. */
    set_dir(img, 1, 0x2100, 60);
    put32(at(img, 0x2100) + 12, 0x2180);
    put32(at(img, 0x2114) + 12, 0x2190);
    put_str(img, 0x2180, "KERNEL32.dll");
    put_str(img, 0x2190, "synchost-missing.dll");
    /* Delay-load: one descriptor and the zeroed one. */
    set_dir(img, 13, 0x2200, 64);
    put32(at(img, 0x2200), 1);
    put32(at(img, 0x2200) + 4, 0x2240);
    put_str(img, 0x2240, "delayed.dll");
}

static void test_lists(void **state)
{
    static unsigned char img[FILE_SIZE];
    struct pe_dirs d;
    char why[256] = "";

    (void)state;
    make_image(img);
    assert_int_equal(pe_dirs_parse(img, sizeof img, &d, why, sizeof why), 0);
    assert_int_equal(d.subsystem, 2);
    assert_string_equal(pe_subsystem_name(d.subsystem), "Windows GUI");
    assert_int_equal(d.export_functions, 3);
    assert_int_equal(d.exports.count, 2);
    assert_string_equal(d.exports.names[0], "MSProviderInit");
    assert_string_equal(d.exports.names[1], "synchost_extra");
    assert_int_equal(d.imports.count, 2);
    assert_string_equal(d.imports.names[0], "KERNEL32.dll");
    assert_string_equal(d.imports.names[1], "synchost-missing.dll");
    assert_int_equal(d.delay_imports.count, 1);
    assert_string_equal(d.delay_imports.names[0], "delayed.dll");
    assert_string_equal(d.damaged, "");
    pe_dirs_free(&d);
}

static void test_read_file_agrees(void **state)
{
    static unsigned char img[FILE_SIZE];
    char path[] = "/tmp/synchost-test-pe-dir-XXXXXX", why[256];
    struct pe_dirs d;
    int fd;

    (void)state;
    make_image(img);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, img, sizeof img), (ssize_t)sizeof img);
    close(fd);
    assert_int_equal(pe_dirs_read(path, &d, why, sizeof why), 0);
    remove(path);
    assert_int_equal(d.imports.count, 2);
    assert_string_equal(d.imports.names[1], "synchost-missing.dll");
    pe_dirs_free(&d);
    assert_int_equal(pe_dirs_read(path, &d, why, sizeof why), -1);
    assert_string_equal(why, "cannot read: No such file or directory");
    pe_dirs_free(&d);
}

static void test_not_pe(void **state)
{
    static unsigned char img[FILE_SIZE];
    struct pe_dirs d;
    char why[256];

    (void)state;
    assert_int_equal(pe_dirs_parse("not a DLL", 9, &d, why, sizeof why), -1);
    assert_string_equal(why, "not a PE file: no MZ header");
    make_image(img);
    memcpy(img + LFANEW, "NE\0\0", 4);
    assert_int_equal(pe_dirs_parse(img, sizeof img, &d, why, sizeof why), -1);
    assert_string_equal(why, "not a PE file: no PE signature at e_lfanew 0x80");
    make_image(img);
    assert_int_equal(pe_dirs_parse(img, TABLE_AT + 40, &d, why, sizeof why), -1);
    assert_string_equal(why, "truncated PE file: the optional header or the section table");
}

/* A damaged directory cuts its own list short, with the reason; the others
 * are still read. */
static void test_damaged_directories(void **state)
{
    static unsigned char img[FILE_SIZE];
    struct pe_dirs d;
    char why[256];

    (void)state;
    make_image(img);
    put32(at(img, 0x2114) + 12, 0x9000); /* the second DLL's name: outside every section */
    assert_int_equal(pe_dirs_parse(img, sizeof img, &d, why, sizeof why), 0);
    assert_int_equal(d.imports.count, 1);
    assert_string_equal(d.damaged, "import directory: a DLL name lies outside the file");
    assert_int_equal(d.exports.count, 2);
    assert_int_equal(d.delay_imports.count, 1);
    pe_dirs_free(&d);

    make_image(img);
    set_dir(img, 1, 0x23F0, 20); /* 16 bytes before .rdata's raw data ends */
    memset(at(img, 0x23F0), 0xAA, 16);
    assert_int_equal(pe_dirs_parse(img, sizeof img, &d, why, sizeof why), 0);
    assert_int_equal(d.imports.count, 0);
    assert_string_equal(d.damaged,
                        "import directory: it runs past the file without its closing entry");
    pe_dirs_free(&d);

    make_image(img);
    memset(at(img, 0x2240), 'x', 0x1C0); /* the name runs to the end of the file */
    assert_int_equal(pe_dirs_parse(img, sizeof img, &d, why, sizeof why), 0);
    assert_int_equal(d.delay_imports.count, 0);
    assert_string_equal(d.damaged, "delay-load directory: a DLL name lies outside the file");
    pe_dirs_free(&d);

    make_image(img);
    put32(at(img, 0x2000) + 24, 0x7fffffff); /* four names a byte, past the file */
    assert_int_equal(pe_dirs_parse(img, sizeof img, &d, why, sizeof why), 0);
    assert_int_equal(d.exports.count, 0);
    assert_string_equal(d.damaged, "export directory: its name table lies outside the file");
    assert_int_equal(d.imports.count, 2);
    pe_dirs_free(&d);
}

/* Only the directories NumberOfRvaAndSizes counts are read. */
static void test_directory_count(void **state)
{
    static unsigned char img[FILE_SIZE];
    struct pe_dirs d;
    char why[256];

    (void)state;
    make_image(img);
    put32(img + DIRS_AT - 4, 2);
    assert_int_equal(pe_dirs_parse(img, sizeof img, &d, why, sizeof why), 0);
    assert_int_equal(d.imports.count, 2);
    assert_int_equal(d.delay_imports.count, 0);
    pe_dirs_free(&d);
    put32(img + DIRS_AT - 4, 0xFFFFFFFF); /* capped at what the header holds */
    assert_int_equal(pe_dirs_parse(img, sizeof img, &d, why, sizeof why), 0);
    assert_int_equal(d.delay_imports.count, 1);
    pe_dirs_free(&d);
}

static void test_subsystem_names(void **state)
{
    (void)state;
    assert_string_equal(pe_subsystem_name(3), "Windows console");
    assert_string_equal(pe_subsystem_name(10), "EFI application");
    assert_string_equal(pe_subsystem_name(0), "unknown");
    assert_string_equal(pe_subsystem_name(4), "unknown");
    assert_string_equal(pe_subsystem_name(999), "unknown");
}

#include "test_pe_dir.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
