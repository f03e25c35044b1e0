/*
 * wire.h: the worker-to-supervisor event stream.
 *
 * One event per line (line.h), so that the standalone worker's output can be
 * read by a person and the stream survives a worker that dies mid-write (a
 * torn last line is dropped, nothing before it is lost):
 *
 *     progress seq=4 t=1532 tid=36 index=2 max=5 ts=ok text=Syncing%20inbox
 *
 * The first word is event_kind_name(); seq, t and tid are always there, the
 * other number fields only when not zero.
 */
#ifndef SYNCHOST_WIRE_H
#define SYNCHOST_WIRE_H

#include "event.h"

/* The worker's exit status when it could no longer write its event stream
 * (the provider closed or replaced the host's pipe handle). The worker ends
 * with it at once; its low byte is what a Unix parent sees under Wine. */
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

/* Decodes one line (without its '\n'; len bytes) into ev. The decoded text
 * goes into textbuf (textcap bytes, NUL-terminated) and ev->text points at it.
 * Returns 0, or -1 for a line that is not an event (unknown kind, bad field);
 * unknown field names are skipped so that newer workers stay readable. */
int wire_parse(const char *line, size_t len, struct event *ev, char *textbuf, size_t textcap);

#endif /* SYNCHOST_WIRE_H */
