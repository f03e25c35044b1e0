/*
 * Defect: takes no notice of MAPI_E_USER_CANCEL from Progress; it syncs on
 * to the end and reports success.
 * Breaks cancel-honored. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .ignore_cancel = TRUE,
};
