/*
 * test_regex.c: the Windows build's regex matcher (win/regex.c), built here
 * under other names, gives glibc's answer for every pattern and name below:
 * whether the pattern compiles, and whether it matches.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

/* win/regex.c's functions, built with -Dregcomp=win_regcomp and so on. */
typedef struct {
    size_t re_nsub;
    void *re_impl;
} win_regex_t;
int win_regcomp(win_regex_t *re, const char *pattern, int cflags);
int win_regexec(const win_regex_t *re, const char *s, size_t nmatch, regmatch_t pmatch[],
                int eflags);
void win_regfree(win_regex_t *re);

static const char *const patterns[] = {
    "^fault-",
    "fault",
    "^fault-(malloc|session)$",
    "-only$",
    "^(on-demand|null)-",
    "a|b|",
    "^$",
    ".",
    "^.*$",
    "x*",
    "^(ab)*$",
    "^(a|ab)(c|bcd)(d*)$",
    "^a{2}$",
    "^a{2,}$",
    "^a{1,3}b",
    "^[a-c]+$",
    "^[^a-c]+$",
    "[[:digit:]]",
    "^[[:alpha:]-]+$",
    "\\.",
    "a\\|b",
    "^(a*)*$",
    "^(a?b?)+c$",
    "^(|x)y",
    "e{0}",
    "^[]a]+$",
    "^[a-]+$",
    "(repeat|overlap)$",
    "^[[:upper:]]",
    "o+n",
    "((a))",
    "a)",
    "^(a)b)$",
    "^(fault-(allocate-(buffer|more)))$",
};

static const char *const names[] = {
    "",
    "a",
    "ab",
    "abcd",
    "abd",
    "aa",
    "aaa",
    "aaaa",
    "b",
    "c",
    "abc",
    "x",
    "xy",
    "y",
    "fault-malloc",
    "fault-session",
    "fault-support",
    "on-demand",
    "on-demand-only",
    "null-psib",
    "repeat",
    "overlap",
    "download-contents",
    "a.b",
    "a|b",
    "]a",
    "a-",
    "d1",
    "Upload",
    "a)",
    "ab)",
    "fault-allocate-buffer",
    "fault-allocate-more",
    "e",
    "noon",
};

static void test_same_as_glibc(void **state)
{
    (void)state;
    for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
        regex_t libc;
        win_regex_t ours;
        int libc_rc = regcomp(&libc, patterns[p], REG_EXTENDED | REG_NOSUB);
        int ours_rc = win_regcomp(&ours, patterns[p], REG_EXTENDED | REG_NOSUB);

        if ((libc_rc == 0) != (ours_rc == 0)) {
            fail_msg("'%s': glibc's regcomp says %d, ours %d", patterns[p], libc_rc, ours_rc);
        }
        if (libc_rc != 0) {
            continue;
        }
        for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
            int want = regexec(&libc, names[n], 0, NULL, 0) == 0;
            int got = win_regexec(&ours, names[n], 0, NULL, 0) == 0;
            if (want != got) {
                fail_msg("'%s' on '%s': glibc %s, ours %s", patterns[p], names[n],
                         want ? "matches" : "does not", got ? "matches" : "does not");
            }
        }
        regfree(&libc);
        win_regfree(&ours);
    }
}

/* Patterns glibc refuses in extended syntax are refused too. */
static void test_bad_patterns(void **state)
{
    static const char *const bad[] = {"(", "[a", "a{2", "a{3,2}", "[b-a]", "a**{", "*a", "{1}"};

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        regex_t libc;
        win_regex_t ours;
        int libc_rc = regcomp(&libc, bad[i], REG_EXTENDED | REG_NOSUB);
        assert_int_not_equal(libc_rc, 0);
        assert_int_not_equal(win_regcomp(&ours, bad[i], REG_EXTENDED | REG_NOSUB), 0);
    }
}

#include "test_regex.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
