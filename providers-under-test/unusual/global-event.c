/*
 * Not a defect: the first Logon makes an event the DLL keeps for its life
 * (a lazily made global, never closed), as providers keep a process-wide
 * object. One handle per process is not a handle per session: it must pass
 * every scenario (leak-handles).
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .global_event = TRUE,
};
