/*
 * heapcheck.h: the worker's heap checking (--heap-check): heap corruption by
 * the provider becomes a `crash` event with code 0xC0000374 (heap
 * corruption), as Windows reports it, instead of passing unseen.
 *
 * Wine's heap does not stop a process that frees a block twice or writes
 * past one: HeapFree fails quietly, a damaged block is freed all the same.
 * So the worker checks for itself, in two places:
 *
 *  - At each release. Every module the process loads after heapcheck_init
 *    from outside the Windows folder (the provider and the DLLs it ships)
 *    has its imports of free, realloc (from whichever C runtime it uses),
 *    HeapFree and HeapReAlloc pointed at checking wrappers. Before passing
 *    the call on, a wrapper checks the block: it must be a live block of
 *    that heap (HeapSize), its tail must be intact (the 16 bytes past the
 *    block that tail checking fills with 0xAB), and HeapValidate must accept
 *    it. A block that fails is reported with the calling module and offset
 *    (the provider's own code) and the next frames of the stack.
 *
 *  - At checkpoints (heapcheck_checkpoint): HeapValidate of every heap of
 *    the process, which sees damage to the heap's own structures, and writes
 *    into freed blocks still held back by free checking.
 *
 * What makes a block checkable is Wine's heap debugging, which must be on
 * from the process's first instant: the supervisor starts the worker with
 * WINEDEBUG=warn+heap, which Wine turns into tail checking, free checking
 * (freed blocks are filled and held back, so a second free of one is seen)
 * and parameter validation on every heap (on Windows: gflags /p or
 * "GlobalFlag" 0x30 under Image File Execution Options). Without it the
 * checks still run, but a tail is not filled and a freed block may already
 * be reused. Win32 only.
 */
#ifndef SYNCHOST_HEAPCHECK_H
#define SYNCHOST_HEAPCHECK_H

/* The exception code reported for heap corruption (STATUS_HEAP_CORRUPTION). */
#define HEAPCHECK_CODE 0xC0000374u

/* Switches the checking on: registers for DLL load notifications, so that
 * the provider's imports are wrapped as it loads (before its DllMain runs).
 * Call once, after the recorder and before the provider is loaded. Writes a
 * line to stderr when the heaps lack tail checking (WINEDEBUG not set). */
void heapcheck_init(void);

/* Validates every heap of the process; on damage, emits the `crash` event
 * and ends the process with HEAPCHECK_CODE. `when` says where in the
 * scenario ("after the sync"). Does nothing unless heapcheck_init ran. */
void heapcheck_checkpoint(const char *when);

#endif /* SYNCHOST_HEAPCHECK_H */
