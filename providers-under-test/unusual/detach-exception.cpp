/*
 * Not a defect: C++ exceptions thrown and caught where a harness might not
 * expect them. The sync thread throws and catches one before Done, and
 * DllMain throws and catches one in DLL_PROCESS_DETACH, every time the DLL
 * is unloaded (after any number of syncs in the process). An exception that
 * the provider's own frames catch is no crash (no-crash): the DLL must pass
 * everything.
 */
#include <stdexcept>

extern "C" {
#include "behaviour.h"
}

/* A thrown and caught exception; volatile so that it is not folded away. */
static int throw_and_catch(int value)
{
    volatile int seen = 0;

    try {
        if (value >= 0) {
            throw std::runtime_error("caught by the provider");
        }
    } catch (const std::exception &e) {
        seen = e.what()[0] != '\0' ? value + 1 : 0;
    }
    return seen;
}

static void throw_in_sync(const struct provider_sync_view *view)
{
    (void)throw_and_catch((int)view->progress_calls);
}

static struct provider_behaviour make_behaviour()
{
    struct provider_behaviour b = {};

    b.before_done = throw_in_sync;
    return b;
}

extern "C" {
extern const struct provider_behaviour provider_behaviour;
}
const struct provider_behaviour provider_behaviour = make_behaviour();

extern "C" BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)instance;
    if (reason == DLL_PROCESS_DETACH && reserved == NULL) {
        (void)throw_and_catch(1);
    }
    return TRUE;
}
