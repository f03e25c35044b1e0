/*
 * Defect: each sync leaves a thread behind that ends 1.5 s after the done
 * event. Breaks leak-threads (pedantic). The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .linger_thread_ms = 1500,
};
