/*
 * fake_object.h: the IUnknown half every recording fake shares. A fake
 * embeds its interface first and a struct fake_object after it:
 *
 *   struct fake_session { IMAPISession iface; struct fake_object obj; };
 *
 * and its QueryInterface, AddRef and Release forward here, so that every fake
 * records them the same way (fake_record.h: EVENT_QI "NAME {iid}",
 * EVENT_ADDREF / EVENT_RELEASE "NAME" with the count after).
 *
 * Release never frees: a fake's owner destroys it once no provider thread can
 * call any more, so an over-release is recorded, not a crash.
 *
 * Thread-safe (Interlocked counts), no heap allocation. Win32 only.
 */
#ifndef SYNCHOST_FAKE_OBJECT_H
#define SYNCHOST_FAKE_OBJECT_H

#include <windows.h>
#include <unknwn.h>

#include <stdint.h>

struct fake_object {
    /* The text of its QI, AddRef and Release events ("session"); static. */
    const char *name;
    /* The interfaces QueryInterface answers besides IID_IUnknown; a static
     * array ending in NULL. */
    const IID *const *iids;
    volatile LONG refs;
    /* The sync call the object belongs to, put on its events (event.h's
     * call); 0: the scenario's. Set by its owner before it hands it out. */
    uint32_t call;
};

/* Sets the fields; refs is the count the object starts with. */
void fake_object_init(struct fake_object *obj, const char *name, const IID *const *iids, LONG refs);

/* Allocates a fake of size bytes, zeroed, whose struct begins with its
 * interface and holds its struct fake_object at obj_offset; sets the
 * interface's vtable (static, never written through) and the object as
 * fake_object_init does. *out is the interface; E_POINTER for a NULL out,
 * E_OUTOFMEMORY with *out = NULL. Freed with free() on the struct. */
HRESULT fake_object_create(size_t size, size_t obj_offset, const void *vtbl, const char *name,
                           const IID *const *iids, LONG refs, void **out);

/* QueryInterface for the object whose interface is iface: E_POINTER for a NULL
 * ppv, E_INVALIDARG for a NULL or unreadable riid, E_NOINTERFACE (*ppv = NULL)
 * for an interface not in iids; S_OK, *ppv = iface and an AddRef through
 * iface's vtable on a hit. Recorded before that AddRef, so the trace reads
 * "qi, addref". */
HRESULT fake_object_query(struct fake_object *obj, IUnknown *iface, REFIID riid, void **ppv);

/* Count up / down, recorded; returns the count after. */
ULONG fake_object_addref(struct fake_object *obj);
ULONG fake_object_release(struct fake_object *obj);

/* The current count, unrecorded. */
LONG fake_object_refs(struct fake_object *obj);

#endif /* SYNCHOST_FAKE_OBJECT_H */
