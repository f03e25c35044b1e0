/*
 * progress-text-not-empty: Progress's text is the status line of Outlook's
 * Send/Receive dialog, and the reference says it may be NULL (no new
 * text); an empty string is neither a status nor "none": it blanks the line
 * the user reads. CONTRACT.md, progress-text-not-empty.
 */
#include "rules/unit.h"

static int on_event(struct judge *j, void *state, const struct event *ev)
{
    (void)state;
    if (ev->kind != EVENT_PROGRESS || ev->text_state != TEXT_OK || ev->text == NULL ||
        ev->text[0] != '\0') {
        return 0;
    }
    return rule_unit_violate(j, ev->seq,
                             "Progress(\"\", %lu, %lu): an empty status text blanks the "
                             "Send/Receive dialog's line; pass NULL to leave it as it is",
                             (unsigned long)ev->index, (unsigned long)ev->index_max);
}

RULE_UNIT(progress_text_not_empty) = {
    .info = {.id = "progress-text-not-empty",
             .level = RULE_RECOMMENDED,
             .enforced = 1,
             .summary = "give Progress a status text or NULL, never an empty string"},
    .on_event = on_event,
};
