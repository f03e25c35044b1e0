/*
 * wire.h: the worker's events as lines, and the worker's exit statuses.
 *
 * The supervisor reads events from the event ring (ring.h), never as lines.
 * A worker run by hand (under winedbg, without the supervisor) prints each
 * event as one line (line.h) instead, so that a person can read it:
 *
 *     progress seq=4 t=1532 tid=36 index=2 max=5 ts=ok text=Syncing%20inbox
 *
 * The first word is event_kind_name(); seq, t and tid are always there, the
 * other number fields only when not zero.
 */
#ifndef SYNCHOST_WIRE_H
#define SYNCHOST_WIRE_H

#include "protocol/event.h"

/* The worker's exit status when a handle it relies on was closed or
 * replaced under it by the provider: its input handle (command.c), a handle
 * the host holds (hostheld.h), or, run by hand, its standard output. The
 * worker ends with it at once; its low byte is what a Unix parent sees under
 * Wine. */
#define WIRE_EXIT_STREAM_LOST 0x5Cu

/* The worker's exit status when it caught a crash and its reporter did not
 * end the process with the report within WIRE_CRASH_SETTLE_MS: the harness
 * failed, not the provider (a crash the reporter did record stays a crash). */
#define WIRE_EXIT_CRASH_UNREPORTED 0x5Du
#define WIRE_CRASH_SETTLE_MS       3000u

/* The worker's exit status when its own write (or read) of the event ring
 * faulted: something in its process took the host's access to its memory
 * away (VirtualProtect on the ring's view). Nothing can be recorded after
 * that, so the process ends at once; the supervisor reads the status as
 * damage to the ring (host-integrity), not as a crash of the provider. */
#define WIRE_EXIT_RING_UNWRITABLE 0x5Eu

/* Longest encoded line, newline included. */
#define WIRE_LINE_MAX (EVENT_TEXT_MAX * 3 + 256)

/* Encodes ev into buf (cap bytes, at least WIRE_LINE_MAX to never truncate)
 * with a trailing '\n'. Returns the length written, excluding the NUL; text
 * that does not fit is cut at a character boundary. Thread-safe (no state). */
size_t wire_format(const struct event *ev, char *buf, size_t cap);

#endif /* SYNCHOST_WIRE_H */
