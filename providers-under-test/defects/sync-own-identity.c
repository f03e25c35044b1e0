/*
 * Defect: QueryInterface(IID_IUnknown) through IMAPISync answers the
 * IMAPISync pointer, while the store answers its own: the object has two
 * identities. Breaks com-qi-rules. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .sync_own_identity = TRUE,
};
