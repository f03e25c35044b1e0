/* test_pe.c: the PE header reader, on crafted images written to temp files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pe.h"

#define LFANEW 0x80
#define IMAGE_SIZE (LFANEW + 24) /* signature + IMAGE_FILE_HEADER, nothing after */

/* A minimal image: MZ, e_lfanew = LFANEW, "PE\0\0", then the file header. */
static void make_image(unsigned char *img, unsigned machine, unsigned characteristics)
{
    memset(img, 0, IMAGE_SIZE);
    img[0] = 'M';
    img[1] = 'Z';
    img[0x3C] = LFANEW;
    memcpy(img + LFANEW, "PE\0\0", 4);
    img[LFANEW + 4] = (unsigned char)(machine & 0xFF);
    img[LFANEW + 5] = (unsigned char)(machine >> 8);
    img[LFANEW + 4 + 2] = 3; /* NumberOfSections: anything */
    img[LFANEW + 4 + 18] = (unsigned char)(characteristics & 0xFF);
    img[LFANEW + 4 + 19] = (unsigned char)(characteristics >> 8);
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

static void test_x64_dll(void **state)
{
    unsigned char img[IMAGE_SIZE];
    struct pe_info info;
    char why[256];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), 0);
    assert_int_equal(info.machine, PE_MACHINE_X64);
    assert_int_equal(info.machine_code, 0x8664);
    assert_true(info.is_dll);
    assert_string_equal(why, "");
    assert_string_equal(pe_machine_name(info.machine), "x64");
}

static void test_x86_dll(void **state)
{
    unsigned char img[IMAGE_SIZE];
    struct pe_info info;
    char why[256];

    (void)state;
    make_image(img, 0x014c, 0x2102);
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), 0);
    assert_int_equal(info.machine, PE_MACHINE_X86);
    assert_int_equal(info.machine_code, 0x014c);
    assert_true(info.is_dll);
    assert_string_equal(pe_machine_name(info.machine), "x86");
}

static void test_arm64_and_unknown_machines(void **state)
{
    unsigned char img[IMAGE_SIZE];
    struct pe_info info;
    char why[256];

    (void)state;
    make_image(img, 0xaa64, 0x2000);
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), 0);
    assert_int_equal(info.machine, PE_MACHINE_ARM64);
    assert_string_equal(pe_machine_name(info.machine), "arm64");
    make_image(img, 0x01c4, 0x2000); /* ARMNT: read, but not one we run */
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), 0);
    assert_int_equal(info.machine, PE_MACHINE_UNKNOWN);
    assert_int_equal(info.machine_code, 0x01c4);
    assert_string_equal(pe_machine_name(info.machine), "unknown");
    assert_string_equal(pe_machine_name((enum pe_machine)42), "unknown");
}

static void test_x64_exe_is_not_a_dll(void **state)
{
    unsigned char img[IMAGE_SIZE];
    struct pe_info info;
    char why[256];

    (void)state;
    make_image(img, 0x8664, 0x0022); /* EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE */
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), 0);
    assert_int_equal(info.machine, PE_MACHINE_X64);
    assert_false(info.is_dll);
}

static void test_no_mz(void **state)
{
    unsigned char img[IMAGE_SIZE];
    struct pe_info info;
    char why[256];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    img[0] = 'Z';
    img[1] = 'M';
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), -1);
    assert_string_equal(why, "not a PE file: no MZ header");
    assert_int_equal(READ_IMAGE((const unsigned char *)"this is not a DLL", 17, &info, why), -1);
    assert_string_equal(why, "not a PE file: no MZ header");
    assert_int_equal(READ_IMAGE(img, 0, &info, why), -1);
    assert_string_equal(why, "not a PE file: no MZ header");
    assert_int_equal(READ_IMAGE((const unsigned char *)"M", 1, &info, why), -1);
    assert_string_equal(why, "not a PE file: no MZ header");
}

static void test_truncated(void **state)
{
    unsigned char img[IMAGE_SIZE];
    struct pe_info info;
    char why[256];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    /* Inside the DOS header. */
    assert_int_equal(READ_IMAGE(img, 2, &info, why), -1);
    assert_string_equal(why, "not a PE file: truncated MZ header (shorter than 64 bytes)");
    assert_int_equal(READ_IMAGE(img, 63, &info, why), -1);
    assert_string_equal(why, "not a PE file: truncated MZ header (shorter than 64 bytes)");
    /* Inside the file header: one byte short of the whole. */
    assert_int_equal(READ_IMAGE(img, sizeof img - 1, &info, why), -1);
    assert_string_equal(why, "not a PE file: the PE header offset (e_lfanew 0x80) is past the "
                             "end of the file");
    /* Right after the DOS header, before the signature. */
    assert_int_equal(READ_IMAGE(img, 64, &info, why), -1);
    assert_string_equal(why, "not a PE file: the PE header offset (e_lfanew 0x80) is past the "
                             "end of the file");
}

static void test_bad_e_lfanew(void **state)
{
    unsigned char img[IMAGE_SIZE];
    struct pe_info info;
    char why[256];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    img[0x3C] = 0x00;
    img[0x3D] = 0x10; /* 0x1000: past the end */
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), -1);
    assert_string_equal(why, "not a PE file: the PE header offset (e_lfanew 0x1000) is past the "
                             "end of the file");
    memset(img + 0x3C, 0xFF, 4); /* 0xFFFFFFFF: offset + size overflows 32 bits */
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), -1);
    assert_string_equal(why, "not a PE file: the PE header offset (e_lfanew 0xFFFFFFFF) is past "
                             "the end of the file");
    /* Inside the file, but no signature there (it points into the DOS header). */
    memset(img + 0x3C, 0, 4);
    img[0x3C] = 0x10;
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), -1);
    assert_string_equal(why, "not a PE file: no PE signature at e_lfanew 0x10");
}

static void test_no_pe_signature(void **state)
{
    unsigned char img[IMAGE_SIZE];
    struct pe_info info;
    char why[256];

    (void)state;
    make_image(img, 0x8664, 0x2022);
    img[LFANEW + 2] = 'X'; /* "PEX\0" */
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), -1);
    assert_string_equal(why, "not a PE file: no PE signature at e_lfanew 0x80");
    make_image(img, 0x8664, 0x2022);
    memcpy(img + LFANEW, "NE\0\0", 4); /* a 16-bit Windows image */
    assert_int_equal(READ_IMAGE(img, sizeof img, &info, why), -1);
    assert_string_equal(why, "not a PE file: no PE signature at e_lfanew 0x80");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x64_dll),
        cmocka_unit_test(test_x86_dll),
        cmocka_unit_test(test_arm64_and_unknown_machines),
        cmocka_unit_test(test_x64_exe_is_not_a_dll),
        cmocka_unit_test(test_no_mz),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_bad_e_lfanew),
        cmocka_unit_test(test_no_pe_signature),
        cmocka_unit_test(test_cannot_open_or_read),
        cmocka_unit_test(test_small_why_buffer),
    };
    return cmocka_run_group_tests_name("pe", tests, NULL, NULL);
}
