/*
 * probe.h: `synchost probe PROVIDER.dll`: what the file is (machine,
 * subsystem, exports), whether every DLL it imports can be found where Wine
 * would look (dllsearch.h), then the load chain run in a worker, each step
 * with its HRESULT by name: LoadLibrary, MSProviderInit, IMSProvider::Logon,
 * QueryInterface(IID_IMAPISync) and the store's IUnknown identity, then
 * Logoff. The reports (--report-json, --junit, --tap) hold its one
 * scenario, `probe`.
 *
 * Exit status: 0 every step succeeded; 1 a step failed (or the provider
 * crashed or hung in one); 2 not a PE DLL this build hosts, or bad usage;
 * 3 the harness failed; 130 interrupted. Its last line is the verdict,
 * `synchost: PASS, ...`, `synchost: FAIL, ...` or `synchost: ERROR, ...`.
 */
#ifndef SYNCHOST_PROBE_H
#define SYNCHOST_PROBE_H

#include "cli.h"

/* Sets *verdict_printed when it printed the verdict line; when it did not
 * (refused before the chain ran), the caller says why it stopped. */
int probe_command(const struct cli *c, const char *dll, int *verdict_printed);

#endif /* SYNCHOST_PROBE_H */
