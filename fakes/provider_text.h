/*
 * provider_text.h: reads a UTF-16 string a provider passed to a host method
 * without trusting it.
 *
 * A provider may pass NULL, a garbage pointer, a string with no terminator,
 * or ill-formed UTF-16 (the rules progress-text-valid and error-text-valid).
 * The worker must record what it got and never fault on it, so the string is
 * probed for readability before it is read, read at most
 * PROVIDER_TEXT_SCAN_UNITS code units far, and converted to UTF-8 here (not by
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

#include "protocol/event.h"

/* The longest text recorded, in UTF-16 code units without the terminator:
 * a text beyond it is legal but cut (CONTRACT.md, callback-text-length). */
#define PROVIDER_TEXT_MAX_UNITS 1024

/* How far the reader looks for the terminator, in UTF-16 code units: a
 * string with no NUL within it is taken as unterminated
 * (progress-text-valid, error-text-valid). */
#define PROVIDER_TEXT_SCAN_UNITS 65536

/* Reads s into out (cap bytes, NUL-terminated UTF-8; EVENT_TEXT_MAX holds
 * any result) and says what it was:
 *   TEXT_NULL        s is NULL; out is "".
 *   TEXT_UNREADABLE  s (or the string up to its terminator or the scan
 *                    bound) cannot be read; out is "".
 *   TEXT_TOO_LONG    no NUL within PROVIDER_TEXT_SCAN_UNITS units; out holds
 *                    the first PROVIDER_TEXT_MAX_UNITS units.
 *   TEXT_ILL_FORMED  an unpaired surrogate anywhere up to the terminator
 *                    (a pair cut by the scan bound counts as unpaired); out
 *                    holds the string with U+FFFD in its place.
 *   TEXT_LONG        terminated, well-formed, longer than
 *                    PROVIDER_TEXT_MAX_UNITS units; out holds the first of
 *                    them (a surrogate pair the cut would split is left out).
 *   TEXT_OK          out holds the string.
 * The first that applies wins, in this order. A text longer than cap is cut
 * at a character boundary (the state is unchanged). provider_text_read_n
 * also stores in *units (when not NULL) the string's length in code units
 * without the terminator, as far as it was read (0 for NULL or unreadable).
 *
 * Limitation: readability is probed (IsBadStringPtrW) and then read, so a
 * provider that frees the string on another thread during the call can still
 * fault the reader; a string handed to a call stays valid for the call in
 * any correct program, and this race needs two defects at once. */
enum text_state provider_text_read_n(const WCHAR *s, char *out, size_t cap, size_t *units);
enum text_state provider_text_read(const WCHAR *s, char *out, size_t cap);

#endif /* SYNCHOST_PROVIDER_TEXT_H */
