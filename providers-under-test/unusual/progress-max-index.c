/*
 * Unusual but correct: one Progress(text, 0xFFFFFFFF, 0xFFFFFFFF), the
 * largest ULONG as both index and maximum, then Done(S_OK). A harness doing
 * index + 1 or a signed compare gets this wrong; the provider does not.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .only_one_progress = TRUE,
    .only_progress_index = 0xFFFFFFFFu,
};
