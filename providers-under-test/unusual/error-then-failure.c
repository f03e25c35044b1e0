/*
 * Unusual but correct: the sync fails half-way: Error(MAPI_E_NETWORK_ERROR,
 * text), then Done(MAPI_E_NETWORK_ERROR). A failed sync is a legal outcome;
 * the call itself returned S_OK and the event is signaled.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .report_error = MAPI_E_NETWORK_ERROR,
};
