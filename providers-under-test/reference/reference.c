/*
 * The reference provider: the common engine with every knob at its correct
 * (zero) setting. Everything demos on it, and the harness's end-to-end tests
 * require it to pass every scenario.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .init_result = S_OK,
};
