/*
 * Not a defect: step 2's Progress text is 32767 UTF-16 code units and its
 * terminator (64 KiB), well-formed. IMAPISyncProgressCallback::Progress
 * sets no length, so a long but terminated text breaks no required or
 * recommended rule; only the pedantic callback-text-length notes it.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .progress_text_units = 32767,
};
