/*
 * Defect: IMSProvider::Logon returns MAPI_E_LOGON_FAILED.
 * Breaks load-logon. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .logon_result = MAPI_E_LOGON_FAILED,
};
