/* escape.c: the walk and the escapes every writer of text shares (escape.h). */
#include "text/escape.h"

#include "text/utf8.h"

static const char *digits(enum text_hex_case hc)
{
    return hc == TEXT_HEX_UPPER ? "0123456789ABCDEF" : "0123456789abcdef";
}

void text_walk(const char *s, size_t n, text_walk_fn *fn, void *ctx)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;

    while (n > 0) {
        size_t len = text_utf8_next(p, n, &cp);
        if (len == 0) {
            fn(ctx, p, 1, TEXT_WALK_BYTE);
            len = 1;
        } else {
            fn(ctx, p, len, (int32_t)cp);
        }
        p += len;
        n -= len;
    }
}

size_t text_escape_byte(char out[TEXT_ESCAPE_MAX], unsigned char b, enum text_hex_case hc)
{
    const char *d = digits(hc);

    out[0] = '\\';
    out[1] = 'x';
    out[2] = d[b >> 4];
    out[3] = d[b & 15];
    out[4] = '\0';
    return 4;
}

size_t text_escape_cp(char out[TEXT_ESCAPE_MAX], uint32_t cp, enum text_hex_case hc)
{
    const char *d = digits(hc);
    size_t n = 0, width = cp > 0xFFFFF ? 6 : cp > 0xFFFF ? 5 : 4;

    out[n++] = '\\';
    out[n++] = 'u';
    for (size_t i = width; i-- > 0;) {
        out[n++] = d[(cp >> (4 * i)) & 15];
    }
    out[n] = '\0';
    return n;
}
