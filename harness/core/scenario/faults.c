/* faults.c: the catalogue of host services a scenario can fail (faults.h). */
#include "scenario/faults.h"

#include <ctype.h>
#include <string.h>

#define FAULT_NAME_ENTRY(id, name, alloc) name,
static const char *const service_names[FAULT_SERVICE_COUNT] = {FAULT_SERVICES(FAULT_NAME_ENTRY)};
#undef FAULT_NAME_ENTRY

#define FAULT_ALLOC_ENTRY(id, name, alloc) alloc,
static const unsigned char service_alloc[FAULT_SERVICE_COUNT] = {FAULT_SERVICES(FAULT_ALLOC_ENTRY)};
#undef FAULT_ALLOC_ENTRY

/* Longest name compared by edit distance; longer input is cut. */
#define NEAREST_MAX 64

const char *fault_service_name(uint32_t service)
{
    return service < FAULT_SERVICE_COUNT ? service_names[service] : NULL;
}

int fault_service_find(const char *name, size_t len)
{
    for (int i = 0; i < FAULT_SERVICE_COUNT; i++) {
        if (strlen(service_names[i]) == len && memcmp(service_names[i], name, len) == 0) {
            return i;
        }
    }
    return -1;
}

/* Levenshtein distance, ignoring case, of a (cut to NEAREST_MAX) and b. */
static size_t distance(const char *a, size_t alen, const char *b)
{
    size_t row[NEAREST_MAX + 1], blen = strlen(b);

    if (alen > NEAREST_MAX) {
        alen = NEAREST_MAX;
    }
    for (size_t i = 0; i <= alen; i++) {
        row[i] = i;
    }
    for (size_t j = 1; j <= blen; j++) {
        size_t diag = row[0];
        row[0] = j;
        for (size_t i = 1; i <= alen; i++) {
            size_t up = row[i];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (row[i] + 1 < best) {
                best = row[i] + 1;
            }
            if (row[i - 1] + 1 < best) {
                best = row[i - 1] + 1;
            }
            row[i] = best;
            diag = up;
        }
    }
    return row[alen];
}

const char *fault_service_nearest(const char *name, size_t len)
{
    const char *best = service_names[0];
    size_t best_d = (size_t)-1;

    /* "OpenProfileSection" alone: the first interface that has it. */
    for (int i = 0; i < FAULT_SERVICE_COUNT; i++) {
        const char *method = strstr(service_names[i], "::");
        if (method != NULL && strlen(method + 2) == len && memcmp(method + 2, name, len) == 0) {
            return service_names[i];
        }
    }
    for (int i = 0; i < FAULT_SERVICE_COUNT; i++) {
        size_t d = distance(name, len, service_names[i]);
        if (d < best_d) {
            best_d = d;
            best = service_names[i];
        }
    }
    return best;
}

uint32_t fault_service_default_hr(uint32_t service)
{
    return service < FAULT_SERVICE_COUNT && service_alloc[service] ? FAULT_HR_NOT_ENOUGH_MEMORY
                                                                   : FAULT_HR_CALL_FAILED;
}

int fault_spec_covers(const struct fault_spec *f, uint32_t call)
{
    return call >= f->from && call <= f->to;
}
