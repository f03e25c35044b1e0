/*
 * Unusual but correct: writes 1 MiB with one OutputDebugStringA when its
 * sync starts, as a provider that dumps a whole buffer would. Nothing in
 * the contract limits debug output; the host keeps a documented first part
 * and says how long the whole was.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .debug_output_bytes = 1u << 20,
};
