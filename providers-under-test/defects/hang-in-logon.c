/*
 * Defect: IMSProvider::Logon takes a minute, past any load_timeout_ms (the
 * default is 10 s): the host's load chain never finishes in time.
 * Breaks no-hang, in the load phase (unusual/slow-logon, 4 s, must pass).
 * The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .logon_delay_ms = 60000,
};
