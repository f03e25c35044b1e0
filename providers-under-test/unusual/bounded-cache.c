/*
 * Not a defect: the first sync of the process commits and fills a 128 MiB
 * cache that the DLL keeps for its life and every later sync reuses, as a
 * provider that caches its store would. Memory kept, but bounded: the
 * process does not grow from sync to sync (leak-memory). The DLL must pass
 * everything.
 */
#include "behaviour.h"

#define CACHE_SIZE (128u << 20)

static volatile BYTE *cache;

static void use_cache(const struct provider_sync_view *view)
{
    (void)view;
    if (cache == NULL) {
        cache = VirtualAlloc(NULL, CACHE_SIZE, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    }
    for (SIZE_T i = 0; cache != NULL && i < CACHE_SIZE; i += 4096) {
        cache[i]++;
    }
}

const struct provider_behaviour provider_behaviour = {
    .before_done = use_cache,
};
