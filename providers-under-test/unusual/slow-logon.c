/*
 * Unusual but correct: IMSProvider::Logon takes 4 s (a slow server), and
 * the sync's five steps are a little over a second apart, about 4.2 s in all,
 * well within the default 5 s timeout_ms. Each phase fits its own bound;
 * only a deadline counted from the worker's start adds them up.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .logon_delay_ms = 4000,
    .step_ms = 1050,
};
