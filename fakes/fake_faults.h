/*
 * fake_faults.h: host.faults in the worker: which calls of which host
 * service fail (harness/core/scenario/faults.h), and each service's call count.
 *
 * Every fake method starts with fake_fault_begin(service): the call is
 * counted (from 1 since the last fake_faults_set) and, when the fault list
 * covers it, the HRESULT to answer instead of doing the work comes back.
 * The method records the call with fake_record_service (fake_record.h),
 * which marks an injected answer in the event (step = 1, and the text ends
 * in " (fault injected)") so that the judge and a person can tell it from
 * the fake's own answers.
 *
 * Thread-safe: set by the host between scenarios, read from any thread.
 * Win32 only.
 */
#ifndef SYNCHOST_FAKE_FAULTS_H
#define SYNCHOST_FAKE_FAULTS_H

#include <windows.h>

#include "scenario/faults.h"

struct fake_call {
    enum fault_service service;
    ULONG n;       /* this call's number for its service, from 1 */
    HRESULT fault; /* S_OK, or the injected answer */
};

/* Replaces the fault list (n entries, at most FAULT_MAX_SPECS; more are
 * ignored) and sets every service's count back to 0. NULL, 0: no faults. */
void fake_faults_set(const struct fault_spec *specs, size_t n);

/* Counts one call of service and says whether it fails. */
struct fake_call fake_fault_begin(enum fault_service service);

/* Calls of service counted since fake_faults_set. */
ULONG fake_fault_calls(enum fault_service service);

#endif /* SYNCHOST_FAKE_FAULTS_H */
