/* wire.c: the line codec of the worker's event stream (see wire.h). */
#include "wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
    char *buf;
    size_t cap;
    size_t len;
    int full;
};

/* All or nothing, and always leaving room for the final "\n\0", so that
 * truncation drops whole fields and never alters one. */
static void out_bytes(struct out *o, const char *s, size_t n)
{
    if (o->full || o->len + n + 2 > o->cap) {
        o->full = 1;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void out_field(struct out *o, const char *key, uint64_t v, int hex)
{
    char tmp[64];
    int n;

    if (v == 0) {
        return;
    }
    n = snprintf(tmp, sizeof tmp, hex ? " %s=0x%llx" : " %s=%llu", key, (unsigned long long)v);
    out_bytes(o, tmp, (size_t)n);
}

static int needs_escape(unsigned char c)
{
    return c <= ' ' || c >= 0x7f || c == '%' || c == '=';
}

/* Appends the text percent-encoded, cutting before a UTF-8 lead byte when the
 * line would overflow (the newline always fits: cap is checked with room). */
static void out_text(struct out *o, const char *text)
{
    static const char hexdig[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)text;

    out_bytes(o, " text=", 6);
    for (; *p && !o->full; p++) {
        char esc[3] = {'%', hexdig[*p >> 4], hexdig[*p & 15]};
        size_t need = needs_escape(*p) ? 3 : 1;
        if (o->len + need + 2 > o->cap || ((*p & 0xc0) != 0x80 && o->len + 12 + 2 > o->cap)) {
            break;
        }
        if (need == 3) {
            out_bytes(o, esc, 3);
        } else {
            out_bytes(o, (const char *)p, 1);
        }
    }
}

size_t wire_format(const struct event *ev, char *buf, size_t cap)
{
    struct out o = {buf, cap, 0, 0};
    const char *name = event_kind_name(ev->kind);
    char tmp[96];
    int n;

    if (cap < 2) { /* no room for the newline */
        if (cap == 1) {
            buf[0] = '\0';
        }
        return 0;
    }
    buf[0] = '\0';
    n = snprintf(tmp, sizeof tmp, "%s seq=%lu t=%llu tid=%lu", name, (unsigned long)ev->seq,
                 (unsigned long long)ev->t_us, (unsigned long)ev->thread);
    out_bytes(&o, tmp, (size_t)n);
    out_field(&o, "hr", ev->hr, 1);
    out_field(&o, "step", ev->step, 0);
    out_field(&o, "flags", ev->flags, 1);
    out_field(&o, "index", ev->index, 0);
    out_field(&o, "max", ev->index_max, 0);
    out_field(&o, "handle", ev->handle, 1);
    out_field(&o, "value", ev->value, 0);
    if (ev->text_state != TEXT_NONE) {
        n = snprintf(tmp, sizeof tmp, " ts=%s", text_state_name(ev->text_state));
        out_bytes(&o, tmp, (size_t)n);
    }
    if (ev->text != NULL) {
        out_text(&o, ev->text);
    }
    o.full = 0;
    if (o.len + 2 > cap) {
        o.len = cap - 2;
    }
    buf[o.len++] = '\n';
    buf[o.len] = '\0';
    return o.len;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

static int parse_u64(const char *s, size_t n, uint64_t *out)
{
    char tmp[32];
    char *end;

    if (n == 0 || n >= sizeof tmp) {
        return -1;
    }
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (tmp[0] == '-') {
        return -1;
    }
    *out = strtoull(tmp, &end, 0);
    return *end == '\0' ? 0 : -1;
}

static int parse_text(const char *s, size_t n, char *textbuf, size_t textcap)
{
    size_t w = 0;

    if (textcap == 0) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int hi, lo;
            if (i + 2 >= n) {
                return -1;
            }
            hi = hexval(s[i + 1]);
            lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0) {
                return -1;
            }
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        if (w + 1 < textcap) {
            textbuf[w++] = c;
        }
    }
    textbuf[w] = '\0';
    return 0;
}

static const char *text_states[] = {"none", "null", "ok", "unreadable", "too_long", "ill_formed"};

int wire_parse(const char *line, size_t len, struct event *ev, char *textbuf, size_t textcap)
{
    const char *end = line + len;
    const char *p = line;
    const char *word;
    int kind;

    memset(ev, 0, sizeof *ev);
    while (p < end && *p != ' ') {
        p++;
    }
    kind = event_kind_from_name(line, (size_t)(p - line));
    if (kind < 0) {
        return -1;
    }
    ev->kind = (enum event_kind)kind;
    while (p < end) {
        const char *eq, *val;
        size_t keylen, vallen;
        uint64_t v = 0;

        while (p < end && *p == ' ') {
            p++;
        }
        if (p == end) {
            break;
        }
        word = p;
        while (p < end && *p != ' ') {
            p++;
        }
        eq = memchr(word, '=', (size_t)(p - word));
        if (eq == NULL) {
            return -1;
        }
        keylen = (size_t)(eq - word);
        val = eq + 1;
        vallen = (size_t)(p - val);
#define KEY(k) (keylen == sizeof(k) - 1 && memcmp(word, k, keylen) == 0)
        if (KEY("text")) {
            if (parse_text(val, vallen, textbuf, textcap) != 0) {
                return -1;
            }
            ev->text = textbuf;
            continue;
        }
        if (KEY("ts")) {
            size_t i;
            for (i = 0; i < sizeof text_states / sizeof text_states[0]; i++) {
                if (strlen(text_states[i]) == vallen && memcmp(text_states[i], val, vallen) == 0) {
                    break;
                }
            }
            if (i == sizeof text_states / sizeof text_states[0]) {
                return -1;
            }
            ev->text_state = (enum text_state)i;
            continue;
        }
        if (parse_u64(val, vallen, &v) != 0) {
            return -1;
        }
        if (KEY("seq")) {
            ev->seq = (uint32_t)v;
        } else if (KEY("t")) {
            ev->t_us = v;
        } else if (KEY("tid")) {
            ev->thread = (uint32_t)v;
        } else if (KEY("hr")) {
            ev->hr = (uint32_t)v;
        } else if (KEY("step")) {
            ev->step = (uint32_t)v;
        } else if (KEY("flags")) {
            ev->flags = (uint32_t)v;
        } else if (KEY("index")) {
            ev->index = (uint32_t)v;
        } else if (KEY("max")) {
            ev->index_max = (uint32_t)v;
        } else if (KEY("handle")) {
            ev->handle = v;
        } else if (KEY("value")) {
            ev->value = v;
        }
#undef KEY
    }
    return 0;
}
