/*
 * pe.h: just enough of the PE/COFF format to pick the worker for a provider
 * and to refuse files that are not DLLs before Wine sees them.
 */
#ifndef SYNCHOST_PE_H
#define SYNCHOST_PE_H

#include <stddef.h>

enum pe_machine {
    PE_MACHINE_UNKNOWN,
    PE_MACHINE_X86,   /* IMAGE_FILE_MACHINE_I386 0x14c */
    PE_MACHINE_X64,   /* IMAGE_FILE_MACHINE_AMD64 0x8664 */
    PE_MACHINE_ARM64, /* IMAGE_FILE_MACHINE_ARM64 0xaa64 */
};

struct pe_info {
    enum pe_machine machine;
    unsigned short machine_code; /* the raw IMAGE_FILE_HEADER.Machine */
    int is_dll;                  /* IMAGE_FILE_DLL set in Characteristics */
};

/* Reads path's headers and checks the image's layout against the file's
 * size. Returns 0, or -1 with a one-line reason in why ("cannot open: No such
 * file or directory", "not a PE file: no MZ header", "truncated PE file: ...",
 * "bad PE file: ..."). On -1, out holds what was read before the problem
 * (machine and is_dll once the file header was read). Never reads past the
 * file's end. */
int pe_read(const char *path, struct pe_info *out, char *why, size_t whycap);

/* The same for an image already in memory (len bytes of data): reads only
 * within them. */
int pe_parse(const void *data, size_t len, struct pe_info *out, char *why, size_t whycap);

/* "x86", "x64", "arm64", "unknown": the names reports use. */
const char *pe_machine_name(enum pe_machine machine);

#endif /* SYNCHOST_PE_H */
