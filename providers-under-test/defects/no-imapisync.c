/*
 * Defect: the store answers E_NOINTERFACE to QueryInterface(IID_IMAPISync),
 * as a store written before Outlook 2010 would.
 * Breaks load-qi-imapisync. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .hide_imapisync = TRUE,
};
