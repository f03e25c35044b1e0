/*
 * com.c: com-qi-rules, on the host's own QueryInterface calls to the
 * provider's store and IMAPISync (`provider_qi` events, harness/worker/
 * checks.c): an IID nobody implements is answered E_NOINTERFACE with *ppv
 * set to NULL, and IID_IUnknown gives the one identity of the object.
 */
#include "rules/internal.h"

#define HR_E_NOINTERFACE 0x80004002u

static int check_unknown_iid(struct judge *j, const struct event *ev, const char *object)
{
    char got[80];

    if (ev->hr != HR_E_NOINTERFACE) {
        return violate(j, RULE_COM_QI_RULES, ev->seq,
                       "the %s answered QueryInterface for an IID nobody implements with %s "
                       "(*ppv=0x%llx); expected E_NOINTERFACE",
                       object, hr_text(ev->hr, got, sizeof got), (unsigned long long)ev->handle);
    }
    if (ev->handle != 0) {
        return violate(j, RULE_COM_QI_RULES, ev->seq,
                       "the %s answered E_NOINTERFACE but left *ppv=0x%llx; a failed "
                       "QueryInterface sets *ppv to NULL",
                       object, (unsigned long long)ev->handle);
    }
    return 0;
}

static int check_identity(struct judge *j, const struct event *ev, const char *object)
{
    char got[80];

    if (ev->hr != HR_S_OK || ev->handle == 0) {
        return violate(j, RULE_COM_QI_RULES, ev->seq,
                       "the %s answered QueryInterface(IID_IUnknown) with %s (*ppv=0x%llx); "
                       "every COM object answers S_OK with its identity",
                       object, hr_text(ev->hr, got, sizeof got), (unsigned long long)ev->handle);
    }
    j->st->identity[ev->step] = ev->handle;
    j->st->identity_seen[ev->step] = 1;
    if (j->st->identity_seen[PROVIDER_OBJECT_STORE] &&
        j->st->identity_seen[PROVIDER_OBJECT_IMAPISYNC] &&
        j->st->identity[PROVIDER_OBJECT_STORE] != j->st->identity[PROVIDER_OBJECT_IMAPISYNC]) {
        return violate(j, RULE_COM_QI_RULES, ev->seq,
                       "the store's IUnknown is 0x%llx but IMAPISync's is 0x%llx: "
                       "QueryInterface(IID_IMAPISync) on the store gave another object",
                       (unsigned long long)j->st->identity[PROVIDER_OBJECT_STORE],
                       (unsigned long long)j->st->identity[PROVIDER_OBJECT_IMAPISYNC]);
    }
    return 0;
}

int on_provider_qi(struct judge *j, const struct event *ev)
{
    const char *object;

    if (ev->step >= PROVIDER_OBJECT_COUNT) {
        return 0;
    }
    object = ev->step == PROVIDER_OBJECT_STORE ? "store" : "IMAPISync object";
    if (ev->index == IID_KIND_IUNKNOWN) {
        return check_identity(j, ev, object);
    }
    return check_unknown_iid(j, ev, object);
}
