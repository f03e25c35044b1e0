/*
 * fake_record.h: the recording helpers every fake shares, so that the same
 * kind of call reads the same in every trace:
 *
 *   qi        text "OBJECT {iid}" (registry format, lower case, the way
 *             CONTRACT.md spells IIDs), hr = the answer; step = the object
 *             (enum host_object, from OBJECT), index = enum iid_kind
 *   addref    text "OBJECT", value = the count after the call, step = the
 *             object (enum host_object)
 *   release   as addref
 *
 * The text is for people; the rules read step and index only.
 *   *_call    text "METHOD" (or "OBJECT METHOD"), hr = the answer
 *
 * A reference count that a provider drove below zero is recorded as the
 * two's complement of the signed count in value (read it back as int64_t).
 *
 * Thread-safe, no heap allocation. Win32 only.
 */
#ifndef SYNCHOST_FAKE_RECORD_H
#define SYNCHOST_FAKE_RECORD_H

#include <windows.h>

#include "protocol/event.h"
#include "fake_faults.h"

/* "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" and its NUL. */
#define FAKE_IID_TEXT_MAX 39

/* Writes riid in registry format into buf; "{null}" for a NULL riid and
 * "{unreadable}" for a pointer that cannot be read (a provider's garbage). */
void fake_format_iid(const IID *riid, char buf[FAKE_IID_TEXT_MAX]);

/* Records a QueryInterface on OBJECT; returns hr. call is the sync call of
 * the scenario the object belongs to (the callback of call 2), carried by
 * the event (event.h), or 0 for an object of the whole scenario. */
HRESULT fake_record_qi_in(uint32_t call, const char *object, const IID *riid, HRESULT hr);

/* Records an AddRef (EVENT_ADDREF) or Release (EVENT_RELEASE) on OBJECT with
 * the count after it, for call as above; returns count as the ULONG the
 * method answers. */
ULONG fake_record_ref_in(uint32_t call, enum event_kind kind, const char *object, LONG count);

/* Records a method call (EVENT_SUPPORT_CALL, EVENT_SESSION_CALL) with its
 * answer; returns hr so that a method can end with `return fake_record_call(...)`. */
HRESULT fake_record_call(enum event_kind kind, const char *text, HRESULT hr);

/* Longest text of a service call event (method, arguments, fault mark). */
#define FAKE_CALL_TEXT_MAX 512

/* Records a call of a host service c (fake_faults.h) as kind: text = method,
 * then when fmt is not NULL a space and the decoded arguments (printf), then
 * " (fault injected)" when the answer hr is c's fault; index = the call's
 * number for its service; step = 1 when the answer was injected; handle and
 * value as given (an address and a size, or 0). Returns hr. */
#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
HRESULT
fake_record_service(enum event_kind kind, const struct fake_call *c, const char *method, HRESULT hr,
                    uint64_t handle, uint64_t value, const char *fmt, ...);

/* The whole body of a method a fake does not support, as a counted service:
 * the injected fault, else MAPI_E_NO_SUPPORT; clears out (NULL for none). */
HRESULT fake_record_unsupported(enum event_kind kind, enum fault_service service,
                                const char *method, void *out);

/* "module.dll+0x1a2b" for a code address (the module's file name without
 * its folder), or "0x..." outside any module. */
void fake_format_caller(const void *addr, char *buf, size_t cap);

/* Sets *pp = NULL when pp is not NULL: a failing method clears its [out]
 * pointers, as COM asks, so a provider that ignores the HRESULT and tests the
 * pointer sees NULL rather than stack garbage. */
void fake_clear_out(void *pp);

#endif /* SYNCHOST_FAKE_RECORD_H */
