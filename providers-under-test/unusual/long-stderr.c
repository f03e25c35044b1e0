/*
 * Unusual but correct: writes 2 MiB to its standard error when its sync
 * starts, the first byte a NUL, as a provider that logs binary data there
 * would. Nothing in the contract limits it; the host keeps a documented
 * first and last part, NULs included, and says how long the whole was.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .stderr_bytes = 2u << 20,
};
