/* win/winstart.c: why a worker did not start, on Windows (winstart.h). The
 * failures whose cure is known are Wine's; a worker started directly has
 * none of them, and its own message says what failed. */
#include "winstart.h"

void winstart_prefix_given(int given)
{
    (void)given;
}

int winstart_failure(const char *err, size_t len, char *fix, size_t cap)
{
    (void)err;
    (void)len;
    (void)fix;
    (void)cap;
    return 0;
}
