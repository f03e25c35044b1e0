/*
 * debugout.h: the provider's OutputDebugString, recorded as `debug_output`
 * events. Win32 only.
 */
#ifndef SYNCHOST_DEBUGOUT_H
#define SYNCHOST_DEBUGOUT_H

/* Installs a vectored handler for the exception OutputDebugString raises
 * (DBG_PRINTEXCEPTION_C, and the wide form where the system raises it): the
 * string becomes an event and the call returns as if a debugger had taken
 * it. Call once, early; thread-safe afterwards. */
void debugout_init(void);

#endif /* SYNCHOST_DEBUGOUT_H */
