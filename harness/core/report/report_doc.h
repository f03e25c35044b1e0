/*
 * report_doc.h: the JSON report (docs/reports.md) as a jansson
 * document, for the writers that carry it inside another format: the HTML
 * report embeds the whole document, the Chrome trace gives each event's
 * fields as its arguments. One shape for all, so that a field added to the
 * JSON report reaches them too. Single-threaded.
 */
#ifndef SYNCHOST_REPORT_DOC_H
#define SYNCHOST_REPORT_DOC_H

#include <jansson.h>

#include "protocol/event.h"
#include "report/result.h"

/* The whole report; the caller owns the reference (json_decref). */
json_t *report_json_doc(const struct run_report *r);

/* One event as the report's `events` list has it: seq, t_us, thread, kind,
 * then the fields of its kind. The caller owns the reference. */
json_t *report_json_event(const struct event *ev);

#endif /* SYNCHOST_REPORT_DOC_H */
