/*
 * Hostile: finds the writable shared mapping in its own process (the host's
 * event ring: MEM_MAPPED, PAGE_READWRITE, the ring's magic at its start)
 * and overwrites it on the sync thread, before Done, then goes on normally.
 * Built once per damage (RING_DAMAGE, hostile/meson.build):
 *
 *   1 header-zeros    the header zeroed
 *   2 header-random   the header filled with random bytes
 *   3 header-crafted  one field set to a plausible lie, picked by the tick
 *                     count: the reservation far ahead, the reader's place
 *                     ahead, or a record count its slots cannot hold
 *   4 records-zeros   the records zeroed, the header left alone
 *   5 records-random  the records filled with random bytes
 *   6 read-only       the whole view made read-only (VirtualProtect): the
 *                     host's next record faults on its own memory
 *
 * after a pause of 0 to 15 ms picked by the tick count, so that the damage
 * falls at a different moment of the host's stream each time. Breaks
 * host-integrity ("leave the host's memory alone").
 */
#include "behaviour.h"
#include "find-ring.h"

static void fill_random(unsigned char *p, SIZE_T n, ULONG seed)
{
    for (SIZE_T i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16);
    }
}

/* A lie in one field of the header (struct ring_header: reserve at 16,
 * consumed at 64). */
static void craft_header(unsigned char *ring, ULONG pick)
{
    volatile ULONGLONG *reserve = (volatile ULONGLONG *)(ring + 16);
    volatile ULONGLONG *consumed = (volatile ULONGLONG *)(ring + 64);

    switch (pick % 3) {
    case 0:
        *reserve = (*reserve & 0xFFFFFFFF00000000ull) | 1184128062u;
        break;
    case 1:
        *consumed = *consumed + 100000u;
        break;
    default:
        *reserve = *reserve + ((ULONGLONG)5000 << 32);
        break;
    }
}

static void damage_ring(const struct provider_sync_view *view)
{
    ULONG tick = GetTickCount();
    SIZE_T size;
    unsigned char *ring = find_ring(&size);

    (void)view;
    Sleep(tick % 16u);
    if (ring == NULL) {
        return;
    }
#if RING_DAMAGE == 1
    memset(ring, 0, RING_HEADER_BYTES);
#elif RING_DAMAGE == 2
    fill_random(ring, RING_HEADER_BYTES, tick);
#elif RING_DAMAGE == 3
    craft_header(ring, tick / 16u);
#elif RING_DAMAGE == 4
    memset(ring + RING_HEADER_BYTES, 0, size - RING_HEADER_BYTES);
#elif RING_DAMAGE == 5
    fill_random(ring + RING_HEADER_BYTES, size - RING_HEADER_BYTES, tick);
#elif RING_DAMAGE == 6
    {
        DWORD was;
        VirtualProtect(ring, size, PAGE_READONLY, &was);
    }
#else
#error "RING_DAMAGE: 1 to 6"
#endif
    (void)fill_random;
    (void)craft_header;
}

const struct provider_behaviour provider_behaviour = {
    .before_done = damage_ring,
};
