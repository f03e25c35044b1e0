/* report_written.c: what a report writer wrote, read back (report_written.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "report_written.h"

char *write_report(int (*fn)(const struct run_report *, const char *), const struct run_report *r)
{
    char path[] = "/tmp/synchost-test-report-XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    char *text;
    long n;

    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(fn(r, path), 0);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    text = calloc((size_t)n + 1, 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    unlink(path);
    return text;
}
