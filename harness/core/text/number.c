/* number.c: whole numbers read from text (number.h). */
#include "text/number.h"

#include <string.h>

int text_hex_digit(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static int digit(char c, unsigned base)
{
    int d = text_hex_digit((unsigned char)c);

    return d >= 0 && (unsigned)d < base ? d : -1;
}

int text_parse_u64(const char *s, size_t len, unsigned flags, uint64_t max, uint64_t *out)
{
    unsigned base = 10;
    size_t i = 0;
    uint64_t v = 0;
    int over = 0;

    if (s == NULL) {
        return -1;
    }
    if ((flags & TEXT_NUMBER_HEX) && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == len) {
        return -1;
    }
    for (; i < len; i++) {
        int d = digit(s[i], base);
        if (d < 0) {
            return -1;
        }
        /* Past max it keeps reading, to tell "too large" from "not a number". */
        if (!over && ((uint64_t)d > max || v > (max - (uint64_t)d) / base)) {
            over = 1;
        }
        if (!over) {
            v = v * base + (uint64_t)d;
        }
    }
    if (over) {
        return -2;
    }
    *out = v;
    return 0;
}

int text_parse_u64z(const char *s, unsigned flags, uint64_t max, uint64_t *out)
{
    return text_parse_u64(s, s != NULL ? strlen(s) : 0, flags, max, out);
}
