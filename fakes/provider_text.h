/*
 * provider_text.h: reads a UTF-16 string a provider passed to a host method
 * without trusting it.
 *
 * A provider may pass NULL, a garbage pointer, a string with no terminator,
 * or ill-formed UTF-16 (the rules progress-text-valid and error-text-valid).
 * The worker must record what it got and never fault on it, so the string is
 * probed for readability before it is read, read at most
 * PROVIDER_TEXT_MAX_UNITS code units far, and converted to UTF-8 here (not by
 * WideCharToMultiByte, whose handling of lone surrogates differs between
 * Windows versions and Wine).
 *
 * Thread-safe (no state), no heap allocation: it runs on every Progress call.
 * Win32 only.
 */
#ifndef SYNCHOST_PROVIDER_TEXT_H
#define SYNCHOST_PROVIDER_TEXT_H

#include <stddef.h>

#include <windows.h>

#include "event.h"

/* The longest string a provider may pass, in UTF-16 code units without the
 * terminator (CONTRACT.md, progress-text-valid). */
#define PROVIDER_TEXT_MAX_UNITS 1024

/* Reads s into out (cap bytes, NUL-terminated UTF-8; EVENT_TEXT_MAX holds
 * any result) and says what it was:
 *   TEXT_NULL        s is NULL; out is "".
 *   TEXT_UNREADABLE  s (or the string up to its terminator or the limit)
 *                    cannot be read; out is "".
 *   TEXT_TOO_LONG    no NUL within PROVIDER_TEXT_MAX_UNITS units; out holds
 *                    the first PROVIDER_TEXT_MAX_UNITS units (a surrogate
 *                    pair cut by the limit counts as unpaired).
 *   TEXT_ILL_FORMED  an unpaired surrogate; out holds the string with U+FFFD
 *                    in its place.
 *   TEXT_OK          out holds the string.
 * The first that applies wins, in this order. A text longer than cap is cut
 * at a character boundary (the state is unchanged).
 *
 * Limitation: readability is probed (IsBadStringPtrW) and then read, so a
 * provider that frees the string on another thread during the call can still
 * fault the reader; a string handed to a call stays valid for the call in
 * any correct program, and this race needs two defects at once. */
enum text_state provider_text_read(const WCHAR *s, char *out, size_t cap);

#endif /* SYNCHOST_PROVIDER_TEXT_H */
