/*
 * Defect: IMSLogon::Logoff blocks forever, so the host can never finish
 * logging off.
 * Breaks no-hang. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .hang_in_logoff = TRUE,
};
