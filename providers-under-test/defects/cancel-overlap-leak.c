/*
 * Combination defect (docs/explore.md): a sync cancelled by the host
 * (Progress answered MAPI_E_USER_CANCEL) while another sync of the store
 * runs never releases its callback. The built-in suite cancels
 * (cancel-on-second-progress) and overlaps (overlap), never both at once:
 * it passes. `synchost explore` finds callback-refcount.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .cancel_overlap_leak = TRUE,
};
