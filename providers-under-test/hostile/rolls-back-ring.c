/*
 * Hostile: hides a violation by rolling the host's event ring back. On the
 * sync thread it calls Done as it should, then copies the ring (found with
 * VirtualQuery, find-ring.h): its header and the records the host will
 * write next (the reader's own fields in the header are left alone); then
 * commits a violation through the host's callback, and at once copies the
 * ring back, before the host's reader has looked. Every
 * record the reader then finds is a genuine one of the host's, its MAC
 * right: only the host's own count of the records it wrote can tell. Then
 * the sync ends as a correct one does. Built once per way (ROLLBACK,
 * hostile/meson.build):
 *
 *   1 second-done     the violation is a second Done (done-called-once);
 *                     header and records copied back
 *   2 progress-after  the violation is a Progress after Done (done-last);
 *                     header and records copied back
 *   3 header-only     a second Done; only the header copied back, so that
 *                     the record is removed and the host writes its next
 *                     one over it
 *
 * Breaks host-integrity ("leave the host's memory alone").
 */
#include "behaviour.h"
#include "find-ring.h"

/* What is copied: the ring's header, and the slots the host writes next
 * (a record takes one slot, and one more per 64 bytes of its text). */
#define HEADER_COPY_BYTES 256u
#define SLOT_BYTES        64u
#define SLOTS_COPIED      64u

struct ring_copy {
    unsigned char header[HEADER_COPY_BYTES];
    unsigned char slots[SLOTS_COPIED][SLOT_BYTES];
    ULONG next; /* the slot the host writes next (the reservation's low half) */
};

/* The slot at pos, in a ring of the header's slot count (offset 8). */
static unsigned char *slot(unsigned char *ring, ULONG pos)
{
    ULONG count = *(volatile ULONG *)(ring + 8);

    return ring + RING_HEADER_BYTES + (SIZE_T)(pos & (count - 1)) * SLOT_BYTES;
}

static void copy_out(unsigned char *ring, struct ring_copy *c)
{
    c->next = *(volatile ULONG *)(ring + 16);
    memcpy(c->header, ring, HEADER_COPY_BYTES);
    for (ULONG i = 0; i < SLOTS_COPIED; i++) {
        memcpy(c->slots[i], slot(ring, c->next + i), SLOT_BYTES);
    }
}

/* The header goes back as the writers left it, not as the reader did: the
 * reservation word (offset 16) is copied back, the fields the reader writes
 * (its place, the load figure) are left as they are now, so that a reader
 * that looked meanwhile finds its own writes. */
static void copy_back(unsigned char *ring, const struct ring_copy *c, BOOL records)
{
    for (ULONG i = 0; records && i < SLOTS_COPIED; i++) {
        memcpy(slot(ring, c->next + i), c->slots[i], SLOT_BYTES);
    }
    memcpy(ring + 16, c->header + 16, 8);
}

static void violate_unseen(const struct provider_sync_view *view)
{
    static struct ring_copy copy;
    SIZE_T size;
    unsigned char *ring = find_ring(&size);

    if (view->callback == NULL) {
        return;
    }
    IMAPISyncProgressCallback_Done(view->callback, view->host_event, view->status);
    if (ring == NULL) {
        return;
    }
    copy_out(ring, &copy);
#if ROLLBACK == 2
    IMAPISyncProgressCallback_Progress(view->callback, NULL, view->progress_calls,
                                       view->progress_calls);
#elif ROLLBACK == 1 || ROLLBACK == 3
    IMAPISyncProgressCallback_Done(view->callback, view->host_event, view->status);
#else
#error "ROLLBACK: 1 to 3"
#endif
    copy_back(ring, &copy, ROLLBACK != 3);
}

const struct provider_behaviour provider_behaviour = {
    .skip_done = TRUE, /* violate_unseen calls Done itself */
    .before_done = violate_unseen,
};
