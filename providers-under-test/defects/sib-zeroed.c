/*
 * Defect: zeroes every field of the MAPISIB once it has read them, before
 * it returns, as code that "clears its input" would; the host's struct is
 * not the provider's to change. Breaks sib-unchanged. The engine is
 * otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .sib_write = SIB_WRITE_ZERO,
};
