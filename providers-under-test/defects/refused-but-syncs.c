/*
 * Defect: a MAPISIB without phSyncDoneEvent is refused with E_INVALIDARG,
 * yet the sync runs: Progress and Done(NULL) arrive after the failed call.
 * Breaks sib-failure-quiet. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .sync_despite_refusal = TRUE,
};
