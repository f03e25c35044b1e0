/*
 * line.h: the one line format both directions of the worker protocol use.
 *
 * A line is a word, then fields `key=value` separated by single spaces, then
 * '\n'; printable ASCII only, so a person can read it and a torn line is
 * easy to drop:
 *
 *     progress seq=4 t=1532 tid=36 index=2 max=5 ts=ok text=Syncing%20inbox
 *
 * Numbers are decimal or 0x-hex; a number field equal to zero is left out.
 * Text is percent-encoded (every byte outside '!'..'~', and '%', '='). The
 * events (wire.h) and the host's scripts (script.h) are both written and read
 * with these helpers. Portable C, no state.
 */
#ifndef SYNCHOST_LINE_H
#define SYNCHOST_LINE_H

#include <stddef.h>
#include <stdint.h>

/* Builds a line into buf. All or nothing per field: a field that does not
 * fit is dropped whole, and there is always room for the final "\n". */
struct line_out {
    char *buf;
    size_t cap;
    size_t len;
    int full;
};

void line_out_init(struct line_out *o, char *buf, size_t cap, const char *word);
void line_out_u64(struct line_out *o, const char *key, uint64_t v, int hex); /* 0: left out */
void line_out_word(struct line_out *o, const char *key, const char *word);   /* as is */
/* Text, cut at a UTF-8 character boundary when the line would overflow. */
void line_out_text(struct line_out *o, const char *key, const char *text);
/* Ends the line with '\n' (and a NUL). Returns its length without the NUL. */
size_t line_out_end(struct line_out *o);

struct line_field {
    const char *key, *val;
    size_t keylen, vallen;
};

/* The first word of line (len bytes): its length. */
size_t line_word(const char *line, size_t len);

/* Iterates the fields after the first word: *pos starts at line_word().
 * Returns 1 with f filled, 0 at the end, -1 for a field without '='. */
int line_next(const char *line, size_t len, size_t *pos, struct line_field *f);
int line_key_is(const struct line_field *f, const char *key);
int line_val_u64(const struct line_field *f, uint64_t *out);          /* 0 or -1 */
int line_val_text(const struct line_field *f, char *buf, size_t cap); /* 0 or -1; cut to cap */

#endif /* SYNCHOST_LINE_H */
