/* report_written.c: what a report writer wrote, read back (report_written.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

void two_scenarios_init(struct scenario sc[2], struct scenario_result res[2], struct violation *v,
                        char *const names[2], char *const files[2], const char *message)
{
    for (int i = 0; i < 2; i++) {
        sc[i].name = names[i];
        sc[i].file = files[i];
        res[i].sc = &sc[i];
        trace_init(&res[i].trace);
    }
    snprintf(v->rule, sizeof v->rule, "progress-text-valid");
    v->level = RULE_RECOMMENDED;
    snprintf(v->message, sizeof v->message, "%s", message);
    v->event = 7;
}
