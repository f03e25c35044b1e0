/*
 * Unusual but correct: reports a warning through Error
 * (MAPI_W_ERRORS_RETURNED, with a text) in the middle of the sync, goes on
 * and ends with Done(S_OK). The Error page allows "an error or warning".
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .report_error = MAPI_W_ERRORS_RETURNED,
};
