/*
 * Defect: writes one byte just past the MAPISIB's fields before it
 * returns, as code that takes the host's struct for a larger one would.
 * Breaks sib-unchanged (the host's guard after the struct is found
 * changed). The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .sib_write = SIB_WRITE_PAST,
};
