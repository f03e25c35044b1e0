/* line.c: key=value lines (see line.h). */
#include "protocol/line.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/number.h"

static void out_bytes(struct line_out *o, const char *s, size_t n)
{
    if (o->full || o->len + n + 2 > o->cap) {
        o->full = 1;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

void line_out_init(struct line_out *o, char *buf, size_t cap, const char *word)
{
    o->buf = buf;
    o->cap = cap;
    o->len = 0;
    o->full = 0;
    if (cap > 0) {
        buf[0] = '\0';
    }
    out_bytes(o, word, strlen(word));
}

void line_out_u64(struct line_out *o, const char *key, uint64_t v, int hex)
{
    char tmp[64];
    int n;

    if (v == 0) {
        return;
    }
    n = snprintf(tmp, sizeof tmp, hex ? " %s=0x%llx" : " %s=%llu", key, (unsigned long long)v);
    if (n > 0 && (size_t)n < sizeof tmp) {
        out_bytes(o, tmp, (size_t)n);
    }
}

void line_out_word(struct line_out *o, const char *key, const char *word)
{
    char tmp[96];
    int n = snprintf(tmp, sizeof tmp, " %s=%s", key, word);

    if (n > 0 && (size_t)n < sizeof tmp) {
        out_bytes(o, tmp, (size_t)n);
    }
}

static int needs_escape(unsigned char c)
{
    return c <= ' ' || c >= 0x7f || c == '%' || c == '=';
}

void line_out_text(struct line_out *o, const char *key, const char *text)
{
    static const char hexdig[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)text;
    char head[64];
    int n = snprintf(head, sizeof head, " %s=", key);

    if (n <= 0 || (size_t)n >= sizeof head) {
        return;
    }
    out_bytes(o, head, (size_t)n);
    for (; *p && !o->full; p++) {
        char esc[3] = {'%', hexdig[*p >> 4], hexdig[*p & 15]};
        size_t need = needs_escape(*p) ? 3 : 1;
        /* Room for this byte, and before a lead byte room for a whole
         * character (4 bytes, escaped), so a character is never split. */
        if (o->len + need + 2 > o->cap || ((*p & 0xc0) != 0x80 && o->len + 12 + 2 > o->cap)) {
            break;
        }
        out_bytes(o, need == 3 ? esc : (const char *)p, need);
    }
}

size_t line_out_end(struct line_out *o)
{
    if (o->cap < 2) {
        if (o->cap == 1) {
            o->buf[0] = '\0';
        }
        return 0;
    }
    if (o->len + 2 > o->cap) {
        o->len = o->cap - 2;
    }
    o->buf[o->len++] = '\n';
    o->buf[o->len] = '\0';
    return o->len;
}

size_t line_word(const char *line, size_t len)
{
    size_t n = 0;

    while (n < len && line[n] != ' ') {
        n++;
    }
    return n;
}

int line_next(const char *line, size_t len, size_t *pos, struct line_field *f)
{
    size_t p = *pos, start;
    const char *eq;

    while (p < len && line[p] == ' ') {
        p++;
    }
    if (p == len) {
        *pos = p;
        return 0;
    }
    start = p;
    while (p < len && line[p] != ' ') {
        p++;
    }
    *pos = p;
    eq = memchr(line + start, '=', p - start);
    if (eq == NULL) {
        return -1;
    }
    f->key = line + start;
    f->keylen = (size_t)(eq - f->key);
    f->val = eq + 1;
    f->vallen = (size_t)(line + p - f->val);
    return 1;
}

int line_key_is(const struct line_field *f, const char *key)
{
    return f->keylen == strlen(key) && memcmp(f->key, key, f->keylen) == 0;
}

int line_val_u64(const struct line_field *f, uint64_t *out)
{
    return text_parse_u64(f->val, f->vallen, TEXT_NUMBER_HEX, UINT64_MAX, out) == 0 ? 0 : -1;
}

int line_val_text(const struct line_field *f, char *buf, size_t cap)
{
    size_t w = 0;

    if (cap == 0) {
        return -1;
    }
    for (size_t i = 0; i < f->vallen; i++) {
        char c = f->val[i];
        if (c == '%') {
            int hi, lo;
            if (i + 2 >= f->vallen) {
                return -1;
            }
            hi = text_hex_digit(f->val[i + 1]);
            lo = text_hex_digit(f->val[i + 2]);
            if (hi < 0 || lo < 0) {
                return -1;
            }
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        if (w + 1 < cap) {
            buf[w++] = c;
        }
    }
    buf[w] = '\0';
    return 0;
}
