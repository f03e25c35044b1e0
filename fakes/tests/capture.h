/*
 * capture.h: a recorder sink for the fakes' unit tests. It keeps the raw
 * byte stream exactly as the recorder handed it over (so a test can check
 * that lines never interleave) and parses lines back with wire_read on
 * demand.
 *
 * The sink runs under the recorder's lock, so it needs none of its own; the
 * reading functions are for the test's main thread once the emitting threads
 * have finished. Not for use from provider threads (cmocka is not
 * thread-safe, and neither are these readers).
 */
#ifndef SYNCHOST_TEST_CAPTURE_H
#define SYNCHOST_TEST_CAPTURE_H

#include <stddef.h>

#include "protocol/event.h"

/* Forgets everything captured and (re)initialises the recorder with the
 * capture sink: the next event gets seq 0. */
void capture_start(void);

/* How many lines were captured. */
size_t capture_count(void);

/* The raw stream and its length. */
const char *capture_raw(size_t *len);

/* Line i parsed, or NULL when i is out of range or the line does not parse.
 * The event and its text live in a buffer that the next call overwrites. */
const struct event *capture_at(size_t i);

/* The last captured event of the given kind at or after index from, parsed
 * as by capture_at; NULL if none. */
const struct event *capture_last_of(enum event_kind kind, size_t from);

/* How many captured events at or after index from have the given kind. */
size_t capture_count_of(enum event_kind kind, size_t from);

#endif /* SYNCHOST_TEST_CAPTURE_H */
