/*
 * config.h: the project configuration file, synchost.yaml (docs/configuration.md), read strictly into what it says; the supervisor decides
 * what each option means (supervisor/settings.h).
 *
 *   options:                # defaults for command-line options, by long name
 *     level: pedantic
 *     jobs: 8               # -j
 *     heap-check: true      # a flag: true or false
 *   skip:                   # rules not applied, each with its reason
 *     - rule: progress-monotonic
 *       reason: "bug 1234"
 *   scenarios:              # deadlines of scenarios, by name
 *     download-contents:
 *       timeout_ms: 20000
 *       load_timeout_ms: 30000
 *       shutdown_timeout_ms: 10000
 *
 * Every key is optional; an unknown or repeated key, a wrong type, a skip
 * without a reason or naming no rule, a deadline out of range are errors at
 * their line and column. Option names are not checked here (the supervisor
 * knows them): each keeps its line and column for the message. Strings are
 * owned by the struct config; single-threaded.
 */
#ifndef SYNCHOST_CONFIG_H
#define SYNCHOST_CONFIG_H

#include <stddef.h>
#include <stdint.h>

struct config_option {
    char *name;         /* the long option's name, without "--" */
    char *value;        /* the scalar as written ("8", "pedantic", "true") */
    int plain;          /* written without quotes: true/false read as a flag */
    unsigned line, col; /* of the key; 1-based */
    unsigned value_line, value_col;
};

struct config_skip {
    char *rule;
    char *reason;
    unsigned line, col; /* of the entry */
};

struct config_deadlines {
    char *scenario;
    uint32_t timeout_ms, load_timeout_ms, shutdown_timeout_ms; /* 0: not set */
    unsigned line, col;                                        /* of the name */
    int matched; /* set by the caller when a loaded scenario has the name */
};

struct config {
    char *path; /* as given to config_load_file, or the name given to config_load */
    struct config_option *options;
    size_t option_count;
    struct config_skip *skips;
    size_t skip_count;
    struct config_deadlines *scenarios;
    size_t scenario_count;
};

/* Parses len bytes of data; name is the file's path for messages. Returns 0,
 * or -1 with "NAME:LINE:COL: message" in err. c is emptied first; free it
 * with config_free either way. */
int config_load(const char *name, const char *data, size_t len, struct config *c, char *err,
                size_t cap);

/* Reads and parses the file at path (at most 1 MiB). */
int config_load_file(const char *path, struct config *c, char *err, size_t cap);

void config_free(struct config *c);

/* The deadlines the file gives scenario name, or NULL. */
struct config_deadlines *config_find_scenario(struct config *c, const char *name);

#endif /* SYNCHOST_CONFIG_H */
