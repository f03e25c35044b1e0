/* provider_text.c: defensive reading of provider strings (see provider_text.h). */
#include "provider_text.h"

#include <stdint.h>

/* Windows never maps the first 64 KiB; pointers there (small integers cast
 * to pointers, NULL plus an offset) are rejected without a probe. */
#define PROVIDER_TEXT_LOWEST_VALID ((ULONG_PTR)0x10000)

static int is_high_surrogate(unsigned c)
{
    return c >= 0xd800 && c <= 0xdbff;
}

static int is_low_surrogate(unsigned c)
{
    return c >= 0xdc00 && c <= 0xdfff;
}

static size_t utf8_encode(uint32_t cp, char buf[4])
{
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xc0 | cp >> 6);
        buf[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xe0 | cp >> 12);
        buf[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        buf[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    buf[0] = (char)(0xf0 | cp >> 18);
    buf[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    buf[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    buf[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

enum text_state provider_text_read_n(const WCHAR *s, char *out, size_t cap, size_t *units)
{
    size_t i, len = 0;
    int ill_formed = 0, full = cap == 0;

    if (cap > 0) {
        out[0] = '\0';
    }
    if (units != NULL) {
        *units = 0;
    }
    if (s == NULL) {
        return TEXT_NULL;
    }
    /* One unit past the scan bound is probed too: a string of exactly the
     * bound plus its terminator is terminated, and telling it from a longer
     * one means reading that unit. IsBadStringPtrW reads up to the first NUL
     * only, so everything read below (up to a NUL or the bound + 1) has been
     * probed, and a short string costs no more than before. */
    if ((ULONG_PTR)s < PROVIDER_TEXT_LOWEST_VALID ||
        IsBadStringPtrW(s, PROVIDER_TEXT_SCAN_UNITS + 1)) {
        return TEXT_UNREADABLE;
    }
    for (i = 0; i < PROVIDER_TEXT_SCAN_UNITS && s[i] != 0; i++) {
        unsigned c = s[i];
        uint32_t cp = c;
        char enc[4];
        size_t n;

        /* Past the recorded part only the form of the string is looked at. */
        full |= i >= PROVIDER_TEXT_MAX_UNITS;
        /* ASCII is what providers mostly send: one branch and one store. */
        if (c < 0x80 && !full && len + 2 <= cap) {
            out[len++] = (char)c;
            continue;
        }
        if (is_high_surrogate(c)) {
            /* A pair cut by the scan bound is unpaired as far as anyone can tell. */
            if (i + 1 < PROVIDER_TEXT_SCAN_UNITS && is_low_surrogate(s[i + 1])) {
                cp = 0x10000 + ((uint32_t)(c - 0xd800) << 10) + (uint32_t)(s[i + 1] - 0xdc00);
                i++;
            } else {
                cp = 0xfffd;
                ill_formed = 1;
            }
        } else if (is_low_surrogate(c)) {
            cp = 0xfffd;
            ill_formed = 1;
        }
        /* A pair that would end past the recorded part is left out whole. */
        if (full || (cp >= 0x10000 && i >= PROVIDER_TEXT_MAX_UNITS)) {
            full = 1;
            continue; /* keep scanning: the state depends on the whole string */
        }
        n = utf8_encode(cp, enc);
        if (len + n + 1 > cap) {
            full = 1;
            continue;
        }
        for (size_t k = 0; k < n; k++) {
            out[len++] = enc[k];
        }
    }
    if (cap > 0) {
        out[len] = '\0';
    }
    if (units != NULL) {
        *units = i;
    }
    if (i >= PROVIDER_TEXT_SCAN_UNITS && s[PROVIDER_TEXT_SCAN_UNITS] != 0) {
        return TEXT_TOO_LONG;
    }
    if (ill_formed) {
        return TEXT_ILL_FORMED;
    }
    return i > PROVIDER_TEXT_MAX_UNITS ? TEXT_LONG : TEXT_OK;
}

enum text_state provider_text_read(const WCHAR *s, char *out, size_t cap)
{
    return provider_text_read_n(s, out, cap, NULL);
}
