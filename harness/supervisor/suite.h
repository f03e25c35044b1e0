/*
 * suite.h: the built-in conformance suite, embedded in the binary at build
 * time from the YAML files of scripts/suites/conformance (embed-suite.py), so
 * that `synchost conform` needs no data files beside it.
 */
#ifndef SYNCHOST_SUITE_H
#define SYNCHOST_SUITE_H

#include <stddef.h>

struct suite_file {
    const char *name; /* "download-contents.yaml" */
    const char *text; /* the YAML */
    size_t len;
};

extern const struct suite_file suite_files[];
extern const size_t suite_file_count;

#endif /* SYNCHOST_SUITE_H */
