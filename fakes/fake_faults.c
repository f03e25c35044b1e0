/* fake_faults.c: the worker's fault list and call counts (fake_faults.h). */
#include "fake_faults.h"

static SRWLOCK faults_lock = SRWLOCK_INIT;
static struct fault_spec faults[FAULT_MAX_SPECS];
static size_t fault_count;
static volatile LONG calls[FAULT_SERVICE_COUNT];

void fake_faults_set(const struct fault_spec *specs, size_t n)
{
    AcquireSRWLockExclusive(&faults_lock);
    fault_count = 0;
    for (size_t i = 0; specs != NULL && i < n && i < FAULT_MAX_SPECS; i++) {
        faults[fault_count++] = specs[i];
    }
    for (int i = 0; i < FAULT_SERVICE_COUNT; i++) {
        InterlockedExchange(&calls[i], 0);
    }
    ReleaseSRWLockExclusive(&faults_lock);
}

struct fake_call fake_fault_begin(enum fault_service service)
{
    struct fake_call c = {service, 0, S_OK};

    if ((unsigned)service >= FAULT_SERVICE_COUNT) {
        return c;
    }
    c.n = (ULONG)InterlockedIncrement(&calls[service]);
    AcquireSRWLockShared(&faults_lock);
    /* The first entry that covers the call wins. */
    for (size_t i = 0; i < fault_count; i++) {
        if (faults[i].service == (uint32_t)service && fault_spec_covers(&faults[i], c.n)) {
            c.fault = (HRESULT)faults[i].hresult;
            break;
        }
    }
    ReleaseSRWLockShared(&faults_lock);
    return c;
}

ULONG fake_fault_calls(enum fault_service service)
{
    if ((unsigned)service >= FAULT_SERVICE_COUNT) {
        return 0;
    }
    return (ULONG)InterlockedCompareExchange(&calls[service], 0, 0);
}
