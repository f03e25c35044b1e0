/*
 * symbols.h: names for addresses in the modules of the worker process, for
 * stack frames (stack.h). Win32, the worker's own architecture (PE32+ images
 * on x64, PE32 on x86).
 *
 * Everything is read from memory the process already has or from the
 * module's file, through calls that take no user-mode lock (no loader lock,
 * no heap, no PEB lock): safe on a crash reporter thread while a crashed
 * thread holds any of them. A corrupted module can still make a read fault:
 * call these under stack.c's guard.
 */
#ifndef SYNCHOST_SYMBOLS_H
#define SYNCHOST_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>

/* Longest symbol name kept, NUL included (longer ones are cut). */
#define SYMBOLS_NAME_MAX 128

/* The PE32+ image mapped at addr (VirtualQuery): its base in *base and its
 * headers, or NULL when addr is in no image. */
const IMAGE_NT_HEADERS *symbols_image_at(uint64_t addr, uint64_t *base);

/* The image's file name without its folder ("defect-crash-on-thread.dll"),
 * from the mapping (else the export directory's name, else the base). */
void symbols_module_name(uint64_t base, const IMAGE_NT_HEADERS *nt, char *out, size_t cap);

/* The function symbol at or before rva: the nearest of the COFF symbol
 * table's functions (in the file: mingw keeps it unless stripped) and the
 * exported names. Returns 0 with the name and its rva, or -1 when there is
 * none. */
int symbols_lookup(uint64_t base, const IMAGE_NT_HEADERS *nt, uint64_t rva, char *name, size_t cap,
                   uint64_t *sym_rva);

#endif /* SYNCHOST_SYMBOLS_H */
