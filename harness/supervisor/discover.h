/*
 * discover.h: what a run runs. Loads scenarios from files and folders (a
 * folder's *.yaml and *.yml files, in name order, recursively), from the
 * built-in suite (suite.h), or probe's one scenario; refuses a PE file given
 * where a scenario was expected; checks that the provider is a DLL this
 * build can host and that every rule id a scenario skips exists; selects
 * (--filter, --exclude, --rerun-failed, --shard, --repeat) into results.
 *
 * Every function says what went wrong on stderr (file:line:col where there
 * is one) and returns 0, EXIT_BAD_INPUT or EXIT_HARNESS (cli.h). Loaded
 * scenarios are appended to the list, which the caller owns
 * (scenario_list_free). Single-threaded.
 */
#ifndef SYNCHOST_DISCOVER_H
#define SYNCHOST_DISCOVER_H

#include <stddef.h>

#include "cli.h"
#include "pe/pe.h"
#include "regress.h"
#include "report/result.h"
#include "scenario/scenario.h"

/* Each path, a scenario file or a folder, in the order given. */
int discover_load_paths(char **paths, int count, struct scenario_list *list);

/* The built-in conformance suite; failing is the harness's failure. */
int discover_load_builtin(struct scenario_list *list);

/* probe's one scenario: the load chain, no sync, no settling. */
int discover_load_probe(struct scenario_list *list);

/* Rule ids named in scenarios must exist: a typo must not silently skip
 * nothing. Reported where the id is written. */
int discover_check_skip_rules(const struct scenario_list *list);

/* Filters, shards and repeats the loaded scenarios into *out (allocated,
 * *out_count of them, each STATUS_INTERRUPTED "not run: interrupted" until
 * it runs; the caller frees it); the results point into list. Selecting
 * nothing is bad input ("no scenario selected", naming what selected
 * nothing), except an empty shard or a rerun of a report without failures:
 * then 0 with no result, and why in note (cap bytes) for the verdict. */
int discover_select(const struct cli *c, const struct regress *rg, const struct scenario_list *list,
                    struct scenario_result **out, size_t *out_count, char *note, size_t cap);

/* The provider at path must be a DLL we can host (x64): pe is filled in. */
int discover_check_provider(const char *path, struct pe_info *pe);

/* Each scenario's provider.path (none given on the command line): there,
 * and a DLL we can host; the scenario is named when one is not. */
int discover_check_scenario_providers(const struct scenario_list *list, struct pe_info *pe);

/* The workers the run's DLLs need (provider, else each scenario's own):
 * synchost-worker64.exe for x64 ones into worker64, synchost-worker32.exe
 * for x86 ones into worker32 (each cap bytes; "" when none needs it).
 * Returns 0, or EXIT_HARNESS when one is missing (said on stderr). */
int discover_workers(const char *provider, const struct scenario_list *list, char *worker64,
                     char *worker32, size_t cap);

#endif /* SYNCHOST_DISCOVER_H */
