/* winstart.c: why a worker did not start, when Wine said so (winstart.h). */
#include "winstart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int prefix_given;

void winstart_prefix_given(int given)
{
    prefix_given = given;
}

/* Does text (len bytes, not terminated) hold needle? */
static int holds(const char *text, size_t len, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; n <= len && i <= len - n; i++) {
        if (memcmp(text + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}

int winstart_failure(const char *err, size_t len, char *fix, size_t cap)
{
    const char *prefix = getenv("WINEPREFIX");

    if (err == NULL ||
        (!holds(err, len, "could not load kernel32.dll") && !holds(err, len, "c0000135"))) {
        return 0;
    }
    if (prefix == NULL || *prefix == '\0') {
        prefix = "~/.wine";
    }
    if (prefix_given) {
        snprintf(fix, cap,
                 "Wine could not load kernel32.dll in the prefix %s (status c0000135): a prefix "
                 "made before wine32 was installed, or by another Wine version, cannot start "
                 "programs. It is the WINEPREFIX you gave, which synchost never makes anew: "
                 "make a new one (WINEPREFIX=<new folder> wineboot -i) and give that",
                 prefix);
    } else {
        snprintf(fix, cap,
                 "Wine could not load kernel32.dll in synchost's own prefix %s (status "
                 "c0000135): a prefix made before wine32 was installed, or by another Wine "
                 "version, cannot start programs. Make it anew: scripts/bootstrap --new-prefix",
                 prefix);
    }
    return 1;
}
