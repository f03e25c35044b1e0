/*
 * Defect: casts punkCallBack to IMAPISyncProgressCallback (and AddRefs it)
 * instead of asking QueryInterface for it.
 * Breaks callback-via-qi. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .callback_cast = TRUE,
};
