/*
 * wire_read.h: the tests' reader of the worker's event lines (wire.h), so
 * that a test can check what wire_format() and the recorder wrote. Nothing
 * in synchost reads these lines back: the supervisor reads the event ring.
 */
#ifndef SYNCHOST_WIRE_READ_H
#define SYNCHOST_WIRE_READ_H

#include <stddef.h>

#include "protocol/event.h"

/* Decodes one line (without its '\n'; len bytes) into ev. The decoded text
 * goes into textbuf (textcap bytes, NUL-terminated) and ev->text points at it.
 * Returns 0, or -1 for a line that is not an event (unknown kind, bad field);
 * unknown field names are skipped. */
int wire_read(const char *line, size_t len, struct event *ev, char *textbuf, size_t textcap);

#endif /* SYNCHOST_WIRE_READ_H */
