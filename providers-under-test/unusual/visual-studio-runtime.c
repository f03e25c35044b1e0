/*
 * Unusual but correct: the DLL imports what a Visual Studio build of a
 * provider imports, the C++ runtime (msvcp140.dll) and the Universal CRT
 * through its API set (api-ms-win-crt-string-l1-1-0.dll), and calls both in
 * SynchronizeInBackground. Outlook's machines have both; so does Wine, and
 * a harness that hosted only DLLs linked like its own would fail such a
 * provider at load-dll.
 */
#include <stddef.h>

#include "behaviour.h"

__declspec(dllimport) long long __cdecl vs_query_perf_frequency(void);
__declspec(dllimport) size_t __cdecl vs_strnlen(const char *s, size_t max);

static void call_the_runtimes(void)
{
    /* Both answer something any Windows gives: a counter frequency above 0
     * and the length of a short string. Neither is judged; each is a call
     * through an import the loader must have bound. */
    volatile long long frequency = vs_query_perf_frequency();
    volatile size_t length = vs_strnlen("synchost", 16);
    (void)frequency;
    (void)length;
}

const struct provider_behaviour provider_behaviour = {
    .in_call = call_the_runtimes,
};
