/*
 * find-ring.h: how a hostile provider finds the host's event ring in its
 * own process, as an outsider would, with VirtualQuery alone: the one
 * writable shared mapping (MEM_MAPPED, PAGE_READWRITE, 1 MiB or more) with
 * the ring's magic at its start. For the providers that write into it.
 */
#ifndef HOSTILE_FIND_RING_H
#define HOSTILE_FIND_RING_H

#include <windows.h>

#include <string.h>

#define RING_HEADER_BYTES 4096u
#define RING_MIN_BYTES    (1u << 20)

/* The host's ring, or NULL (then *size is 0). */
static unsigned char *find_ring(SIZE_T *size)
{
    static const char ring_magic[8] = {'S', 'N', 'H', 'R', 'I', 'N', 'G', '1'};
    MEMORY_BASIC_INFORMATION mbi;
    unsigned char *p = NULL;

    while (VirtualQuery(p, &mbi, sizeof mbi) == sizeof mbi) {
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_MAPPED && mbi.Protect == PAGE_READWRITE &&
            mbi.RegionSize >= RING_MIN_BYTES && memcmp(mbi.BaseAddress, ring_magic, 8) == 0) {
            *size = mbi.RegionSize;
            return mbi.BaseAddress;
        }
        p = (unsigned char *)mbi.BaseAddress + mbi.RegionSize;
    }
    *size = 0;
    return NULL;
}

#endif /* HOSTILE_FIND_RING_H */
