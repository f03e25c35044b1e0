/*
 * Defect: SynchronizeInBackground works for 1.5 s on the caller's thread
 * before it returns, freezing Outlook's UI thread that long.
 * Breaks sib-returns-promptly. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .slow_return_ms = 1500,
};
