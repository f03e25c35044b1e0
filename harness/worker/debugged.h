/*
 * debugged.h: the worker run by hand under a debugger (the "under winedbg"
 * command synchost prints). Win32 only; Wine-specific where it must be.
 */
#ifndef SYNCHOST_DEBUGGED_H
#define SYNCHOST_DEBUGGED_H

/* When the process runs under a debugger and its standard output is a
 * console that nothing displays, points standard output and standard error
 * (the Win32 handles and this C runtime's descriptors 1 and 2) at the
 * terminal the debugger was started from, where Wine lets the process reach
 * it; else changes nothing. Returns 1 when it did. Call first thing in the
 * by-hand mode, on the main thread, before the standard handles are used. */
int debugged_reach_terminal(void);

#endif /* SYNCHOST_DEBUGGED_H */
