/*
 * script_host.h: the host's fault list, profile and shutdown in the script
 * line (script.h): the part of the one script codec that carries host.faults,
 * provider.profile and host.shutdown. Not a public interface; script.c calls
 * it.
 */
#ifndef SYNCHOST_SCRIPT_HOST_H
#define SYNCHOST_SCRIPT_HOST_H

#include "protocol/line.h"
#include "protocol/script.h"

/* Copies sc's faults and profile into out (bounded by the script's arrays). */
void script_host_from_scenario(const struct scenario *sc, struct host_script *out);

/* Appends the fault, profiles and profile fields. */
void script_host_format(const struct host_script *s, struct line_out *o);

/* One field: 0 taken, -1 malformed, 1 not one of these fields. */
int script_host_parse(const struct line_field *f, struct host_script *s);

#endif /* SYNCHOST_SCRIPT_HOST_H */
