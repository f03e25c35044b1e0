/* test_winstart.c: the cure a failed worker start is given (winstart.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "winstart.h"

/* What Wine printed in a prefix made before wine32 was installed. */
static const char lost_kernel32[] =
    "wine: could not load kernel32.dll, status c0000135\n";

/* The cure names the prefix, and the way to make it anew only where the
 * prefix is synchost's own: one given by the user is never made anew. */
static void test_lost_kernel32_cure(void **state)
{
    static const struct {
        const char *prefix;
        int given;
        const char *says[2];
        const char *never_says;
    } cases[] = {
        {"/home/me/.local/share/synchost/wine",
         0,
         {"synchost's own prefix /home/me/.local/share/synchost/wine",
          "scripts/bootstrap --new-prefix"},
         NULL},
        {"/srv/prefixes/mine",
         1,
         {"the prefix /srv/prefixes/mine", "never makes anew"},
         "bootstrap"},
    };
    char fix[600];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv("WINEPREFIX", cases[i].prefix, 1);
        winstart_prefix_given(cases[i].given);
        assert_int_equal(winstart_failure(lost_kernel32, strlen(lost_kernel32), fix, sizeof fix),
                         1);
        for (size_t k = 0; k < 2; k++) {
            if (strstr(fix, cases[i].says[k]) == NULL) {
                fail_msg("the cure for %s does not say \"%s\":\n%s", cases[i].prefix,
                         cases[i].says[k], fix);
            }
        }
        if (cases[i].never_says != NULL && strstr(fix, cases[i].never_says) != NULL) {
            fail_msg("the cure for %s says \"%s\":\n%s", cases[i].prefix, cases[i].never_says, fix);
        }
    }
}

/* Only a failure whose cure is known gets one; the text is not assumed to
 * end with a NUL, and a needle cut by the end is not found. */
static void test_unknown_failure(void **state)
{
    char fix[600] = "untouched";
    static const char other[] = "wine: Unhandled page fault\n";

    (void)state;
    assert_int_equal(winstart_failure(other, strlen(other), fix, sizeof fix), 0);
    assert_string_equal(fix, "untouched");
    assert_int_equal(winstart_failure(lost_kernel32, 20, fix, sizeof fix), 0);
    assert_int_equal(winstart_failure(NULL, 0, fix, sizeof fix), 0);
}

#include "test_winstart.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
