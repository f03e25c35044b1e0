/*
 * Defect: each sync commits and touches 128 MiB of private memory and
 * never frees it, as a cache with no bound would: Outlook's process grows
 * with every Send/Receive. Breaks leak-memory (the repeat scenario's three
 * syncs grow it by 256 MiB after the first). The engine is otherwise
 * correct.
 */
#include "behaviour.h"

#define GROWTH (128u << 20)

static void grow(const struct provider_sync_view *view)
{
    volatile BYTE *p = VirtualAlloc(NULL, GROWTH, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);

    (void)view;
    for (SIZE_T i = 0; p != NULL && i < GROWTH; i += 4096) {
        p[i] = 1;
    }
}

const struct provider_behaviour provider_behaviour = {
    .before_done = grow,
};
