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

static void test_own_prefix_is_made_anew(void **state)
{
    char fix[600];

    (void)state;
    setenv("WINEPREFIX", "/home/me/.local/share/synchost/wine", 1);
    winstart_prefix_given(0);
    assert_int_equal(winstart_failure(lost_kernel32, strlen(lost_kernel32), fix, sizeof fix), 1);
    assert_non_null(strstr(fix, "synchost's own prefix /home/me/.local/share/synchost/wine"));
    assert_non_null(strstr(fix, "scripts/bootstrap --new-prefix"));
}

static void test_given_prefix_is_left_alone(void **state)
{
    char fix[600];

    (void)state;
    setenv("WINEPREFIX", "/srv/prefixes/mine", 1);
    winstart_prefix_given(1);
    assert_int_equal(winstart_failure(lost_kernel32, strlen(lost_kernel32), fix, sizeof fix), 1);
    assert_non_null(strstr(fix, "the prefix /srv/prefixes/mine"));
    assert_non_null(strstr(fix, "never makes anew"));
    assert_null(strstr(fix, "bootstrap"));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_prefix_is_made_anew),
        cmocka_unit_test(test_given_prefix_is_left_alone),
        cmocka_unit_test(test_unknown_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
