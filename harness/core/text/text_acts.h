/*
 * text_acts.h: the code points a terminal or a text viewer acts on rather
 * than shows, which every text report escapes alike (the console and TAP):
 * C0 controls and DEL, C1 controls (U+0080 to U+009F: U+009B is a CSI, the
 * start of a terminal command, in some terminals) and the bidirectional
 * embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069),
 * which reorder the text around them so that what is shown is not what is
 * written.
 */
#ifndef SYNCHOST_TEXT_ACTS_H
#define SYNCHOST_TEXT_ACTS_H

#include <stdint.h>

static inline int text_acts(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

#endif /* SYNCHOST_TEXT_ACTS_H */
