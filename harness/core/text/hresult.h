/*
 * hresult.h: HRESULT names (S_OK, E_INVALIDARG, MAPI_E_USER_CANCEL, ...) and
 * SYNC_* flag names, both ways. Portable: the values are tabled here, not
 * taken from Windows headers, so the native supervisor can print them.
 */
#ifndef SYNCHOST_HRESULT_H
#define SYNCHOST_HRESULT_H

#include <stddef.h>
#include <stdint.h>

#define HR_S_OK       0x00000000u
#define HR_FAILED(hr) (((uint32_t)(hr)&0x80000000u) != 0)

/* The symbolic name of hr, or NULL when it has none in the table. */
const char *hresult_name(uint32_t hr);

/* Longest hresult_format() and hresult_describe() text, NUL included:
 * "MAPI_E_INVALID_WORKSTATION_ACCOUNT (0x80040122)". */
#define HRESULT_NAME_MAX     35
#define HRESULT_DESCRIBE_MAX 48

/* Writes the name, or "0x8004010F"-style hex when it has none, into buf.
 * Returns the name itself (a static string, never truncated) when hr has
 * one, else buf; the hex needs a cap of 11, a name up to HRESULT_NAME_MAX. */
const char *hresult_format(uint32_t hr, char *buf, size_t cap);

/* Writes "MAPI_E_USER_CANCEL (0x80040113)", or the hex alone when unnamed.
 * Returns buf; a cap of HRESULT_DESCRIBE_MAX never truncates. */
const char *hresult_describe(uint32_t hr, char *buf, size_t cap);

/* Parses a name from the table or a number (0x-hex or decimal, at most 32
 * bits). len bytes of s are read. Returns 0, or -1 when it is neither. */
int hresult_parse(const char *s, size_t len, uint32_t *out);

/* SYNC_* flags: one name to its bit (both SYNC_GLOBAL_HEADERS and
 * SYNC_HEADERS name 0x02000000). Returns 0, or -1 for an unknown name. */
int sync_flag_parse(const char *s, size_t len, uint32_t *out);

/* The known HRESULT or SYNC_* name nearest to a misspelt one (nearest.h),
 * or NULL when none is near. */
const char *hresult_nearest(const char *s, size_t len);
const char *sync_flag_nearest(const char *s, size_t len);

/* Writes "SYNC_DOWNLOAD_CONTENTS|SYNC_ON_DEMAND"; bits without a name are
 * appended as one hex number; 0 is written "0". Returns buf; a cap of
 * SYNC_FLAGS_FORMAT_MAX never truncates. */
#define SYNC_FLAGS_FORMAT_MAX 256
const char *sync_flags_format(uint32_t flags, char *buf, size_t cap);

#endif /* SYNCHOST_HRESULT_H */
