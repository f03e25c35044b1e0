/*
 * pe_dir.h: what `synchost probe` shows of a PE image beyond its headers:
 * the subsystem, the names it exports and the DLLs it imports (the import
 * directory and the delay-load directory).
 *
 * Every offset and count is checked against the image's size: a damaged
 * directory ends the list it is in with a reason, never a read past the end.
 * Names are copied as they are (at most PE_DIR_NAME_MAX bytes); the caller
 * escapes them before printing. Not thread-safe only in that a struct
 * pe_dirs belongs to one thread.
 */
#ifndef SYNCHOST_PE_DIR_H
#define SYNCHOST_PE_DIR_H

#include <stddef.h>

#define PE_DIR_NAME_MAX 256
/* At most this many names per list: a real DLL has a few hundred exports at
 * most, a damaged one could claim four billion. */
#define PE_DIR_LIST_MAX 65536u

struct pe_dir_list {
    char **names; /* owned */
    size_t count;
};

struct pe_dirs {
    unsigned subsystem;               /* IMAGE_OPTIONAL_HEADER.Subsystem */
    struct pe_dir_list exports;       /* exported names, as the export table orders them */
    size_t export_functions;          /* NumberOfFunctions: names and ordinal-only exports */
    struct pe_dir_list imports;       /* DLL names of the import directory, in order */
    struct pe_dir_list delay_imports; /* DLL names of the delay-load directory */
    char damaged[160]; /* "" or why a directory was cut short ("import directory: ...") */
};

/* Reads the image at path (at most 256 MiB). Returns 0, or -1 with a
 * one-line reason in why when it is not a PE image whose optional header
 * can be read; a damaged directory is not an error (see damaged). d is
 * emptied first and must be freed with pe_dirs_free either way. */
int pe_dirs_read(const char *path, struct pe_dirs *d, char *why, size_t whycap);

/* The same for len bytes in memory. */
int pe_dirs_parse(const void *data, size_t len, struct pe_dirs *d, char *why, size_t whycap);

void pe_dirs_free(struct pe_dirs *d);

/* "Windows GUI", "Windows console", "native", "EFI application", ...;
 * "unknown" for a value the format does not define. */
const char *pe_subsystem_name(unsigned subsystem);

#endif /* SYNCHOST_PE_DIR_H */
